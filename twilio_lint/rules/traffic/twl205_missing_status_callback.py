"""TWL205 missing-status-callback: a message or call created without ``status_callback`` and
then fetched to learn its status.

Reported at the ``create``, and only when the same function (or, through ``self.x``, the same
class) later fetches that very record: by the returned object (``msg.fetch()``), its ``sid``
(``client.messages(msg.sid).fetch()``) or a variable holding it (``SemanticModel.created_by``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.rules.traffic._loops import TrafficFacts
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import is_none

CODE = "TWL205"
NAME = "missing-status-callback"
SUMMARY = "Message or call created without status_callback, then fetched to learn its status"
DEFAULT_ON = True
FIX = None

#: ``messages.create(to, …)`` takes one positional argument, ``calls.create(to, from_,
#: method, …)`` three; more and ``status_callback`` may be among them.
MAX_POSITIONAL = {"messages": 1, "calls": 3}

DOC = RuleDoc(
    what=(
        "Flags `client.messages.create(...)` and `client.calls.create(...)` (any account, "
        "`_async` variants too) that pass neither `status_callback` nor `application_sid` "
        "(whose application carries the status callback) when the same code later fetches "
        "the created record: `msg.fetch()`, `client.messages(msg.sid).fetch()`, or a fetch by "
        "a variable or attribute (`self.call_sid`) that holds its SID, or a `while` loop that "
        "re-checks its `status` while polling (`while call.status != \"completed\": call = "
        "client.calls.list(limit=1)[0]`). A create that nothing fetches afterwards is not "
        "flagged."
    ),
    why=(
        "Fetching a message or call to see whether it was delivered or answered means asking "
        "again and again (see TWL201) and still missing the moment it changes. With "
        "`status_callback`, Twilio sends each status change (`sent`, `delivered`, "
        "`undelivered`, `failed`; `ringing`, `answered`, `completed`) to your endpoint as it "
        "happens, with the error code when there is one."
    ),
    example=(
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(os.environ['TWILIO_API_KEY'], os.environ['TWILIO_API_SECRET'],\n"
        "                os.environ['TWILIO_ACCOUNT_SID'])\n"
        "\n"
        "\n"
        "def send_code(to, code):\n"
        "    message = client.messages.create(\n"
        "        to=to, from_=os.environ['TWILIO_FROM'], body=f'Your code is {code}'\n"
        "    )\n"
        "    return client.messages(message.sid).fetch().status\n"
    ),
    use_instead=(
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(os.environ['TWILIO_API_KEY'], os.environ['TWILIO_API_SECRET'],\n"
        "                os.environ['TWILIO_ACCOUNT_SID'])\n"
        "\n"
        "\n"
        "def send_code(to, code):\n"
        "    message = client.messages.create(\n"
        "        to=to,\n"
        "        from_=os.environ['TWILIO_FROM'],\n"
        "        body=f'Your code is {code}',\n"
        "        status_callback='https://example.com/sms-status',\n"
        "    )\n"
        "    return message.sid  # /sms-status receives MessageSid and MessageStatus\n"
    ),
    references=(twilio_docs.STATUS_CALLBACKS,),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    resources = ResourceFacts.of(module)
    if not resources.might_have_resources():
        return
    reported: set[ast.Call] = set()
    for create, how in _creates_waited_for(module):
        if create in reported:
            continue
        kind = _status_resource(module, create)
        if kind is None or _has_callback(create, kind):
            continue
        reported.add(create)
        noun = "message" if kind == "messages" else "call"
        yield module.finding(
            CODE,
            create,
            f"{kind}.create() without status_callback, and the {noun} is {how} later to "
            f"learn its status; pass status_callback='https://…' and let Twilio post each "
            f"status change to you instead of fetching the {noun}",
        )


def _creates_waited_for(module: SemanticModel) -> Iterator[tuple[ast.Call, str]]:
    """Creates whose record is fetched again (``msg.fetch()``), or whose ``status`` a polling
    loop re-checks (``while call.status != "completed": call = client.calls.list()[0]``)."""
    resources = ResourceFacts.of(module)
    for call in module.calls:
        func = call.func
        if not isinstance(func, ast.Attribute) or not func.attr.startswith("fetch"):
            continue
        if resources.request_method(call) != "fetch":
            continue
        create = _created_record_fetched(module, call)
        if create is not None:
            yield create, "fetched"
    traffic = TrafficFacts.of(module)
    for loop in traffic.polling_loops():
        if not isinstance(loop, ast.While):
            continue
        for node in ast.walk(loop.test):
            if isinstance(node, ast.Attribute) and node.attr in sdk.STATUS_ATTRS:
                create = traffic.created_by(node.value, loop)
                if create is not None:
                    yield create, "polled"


def _created_record_fetched(module: SemanticModel, fetch: ast.Call) -> ast.Call | None:
    """The create whose record ``fetch`` asks for again, if the same code created it."""
    traffic = TrafficFacts.of(module)
    resources = ResourceFacts.of(module)
    receiver = fetch.func.value  # type: ignore[attr-defined]
    if isinstance(receiver, ast.Call) and len(receiver.args) == 1 and not receiver.keywords:
        # client.messages(sid).fetch() / client.messages.get(sid).fetch()
        create = traffic.created_by(receiver.args[0], fetch)
        if create is None:
            return None
        fetched = resources.resource_path(receiver)
        created = resources.resource_path(create.func.value)  # type: ignore[attr-defined]
        if fetched is None or created is None or fetched[-1] != created[-1] + "()":
            return None  # a fetch of something else by the same SID
        return create
    return traffic.created_by(receiver, fetch)  # msg.fetch()


def _status_resource(module: SemanticModel, create: ast.Call) -> str | None:
    """``messages`` / ``calls`` for an account's messages or calls list, else None."""
    resources = ResourceFacts.of(module)
    path = resources.resource_path(create.func.value)  # type: ignore[attr-defined]
    if path is None or path[-1] not in sdk.STATUS_CALLBACK_RESOURCES:
        return None
    if path[:-1] not in ((), ("accounts()",)):
        return None  # conversations(sid).messages and the like take no status_callback
    return path[-1]


def _has_callback(create: ast.Call, kind: str) -> bool:
    if len(create.args) > MAX_POSITIONAL[kind]:
        return True  # positional arguments we cannot name: stay quiet
    if any(isinstance(arg, ast.Starred) for arg in create.args):
        return True
    return any(
        keyword.arg is None  # **options
        or (keyword.arg in sdk.STATUS_CALLBACK_ARGS and not is_none(keyword.value))
        for keyword in create.keywords
    )
