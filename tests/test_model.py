"""The shared module model: import resolution, client instances, resources, project index."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import services_project
from twilio_lint.facts.clients import ClientFacts
from twilio_lint.facts.module import twilio_module
from twilio_lint.facts.project import ProjectIndex
from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.semantic.model import SemanticModel


def _model(source: str, path: str = "<test>", project=None, options=None) -> SemanticModel:
    return twilio_module(ast.parse(source), source, path, options, project)


def _expr(model: SemanticModel, text: str) -> ast.AST:
    """The first expression node in the module whose source text is ``text``."""
    for node in ast.walk(model.tree):
        if isinstance(node, ast.expr) and ast.get_source_segment(model.source, node) == text:
            return node
    raise AssertionError(f"{text!r} not found")


def test_qualname_resolves_aliases_and_dotted_imports():
    model = _model(
        "import twilio.rest\n"
        "import twilio.rest as tr\n"
        "from twilio.rest import Client as C\n"
        "from twilio.rest.client import Client as Old\n"
        "from twilio import rest\n"
        "twilio.rest.Client; tr.Client; C; Old; rest.Client; Unknown\n"
    )
    for text in ("twilio.rest.Client", "tr.Client", "C", "Old", "rest.Client"):
        assert model.qualname(_expr(model, text)) == "twilio.rest.Client", text
    assert model.qualname(_expr(model, "Unknown")) is None


def test_client_instances_globals_attributes_factories_and_annotations():
    model = _model(
        "from twilio.rest import Client\n"
        "CLIENT = Client(k, s, a)\n"
        "def get_client():\n"
        "    return Client(k, s, a)\n"
        "class Sender:\n"
        "    def __init__(self):\n"
        "        self.twilio = get_client()\n"
        "    def send(self):\n"
        "        self.twilio.messages.create(to='x')\n"
        "def use(c: Client, other):\n"
        "    c.calls.list(limit=1)\n"
        "    other.calls.list()\n"
        "    CLIENT.messages.create(to='y')\n"
        "def shadow():\n"
        "    CLIENT = make_something_else()\n"
        "    CLIENT.messages.create(to='z')\n"
    )
    assert ClientFacts.of(model).client_factory_names() == {"get_client"}
    requests = {ast.get_source_segment(model.source, c): ResourceFacts.of(model).request_method(c) for c in model.calls}
    assert requests["self.twilio.messages.create(to='x')"] == "create"
    assert requests["c.calls.list(limit=1)"] == "list"
    assert requests["CLIENT.messages.create(to='y')"] == "create"
    assert requests["other.calls.list()"] is None
    assert requests["CLIENT.messages.create(to='z')"] is None  # a local shadows the global


def test_lookalike_client_is_not_twilio():
    model = _model("from httpx import Client\nc = Client()\nc.messages.create(to='x')\n")
    assert ClientFacts.of(model).client_constructions() == []
    assert all(ResourceFacts.of(model).request_method(call) is None for call in model.calls)


def test_enclosing_loops_excludes_the_for_iterable():
    model = _model(
        "from twilio.rest import Client\nclient = Client(k, s, a)\n"
        "for m in client.messages.list(limit=5):\n"
        "    client.messages(m.sid).fetch()\n"
    )
    listing = _expr(model, "client.messages.list(limit=5)")
    fetch = _expr(model, "client.messages(m.sid).fetch()")
    assert model.enclosing_loops(listing) == []
    assert len(model.enclosing_loops(fetch)) == 1
    assert ResourceFacts.of(model).request_method(fetch) == "fetch"


def test_project_index_finds_factory_in_a_sibling_module(tmp_path: Path):
    services_project(
        tmp_path,
        "from twilio.rest import Client\n"
        "def get_client():\n    return Client(k, s, a)\n"
        "def not_a_factory():\n    return 42\n",
    )
    app = tmp_path / "app.py"
    source = (
        "from services.twilio_client import get_client, not_a_factory\n"
        "get_client().messages.create(to='x')\n"
        "not_a_factory().messages.create(to='y')\n"
    )
    app.write_text(source)
    model = _model(source, str(app), project=ProjectIndex())
    methods = [ResourceFacts.of(model).request_method(call) for call in model.calls]
    assert methods.count("create") == 1
    assert ResourceFacts.of(model).request_method(_expr(model, "get_client().messages.create(to='x')")) == "create"


def _request_methods(project: Path, source: str) -> list[str | None]:
    """The request method of every call of ``source`` written as ``project/app.py``, with
    the project index reading the project's other modules."""
    app = project / "app.py"
    app.write_text(source)
    model = _model(source, str(app), project=ProjectIndex())
    return [ResourceFacts.of(model).request_method(call) for call in model.calls]


FACTORY_MODULE = "from twilio.rest import Client\ndef make():\n    return Client(k, s, a)\n"


@pytest.mark.parametrize("linked", ["module", "folder"])
def test_project_index_never_reads_a_module_through_a_link(tmp_path: Path, linked: str):
    # A committed link may point anywhere on the machine: the index reads files of the tree,
    # through real folders (``helpers.py -> /anywhere``, ``services -> /anywhere``).
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "factory.py").write_text(FACTORY_MODULE)
    project = tmp_path / "project"
    (project / "real").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname='x'\n")
    (project / "real" / "factory.py").write_text(FACTORY_MODULE)
    if linked == "module":
        (project / "services").mkdir()
        (project / "services" / "factory.py").symlink_to(outside / "factory.py")
    else:
        (project / "services").symlink_to(outside, target_is_directory=True)
    assert _request_methods(project, (
        "from services.factory import make\nfrom real.factory import make as real_make\n"
        "make().messages.create(to='x')\nreal_make().messages.create(to='y')\n"
    )) == [None, None, "create", None]


def test_project_index_reads_modules_as_python_does(tmp_path: Path):
    # A BOM, a coding cookie and CRLF line ends: the interpreter reads all three, so must we.
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    (tmp_path / "bom.py").write_bytes(
        b"\xef\xbb\xbffrom twilio.rest import Client\r\ndef bom_client():\r\n"
        b"    return Client(k, s, a)\r\n"
    )
    (tmp_path / "latin.py").write_bytes(
        "# -*- coding: latin-1 -*-\nfrom twilio.rest import Client\n# Caf\u00e9\n"
        "def latin_client():\n    return Client(k, s, a)\n".encode("latin-1")
    )
    assert _request_methods(tmp_path, (
        "from bom import bom_client\nfrom latin import latin_client\n"
        "bom_client().messages.create(to='x')\nlatin_client().messages.create(to='y')\n"
    )) == ["create", None, "create", None]


def test_deep_elif_chain_does_not_overflow():
    source = "import twilio\nif x == 0:\n    pass\n" + "".join(
        f"elif x == {i}:\n    pass\n" for i in range(1, 1200)
    )
    model = _model(source)
    assert len(model.nodes(ast.If)) == 1200


EVERY_SCALAR_FIELD = '''
import os.path as p, sys
from .pkg import name as alias_name
global_value = 0
def outer(a: int, *args, b=1, **kw) -> "str":
    global global_value
    counter = 0
    def inner():
        nonlocal counter
        counter += 1
    async def agen():
        return [x async for x in aiter_of(a) if x]
    try:
        value: int = -a
    except (ValueError, KeyError) as error:
        raise RuntimeError(f"{error!r:>10} {value}") from error
    match kw:
        case {"k": [1, *rest]} if rest:
            pass
        case Point(x=0, y=None) | True as matched:
            pass
        case _:
            pass
    return p.join(sys.argv[0], key=lambda v: v.attr[1:2])
class Point(Base, metaclass=Meta):
    x: int = 0
'''


def test_the_index_walk_finds_every_child_node():
    """The walk skips fields that hold identifiers, numbers and operator singletons; every
    other child must still get its parent, exactly as a full ``ast.walk`` sees it."""
    import sysconfig

    skipped = (ast.expr_context, ast.operator, ast.unaryop, ast.boolop, ast.cmpop,
               ast.type_ignore)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    sources = [EVERY_SCALAR_FIELD] + [
        path.read_text(encoding="utf-8")
        for path in (stdlib / "ast.py", stdlib / "typing.py", stdlib / "test" / "test_grammar.py",
                     stdlib / "test" / "test_patma.py")
        if path.is_file()
    ]
    for source in sources:
        tree = ast.parse(source)
        expected = {
            child: node
            for node in ast.walk(tree)
            for child in ast.iter_child_nodes(node)
            if not isinstance(child, skipped)
        }
        assert twilio_module(tree, source)._parents == expected


SECURITY_MODULE = '''
import functools
import os

from fastapi import Depends, Request
from twilio.request_validator import RequestValidator

validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])


def is_valid(request):
    return validator.validate(request.url, request.form, request.headers.get("sig", ""))


def twilio_required(view):
    @functools.wraps(view)
    def checked(*args, **kwargs):
        if not is_valid(request):
            abort(403)
        return view(*args, **kwargs)
    return checked


def hmac_signed(view):
    def checked(*args, **kwargs):
        signature = request.headers["X-Twilio-Signature"]
        return view(*args, **kwargs)
    return checked


async def verify(request: Request, ok=Depends(hmac_signed)):
    return None


class TwilioMiddleware:
    def __call__(self, request):
        return self.check(request)

    def check(self, request):
        return request.META.get("HTTP_X_TWILIO_SIGNATURE")


class SignedView(TwilioMiddleware):
    pass


def log_requests(view):
    return view
'''


def test_project_index_and_twl104_share_one_validator_definition(tmp_path: Path):
    from twilio_lint.facts.signature import SignatureFacts

    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    security = tmp_path / "security.py"
    security.write_text(SECURITY_MODULE)
    own = SignatureFacts.of(_model(SECURITY_MODULE, str(security))).validator_names()
    # validate() call, helper → decorator, header read, Depends(...), middleware and its subclass
    assert own == {
        "is_valid", "twilio_required", "hmac_signed", "verify", "TwilioMiddleware", "SignedView",
        "checked", "check", "__call__",
    }
    index = ProjectIndex()
    app = str(tmp_path / "app.py")
    summary = index.summary(str(security))
    assert summary is not None and summary.signature_validators == own
    for name in ("twilio_required", "hmac_signed", "verify", "SignedView"):
        assert index.is_signature_validator(f"security.{name}", app)
    assert not index.is_signature_validator("security.log_requests", app)


NESTED_IMPORTS = (
    "import os\n"
    "def send():\n"
    "    from twilio.rest import Client as C\n"
    "    try:\n"
    "        import json as j\n"
    "    except ImportError:\n"
    "        from simplejson import loads as j\n"
    "    finally:\n"
    "        import time\n"
    "class Job:\n"
    "    if True:\n"
    "        from twilio import rest\n"
    "    else:\n"
    "        import twilio.rest\n"
    "    def run(self):\n"
    "        with open('x') as f:\n"
    "            for _ in f:\n"
    "                while True:\n"
    "                    import csv\n"
    "                else:\n"
    "                    import io as stream\n"
    "match 1:\n"
    "    case 1:\n"
    "        from os import path as stream\n"
    "lambda: __import__('nope')\n"
)


def test_imports_come_from_the_statements_without_walking_the_whole_tree():
    model = _model(NESTED_IMPORTS)
    assert model.imports == {
        "os": "os", "C": "twilio.rest.Client", "j": "simplejson.loads", "time": "time",
        "rest": "twilio.rest", "twilio": "twilio", "csv": "csv", "stream": "os.path",
    }
    assert not model.indexed  # imports alone never walk the expressions
    assert model.parent(model.tree.body[0]) is model.tree  # the first question walks them
    assert model.indexed


def _parsed_fixtures():
    """(path, source, tree) of every fixture that parses."""
    from tests.helpers import FIXTURES

    for path in sorted(FIXTURES.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        try:
            yield path, source, ast.parse(source)
        except SyntaxError:
            continue


def test_imports_from_statements_match_a_full_walk_on_every_fixture():
    for path, source, tree in _parsed_fixtures():
        every = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        model = _model(source)
        found = {(n.lineno, n.col_offset) for n in model.import_nodes.values()}
        assert found <= {(n.lineno, n.col_offset) for n in every}, path
        local_names = {
            a.asname or a.name.split(".")[0]
            for n in every
            for a in n.names
            if a.name != "*" or getattr(n, "level", 0)  # kept for the project index
        }
        assert set(model.imports) == local_names, path


def test_statement_nodes_are_the_nodes_a_full_walk_finds_on_every_fixture():
    kinds = (ast.Try, ast.ExceptHandler, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
             ast.Assign, ast.With, ast.Import, ast.ImportFrom, ast.match_case, ast.Return)
    for path, source, _tree in _parsed_fixtures():
        lazy, full = _model(source), _model(source)
        for kind in kinds:
            expected = [ast.dump(node) for node in full.nodes(kind)]
            assert [ast.dump(node) for node in lazy.statement_nodes(kind)] == expected, path
        assert not lazy.indexed
        assert [ast.dump(n) for n in lazy.statement_nodes(*kinds)] == [
            ast.dump(n) for n in full.nodes(*kinds)
        ]
