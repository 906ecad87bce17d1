"""The cheap tests rules make before their walks (issue 20): each one is sound.

A gate may only skip work whose answer it already knows: ``may_resolve_to`` (no import can
reach a name), ``ClientFacts.may_hold_clients`` (nothing can be a client),
``ProjectIndex.may_read`` (no project module behind an import). The properties are checked on
every fixture, and the cases an argument could forget are run through the real CLI.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import FIXTURES, fill, run_cli_json, services_project
from twilio_lint.facts.clients import ClientFacts
from twilio_lint.facts.module import import_prefixes, may_resolve_to, twilio_module
from twilio_lint.facts.project import ProjectIndex
from twilio_lint.knowledge import sdk
from twilio_lint.semantic.model import SemanticModel


def _model(source: str, path: str = "<test>", project=None) -> SemanticModel:
    return twilio_module(ast.parse(source), source, path, None, project)


def _fixture_models() -> list[SemanticModel]:
    models = []
    for path in sorted(FIXTURES.rglob("*.py")):
        source = fill(path.read_text(encoding="utf-8"))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue  # the fixtures of files that do not parse
        models.append(twilio_module(tree, source, str(path), None, ProjectIndex()))
    return models


def test_an_import_gate_is_open_wherever_a_name_resolves():
    checked = aliased = 0
    for model in _fixture_models():
        for node in ast.walk(model.tree):
            if not isinstance(node, (ast.Name, ast.Attribute)):
                continue
            resolved = model.qualname(node)
            if resolved is None:
                continue
            checked += 1
            aliased += resolved in sdk.ALIASES.values()
            assert may_resolve_to(model, import_prefixes(resolved)), (model.path, resolved)
    assert checked > 1000 and aliased > 10  # the property was put to the test


def test_an_import_gate_reads_re_exports_and_dotted_imports():
    reach = import_prefixes(sdk.REST_CLIENT_CLASSES)
    for source in (
        "from twilio.base.client_base import ClientBase as B\n",  # a re-export of Client
        "import twilio\n",
        "from twilio import rest\n",
        "import twilio.rest.client as c\n",
    ):
        assert may_resolve_to(_model(source), reach), source
    for source in ("from twilio.base import values\n", "import twilio_utils\n", "x = 1\n"):
        assert not may_resolve_to(_model(source), reach), source


def test_may_hold_clients_wherever_a_fixture_holds_one():
    holding = http_holding = 0
    for model in _fixture_models():
        clients = ClientFacts.of(model)
        exprs = [node for node in ast.walk(model.tree) if isinstance(node, ast.expr)]
        if any(clients.is_client(expr) for expr in exprs):
            holding += 1
            assert clients.may_hold_clients(), model.path
        if any(clients.is_http_client(expr) for expr in exprs):
            http_holding += 1
            assert clients.may_hold_http_clients(), model.path
        model.release_facts()
    assert holding > 50 and http_holding > 5  # the property was put to the test


def test_a_module_of_the_sdk_holds_no_client():
    source = (
        "from typing import Any, Optional\n"
        "from twilio.base import values\n"
        "from twilio.base.instance_context import InstanceContext\n"
        "class CallContext(InstanceContext):\n"
        "    def fetch(self) -> Any:\n"
        "        payload = self._version.fetch(method='GET', uri=self._uri)\n"
        "        return payload.status\n"
    )
    clients = ClientFacts.of(_model(source, "/tmp/call.py", project=ProjectIndex()))
    assert not clients.may_hold_clients()
    assert not clients.may_hold_http_clients()


def test_project_modules_the_index_may_read():
    index = ProjectIndex()
    assert index.may_read("services.twilio_client")
    assert index.may_read("..helpers")
    assert index.may_read("twilio_utils")  # a project's own package, not the SDK
    assert not index.may_read("twilio.rest")
    assert not index.may_read("twilio")
    assert not index.may_read("json")
    assert not index.may_read("os.path")


def _project(tmp_path: Path, app: str) -> Path:
    services_project(
        tmp_path,
        "import os\n"
        "from twilio.rest import Client\n\n\n"
        "def get_client():\n"
        '    return Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n',
    )
    (tmp_path / "app.py").write_text(app)
    return tmp_path


def test_a_client_from_a_project_factory_named_through_its_module(tmp_path: Path):
    # ``import services.twilio_client`` then ``services.twilio_client.get_client()``: no import
    # names the factory itself, yet the call is a client; the gates must stay open.
    # The traffic rules' gate (might_have_resources) must see it too: a polling loop.
    project = _project(
        tmp_path,
        "import services.twilio_client\n"
        "from twilio.base.exceptions import TwilioRestException\n\n\n"
        "def status(sid):\n"
        "    return services.twilio_client.get_client().messages(sid).status\n\n\n"
        "def recent_calls():\n"
        "    return services.twilio_client.get_client().api.calls.list(limit=20)\n\n\n"
        "def wait_until_done(sid):\n"
        "    while True:\n"
        "        call = services.twilio_client.get_client().calls(sid).fetch()\n"
        "        if call.status == 'completed':\n"
        "            return call\n",
    )
    found = run_cli_json(
        "check", "--isolated", "--select", "TWL201,TWL402,TWL403", "app.py", cwd=project
    )
    assert [(f["code"], f["location"]["row"], f["location"]["column"]) for f in found] == [
        ("TWL402", 6, 12),
        ("TWL403", 10, 12),
        ("TWL201", 15, 16),
    ]


def test_an_upper_case_noqa_is_judged(tmp_path: Path):
    # TWL501 first asks whether the file says "noqa" at all: in any case, like each line.
    (tmp_path / "app.py").write_text("import os  # NOQA: TWL999\n")
    found = run_cli_json("check", "--isolated", "--select", "TWL501", "app.py", cwd=tmp_path)
    assert [(f["code"], f["location"]["row"], f["location"]["column"]) for f in found] == [
        ("TWL501", 1, 12)
    ]


def test_routes_registered_without_a_framework_import_or_through_an_alias(tmp_path: Path):
    # RouteFacts looks at every call only where Starlette or FastAPI is imported (their route
    # classes); a registering method is found whatever the module imports.
    (tmp_path / "voice.py").write_text(
        "from twilio.twiml.voice_response import VoiceResponse\n\n"
        "from web import router\n\n\n"
        "async def incoming_call(request):\n"
        "    reply = VoiceResponse()\n"
        '    reply.say("Thanks for calling")\n'
        "    return str(reply)\n\n\n"
        'router.add_api_route("/voice", incoming_call, methods=["POST"])\n'
    )
    (tmp_path / "sms.py").write_text(
        "from starlette import routing as r\n"
        "from twilio.twiml.messaging_response import MessagingResponse\n\n\n"
        "async def incoming_sms(request):\n"
        "    reply = MessagingResponse()\n"
        '    reply.message("Got it")\n'
        "    return str(reply)\n\n\n"
        'routes = [r.Route("/sms", incoming_sms, methods=["POST"])]\n'
    )
    found = run_cli_json("check", "--isolated", "--select", "TWL104", ".", cwd=tmp_path)
    assert sorted(
        (f["filename"].rsplit("/", 1)[-1], f["location"]["row"], f["location"]["column"])
        for f in found
    ) == [("sms.py", 5, 1), ("voice.py", 6, 1)]

