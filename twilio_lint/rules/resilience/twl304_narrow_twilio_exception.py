"""TWL304 narrow-twilio-exception: ``except TwilioRestException`` that misses the errors the
call raises (``list``/``stream``/``page``; ``TwilioServiceException`` since 9.10)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from twilio_lint.facts.imports import ModuleImports
from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.facts.retries import (
    BARE,
    BROAD,
    caught_exceptions,
    describe_request,
    request_calls,
)
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import TRY_TYPES

if TYPE_CHECKING:
    from packaging.version import Version

CODE = "TWL304"
NAME = "narrow-twilio-exception"
SUMMARY = (
    "except TwilioRestException that misses the TwilioException or TwilioServiceException raised"
)
DEFAULT_ON = True
FIX = "unsafe"
#: Handlers that already catch what TwilioRestException misses.
COVERS_ALL = frozenset({BARE, BROAD, sdk.TWILIO_EXCEPTION})

DOC = RuleDoc(
    what=(
        "Flags `except TwilioRestException` (with no broader handler on the same `try`) around "
        "`list()`, `stream()` or `page()` of a Twilio resource. When the project's nearest "
        "manifests (requirements files, `pyproject.toml`, `setup.cfg`, `Pipfile`, lock files) "
        "admit only twilio 9.10 or newer "
        "(`twilio==9.11.0`, `twilio>=9.10`, `^9.12`), it also flags `except "
        "TwilioRestException` around any Twilio call unless `TwilioServiceException` is caught "
        "too."
    ),
    why=(
        "The SDK raises different classes than most code expects. A failed `list()`, "
        "`stream()` or `page()` (a 429, a 500, a bad filter) raises a plain "
        '`TwilioException("Unable to fetch page", response)` from `twilio/base/page.py`, not '
        "`TwilioRestException`, in every version from 6.0 to today, so the handler never runs "
        "and the error escapes. Since 9.10.0, errors whose body follows RFC 9457 raise "
        "`TwilioServiceException`, which is a sibling of `TwilioRestException`, not a "
        "subclass. Catching `twilio.base.exceptions.TwilioException`, the base of all three, "
        "catches them all; `TwilioRestException` and `TwilioServiceException` still carry "
        "`status` and `code`, and the page error carries the HTTP response as its second "
        "argument."
    ),
    example=(
        "import os\n"
        "\n"
        "from twilio.base.exceptions import TwilioRestException\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    os.environ["TWILIO_ACCOUNT_SID"],\n'
        ")\n"
        "\n"
        "\n"
        "def recent_failures(since):\n"
        "    try:\n"
        '        return client.messages.list(date_sent_after=since, status="failed", limit=100)\n'
        "    except TwilioRestException as error:\n"
        '        raise RuntimeError(f"Twilio error {error.code}") from error\n'
    ),
    use_instead=(
        "import os\n"
        "\n"
        "from twilio.base.exceptions import TwilioException\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    os.environ["TWILIO_ACCOUNT_SID"],\n'
        ")\n"
        "\n"
        "\n"
        "def recent_failures(since):\n"
        "    try:\n"
        '        return client.messages.list(date_sent_after=since, status="failed", limit=100)\n'
        "    except TwilioException as error:\n"
        '        raise RuntimeError("listing Twilio messages failed") from error\n'
    ),
    fix_safety=(
        "Unsafe: the flagged `TwilioRestException` in the `except` becomes `TwilioException` "
        "(`exceptions.TwilioRestException` keeps its module prefix), and `from "
        "twilio.base.exceptions import TwilioException` is added once if needed (into an "
        "existing import of that module); an imported `TwilioRestException` that no code uses "
        "any more is removed from its import. It is unsafe because the handler then also runs "
        "for paging errors and "
        "`TwilioServiceException`, which it may not expect. No fix is offered when the handler "
        "reads an attribute only `TwilioRestException` has (`e.status`, `e.code`, `e.msg`, "
        "`e.uri`, `e.method`, `e.details`) or calls `vars(e)`, since that would raise "
        "`AttributeError` on a plain `TwilioException`."
    ),
    references=(twilio_docs.PYTHON_SDK, twilio_docs.SDK_CHANGELOG),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    resources = ResourceFacts.of(module)
    pinned: Version | None | bool = False  # False: not looked up yet
    for try_node in module.nodes(*TRY_TYPES):
        caught = [
            (kind, node)
            for handler in try_node.handlers
            for kind, node in caught_exceptions(module, handler)
        ]
        kinds = {kind for kind, _ in caught}
        narrow = [node for kind, node in caught if kind == sdk.TWILIO_REST_EXCEPTION]
        if not narrow or kinds & COVERS_ALL:
            continue
        calls = request_calls(module, try_node.body)
        paged = [call for call in calls if resources.request_method(call) in sdk.PAGED_METHODS]
        if paged:
            others_raise_it = len(paged) < len(calls)  # fetch/create… raise TwilioRestException
            yield _paged_finding(module, narrow[0], paged[0], others_raise_it)
            continue
        if sdk.TWILIO_SERVICE_EXCEPTION in kinds:
            continue
        if pinned is False:
            # Imported here: manifests and packaging are needed only for a narrow handler.
            from twilio_lint.manifests import lowest_twilio_version

            pinned = lowest_twilio_version(module.path)
        if pinned and pinned >= _service_exception_since():
            yield module.finding(
                CODE,
                narrow[0],
                f"the project uses twilio {pinned} or newer: since 9.10 errors with an RFC 9457 "
                "body raise TwilioServiceException, which is not a TwilioRestException; catch "
                "twilio.base.exceptions.TwilioException (or add TwilioServiceException)",
                **_fix(module, narrow[0]),
            )


@lru_cache(maxsize=None)
def _service_exception_since() -> Version:
    from packaging.version import Version

    return Version(sdk.SERVICE_EXCEPTION_SINCE)


def _paged_finding(
    module: SemanticModel, node: ast.AST, call: ast.Call, others_raise_it: bool
) -> Finding:
    """``others_raise_it``: other requests in the ``try`` raise ``TwilioRestException``, so the
    handler runs for them, only not for the paging error."""
    outcome = (
        "so this handler misses its errors"
        if others_raise_it
        else "so this handler never runs"
    )
    return module.finding(
        CODE,
        node,
        f'{describe_request(call)}() raises a plain TwilioException ("Unable to fetch page"), '
        f"not TwilioRestException, {outcome}; catch twilio.base.exceptions.TwilioException",
        **_fix(module, node),
    )


def _fix(module: SemanticModel, node: ast.AST) -> dict:
    """The finding's ``data`` and ``fix_applicability``."""
    data = _fix_data(module, node)
    applicability = FIX if data else None
    if data == {"rewrite": "name"}:  # the fix imports TwilioException unless it may not
        imports = ModuleImports.of(module)
        if imports.import_name(*sdk.TWILIO_EXCEPTION.rsplit(".", 1)) is None:
            applicability = None
    return {"data": data, "fix_applicability": applicability}


def _fix_data(module: SemanticModel, node: ast.AST) -> dict | None:
    """What the fix needs: ``rewrite`` is ``"name"`` (a bare ``TwilioRestException`` becomes
    an imported ``TwilioException``) or ``"attribute"`` (``exceptions.TwilioRestException``
    keeps its module prefix). Only for the class named by its current path, and not when the
    handler reads what only ``TwilioRestException`` has."""
    if module.qualname(node) != sdk.TWILIO_REST_EXCEPTION:
        return None  # a 5.x path or an alias of one
    handler = next((a for a in module.ancestors(node) if isinstance(a, ast.ExceptHandler)), None)
    if handler is None or _reads_rest_attributes(handler):
        return None  # a plain TwilioException would make that code raise AttributeError
    if isinstance(node, ast.Name):
        return {"rewrite": "name"}
    if isinstance(node, ast.Attribute) and module.qualname(node.value) == "twilio.base.exceptions":
        return {"rewrite": "attribute"}
    return None


def _reads_rest_attributes(handler: ast.ExceptHandler) -> bool:
    if not handler.name:
        return False
    for node in ast.walk(handler):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == handler.name
            and node.attr in sdk.REST_EXCEPTION_ONLY_ATTRIBUTES
        ):
            return True
        if (  # getattr(e, "status", None) is fine; vars(e) / e.__dict__ we cannot see through
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("vars",)
        ):
            return True
    return False
