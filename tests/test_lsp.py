"""``twilio-lint lsp`` driven as an editor drives it: the real server in a subprocess, talked to
by pytest-lsp's language client (pygls). Open a document, get diagnostics, hover them, ask for
code actions (quick fixes, ``source.fixAll.twilio-lint``), apply them and get clean diagnostics.

Malformed input (a wrong ``Content-Length``, bad JSON, requests after ``shutdown``) is not what
an editor sends, so those tests, in ``test_lsp_protocol.py``, write raw bytes.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from tests.helpers import FAKE  # noqa: E402

TIMEOUT = 20.0
FIX_ALL = "source.fixAll.twilio-lint"
pytestmark = pytest.mark.asyncio(loop_scope="module")

CAPABILITIES = types.ClientCapabilities(
    general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
    workspace=types.WorkspaceClientCapabilities(
        workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)
    ),
    text_document=types.TextDocumentClientCapabilities(
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(
                    value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
                )
            )
        ),
    ),
)


#: The real server, started by pytest-lsp for a module's tests.
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "twilio_lint", "lsp"])


async def start_session(
    client: LanguageClient, root: Path, capabilities: types.ClientCapabilities
) -> types.InitializeResult:
    """``initialize`` as an editor opening ``root``, with a short debounce for the tests."""
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            initialization_options={"debounce": 0.2},
        )
    )


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: LanguageClient, tmp_path_factory):
    """One server for the module (each test uses its own directory and documents)."""
    result = await start_session(lsp_client, tmp_path_factory.mktemp("lsp"), CAPABILITIES)
    assert list(result.capabilities.code_action_provider.code_action_kinds) == ["quickfix", FIX_ALL]
    assert result.capabilities.hover_provider
    yield
    await lsp_client.shutdown_session()


# --- helpers: what an editor does -------------------------------------------------------------


def open_document(client: LanguageClient, uri: str, text: str, language: str = "python") -> str:
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=1, text=text
            )
        )
    )
    return uri


def change_document(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    """The next diagnostics published for ``uri`` (the helpers above forget the last ones)."""
    async with asyncio.timeout(TIMEOUT):
        while uri not in client.diagnostics:
            await asyncio.sleep(0.02)
    return list(client.diagnostics[uri])


async def code_actions(client, uri, range_, only=None, diags=()) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=range_,
            context=types.CodeActionContext(diagnostics=list(diags), only=only),
        )
    )
    return list(result or [])


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    (change,) = action.edit.document_changes
    assert change.text_document.uri == uri
    return list(change.edits)


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits as an editor does (the tests stick to ASCII text, where UTF-16
    units are characters)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: types.Position) -> int:
        return starts[min(position.line, len(lines))] + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def span(line: int, col: int, end_line: int, end_col: int) -> types.Range:
    return types.Range(start=types.Position(line, col), end=types.Position(end_line, end_col))


def summary(diags: list[types.Diagnostic]) -> list[tuple]:
    return [
        (d.code, d.range.start.line, d.range.start.character, d.range.end.line,
         d.range.end.character, d.data["fixable"])
        for d in diags
    ]


# --- diagnostics ------------------------------------------------------------------------------

APP = (
    "import os\n"
    "\n"
    "from twilio.base.exceptions import TwilioRestException\n"
    "from twilio.rest import Client\n"
    "\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
    "calls = client.api.calls.list(limit=20)\n"
    "try:\n"
    '    client.messages.create(to="+15005550006", from_="+15005550001", body="hi")\n'
    "except TwilioRestException:\n"
    "    pass\n"
)
APP_SAFE_FIXED = APP.replace("client.api.calls", "client.api.account.calls")


async def test_diagnostics_say_which_have_a_fix_and_link_the_docs(client, tmp_path: Path):
    uri = open_document(client, (tmp_path / "app.py").as_uri(), APP)
    diags = await diagnostics(client, uri)
    assert summary(diags) == [
        ("TWL101", 5, 9, 5, 82, True),
        ("TWL403", 6, 8, 6, 24, True),
        ("TWL303", 9, 0, 10, 8, False),
    ]
    assert [d.data.get("applicability") for d in diags] == ["unsafe", "safe", None]
    assert [d.code_description.href.rsplit("/", 1)[-1] for d in diags] == [
        "TWL101.md", "TWL403.md", "TWL303.md"
    ]
    assert {d.source for d in diags} == {"twilio-lint"}


async def test_hover_on_a_diagnostic_explains_the_rule(client, tmp_path: Path):
    uri = open_document(client, (tmp_path / "app.py").as_uri(), APP)
    await diagnostics(client, uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(6, 12)
        )
    )
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("# TWL403 deprecated-domain-shortcut\n")
    assert "## Fix safety" in hover.contents.value
    assert hover.range == span(6, 8, 6, 24)
    nothing = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(1, 0)
        )
    )
    assert nothing is None


async def test_an_unsaved_python_buffer_is_linted_like_stdin(client):
    source = "from twilio.rest import Client\nc = Client()\n"
    uri = open_document(client, "untitled:Untitled-1", source)
    assert summary(await diagnostics(client, uri)) == [("TWL101", 1, 4, 1, 12, True)]
    other = open_document(client, "untitled:Untitled-2", "c = Client()\n", language="plaintext")
    await asyncio.sleep(0.5)
    assert other not in client.diagnostics


async def test_a_buffer_that_does_not_parse_says_so_then_recovers(client, tmp_path: Path):
    uri = open_document(client, (tmp_path / "typing.py").as_uri(), APP)
    assert len(await diagnostics(client, uri)) == 3
    broken = APP.replace("list(limit=20)", "list(")
    change_document(client, uri, 2, broken)
    (diag,) = await diagnostics(client, uri)
    assert (diag.code, diag.data["fixable"]) == ("TWL001", False)
    # the engine's TWL001 (the same finding the command line reports), at the syntax error
    assert diag.message == "not checked: cannot parse: '(' was never closed (line 7, column 30)"
    assert (diag.range.start.line, diag.range.start.character) == (6, 29)
    assert diag.code_description.href.endswith("TWL001.md")
    change_document(client, uri, 3, APP)
    assert len(await diagnostics(client, uri)) == 3


async def test_change_is_debounced_and_reported(client, tmp_path: Path):
    clean = "from twilio.rest import Client\n"
    uri = open_document(client, (tmp_path / "clean.py").as_uri(), clean)
    assert await diagnostics(client, uri) == []
    # Several quick edits: only the final text matters.
    for version, text in enumerate(
        [clean + "c = Cl", clean + "c = Client(", clean + "c = Client()\n"], start=2
    ):
        change_document(client, uri, version, text)
    assert summary(await diagnostics(client, uri)) == [("TWL101", 1, 4, 1, 12, True)]


async def test_a_buffer_over_max_file_bytes_is_not_checked(client, tmp_path: Path):
    """As a file on disk or stdin: an editor buffer over the limit is not linted (TWL001)."""
    (tmp_path / "pyproject.toml").write_text("[tool.twilio-lint]\nmax-file-bytes = 200\n")
    source = "from twilio.rest import Client\nclient = Client()\n"
    uri = open_document(client, (tmp_path / "big.py").as_uri(), source + "# padding\n" * 20)
    (diag,) = await diagnostics(client, uri)
    assert (diag.code, diag.range.start.line, diag.range.start.character) == ("TWL001", 0, 0)
    assert diag.message == (
        "not checked: skipped: more than 200 bytes is over the max-file-bytes limit (200)"
    )
    change_document(client, uri, 2, source)
    assert summary(await diagnostics(client, uri)) == [("TWL101", 1, 9, 1, 17, True)]


async def test_workspace_configuration_applies(client, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.twilio-lint]\nexclude = ["generated"]\n'
        '[tool.twilio-lint.per-file-ignores]\n"quiet.py" = ["TWL101"]\n',
        encoding="utf-8",
    )
    source = "from twilio.rest import Client\nclient = Client()\n"
    (tmp_path / "generated").mkdir()
    flagged = open_document(client, (tmp_path / "loud.py").as_uri(), source)
    ignored = open_document(client, (tmp_path / "quiet.py").as_uri(), source)
    excluded = open_document(client, (tmp_path / "generated" / "x.py").as_uri(), source)
    assert [d.code for d in await diagnostics(client, flagged)] == ["TWL101"]
    assert await diagnostics(client, ignored) == []
    assert await diagnostics(client, excluded) == []


async def test_positions_are_in_utf16_units(client, tmp_path: Path):
    # The emoji is one character for Python and two UTF-16 code units for the client.
    source = 'from twilio.rest import Client\nnote = "😀"; client = Client()\n'
    uri = open_document(client, (tmp_path / "emoji.py").as_uri(), source)
    (diag,) = await diagnostics(client, uri)
    assert diag.range == span(1, 22, 1, 30)


# --- code actions -----------------------------------------------------------------------------


async def test_fix_all_applies_every_safe_fix_and_honours_only(client, tmp_path: Path):
    uri = open_document(client, (tmp_path / "app.py").as_uri(), APP)
    await diagnostics(client, uri)
    everywhere = span(0, 0, 11, 0)
    (fix_all,) = await code_actions(client, uri, everywhere, only=[FIX_ALL])
    assert (fix_all.kind, fix_all.title) == (FIX_ALL, "twilio-lint: Fix all safe fixes")
    assert [(e.range, e.new_text) for e in edits_of(fix_all, uri)] == [
        (span(6, 18, 6, 18), ".account")
    ]
    assert (await code_actions(client, uri, everywhere, only=["source"])) == [fix_all]
    quick = await code_actions(client, uri, everywhere, only=[types.CodeActionKind.QuickFix])
    assert FIX_ALL not in {action.kind for action in quick}
    assert fix_all in await code_actions(client, uri, everywhere)  # no `only`: every kind

    fixed = apply_edits(APP, edits_of(fix_all, uri))
    assert fixed == APP_SAFE_FIXED
    change_document(client, uri, 2, fixed)
    assert [d.code for d in await diagnostics(client, uri)] == ["TWL101", "TWL303"]
    assert await code_actions(client, uri, everywhere, only=[FIX_ALL]) == []


async def test_fix_all_is_what_fix_writes(client, tmp_path: Path):
    """Fix-all runs what --fix runs: every round, and imports tidied (the moved import back in
    sorted place, the one a fix made unused dropped)."""
    from tests.helpers import run_cli

    source = (
        "from twilio.rest import Client\n"
        "from twilio.util import RequestValidator\n"
        "\n"
        "validator = RequestValidator(token)\n"
        "calls = Client(key, secret, sid).api.calls.list(limit=20)\n"
    )
    expected = (
        "from twilio.request_validator import RequestValidator\n"
        "from twilio.rest import Client\n"
        "\n"
        "validator = RequestValidator(token)\n"
        "calls = Client(key, secret, sid).api.account.calls.list(limit=20)\n"
    )
    path = tmp_path / "legacy.py"
    path.write_text(source, encoding="utf-8")
    uri = open_document(client, path.as_uri(), source)
    assert [d.code for d in await diagnostics(client, uri)] == ["TWL402", "TWL403"]
    (fix_all,) = await code_actions(client, uri, span(0, 0, 5, 0), only=[FIX_ALL])
    assert apply_edits(source, edits_of(fix_all, uri)) == expected
    run_cli("check", "--isolated", "--fix", str(path))
    assert path.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("action", ["fix", "noqa"])
async def test_quick_fixes_then_clean_after_edit(client, tmp_path: Path, action):
    uri = open_document(client, (tmp_path / f"{action}.py").as_uri(), APP)
    diag = (await diagnostics(client, uri))[0]
    assert diag.code == "TWL101"
    actions = await code_actions(client, uri, diag.range, diags=[diag])
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert [a.kind for a in actions if a not in quick] == [FIX_ALL]
    fixes = [a for a in quick if "noqa" not in a.title]
    noqa = [a for a in quick if "noqa" in a.title]
    # TWL101's fix is unsafe: offered as a quick fix, labelled, never preferred.
    assert [a.title for a in fixes] == [
        "TWL101: Authenticate with an API key (TWILIO_API_KEY, TWILIO_API_SECRET) "
        "(unsafe: review the change)"
    ]
    assert not fixes[0].is_preferred and fixes[0].diagnostics[0].code == "TWL101"
    assert [a.title for a in noqa] == ["Disable TWL101 for this line (# noqa)"]
    # The # noqa action inserts the comment at the end of the line, nothing else.
    assert [(e.range, e.new_text) for e in edits_of(noqa[0], uri)] == [
        (span(5, 82, 5, 82), "  # noqa: TWL101")
    ]
    chosen = fixes[0] if action == "fix" else noqa[0]
    new_text = apply_edits(APP, edits_of(chosen, uri))
    change_document(client, uri, 2, new_text)
    assert [d.code for d in await diagnostics(client, uri)] == ["TWL403", "TWL303"]


async def test_one_quick_fix_leaves_no_unused_import(client, tmp_path: Path):
    """TWL304's quick fix on the only handler renames the import too (no F401 left)."""
    source = (
        "from twilio.base.exceptions import TwilioRestException\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(key, secret, sid)\n"
        "\n"
        "\n"
        "def numbers():\n"
        "    try:\n"
        "        return client.incoming_phone_numbers.list(limit=20)\n"
        "    except TwilioRestException:\n"
        "        return []\n"
    )
    uri = open_document(client, (tmp_path / "numbers.py").as_uri(), source)
    (diag,) = await diagnostics(client, uri)
    assert diag.code == "TWL304"
    actions = await code_actions(client, uri, diag.range, only=["quickfix"], diags=[diag])
    (fix,) = [a for a in actions if "noqa" not in a.title]
    assert [(e.range, e.new_text) for e in edits_of(fix, uri)] == [
        (span(9, 11, 9, 30), "TwilioException"),
        (span(0, 35, 0, 54), "TwilioException"),
    ]


async def test_edits_never_carry_a_credential_line(client, tmp_path: Path):
    token = FAKE["FAKE_AUTH_TOKEN"]
    source = (
        "from twilio.rest import Client\n"
        "\n"
        f'client = Client(api_key, api_secret, account_sid); token = "{token}"\n'
    )
    uri = open_document(client, (tmp_path / "secret.py").as_uri(), source)
    diags = await diagnostics(client, uri)
    assert [d.code for d in diags] == ["TWL102"]
    actions = await code_actions(client, uri, diags[0].range, diags=diags)
    sent = [e for a in actions for e in edits_of(a, uri)]
    assert sent and not any(token[:8] in e.new_text for e in sent)
    assert any(e.new_text == "  # noqa: TWL102" for e in sent)


async def test_a_device_uri_is_refused_and_never_read(client):
    source = "from twilio.rest import Client\nc = Client()\n"
    uri = open_document(client, "file:///dev/zero", source)
    async with asyncio.timeout(TIMEOUT):
        while not any("/dev/zero" in m.message for m in client.messages):
            await asyncio.sleep(0.02)
    (refused,) = [m.message for m in client.messages if "/dev/zero" in m.message]
    assert refused == "twilio-lint: /dev/zero: not a regular file (skipped)"
    assert uri not in client.diagnostics
    # A document the editor never opened is not read from disk either.
    assert await code_actions(client, "file:///dev/urandom", span(0, 0, 0, 0)) == []


# --- the configuration the command line uses ------------------------------------------------------


async def test_each_file_gets_its_nearest_configuration(client, tmp_path: Path):
    from tests.test_monorepo_config import EXPECTED, make_monorepo

    monorepo = make_monorepo(tmp_path)
    found = []
    for name in ("app.py", "svcA/worker.py", "svcB/app.py", "svcB/tests/test_app.py",
                 "svcB/legacy/old.py"):
        path = monorepo / name
        uri = open_document(client, path.as_uri(), path.read_text())
        for diag in await diagnostics(client, uri):
            start = diag.range.start
            found.append(f"{name}:{start.line + 1}:{start.character + 1}: {diag.code}")
    assert sorted(found) == EXPECTED  # what `twilio-lint check .` and flake8 report


async def test_the_configured_baseline_hides_known_findings(client, tmp_path: Path):
    from tests.helpers import run_cli
    from tests.test_files_like_ruff import VIOLATION, git_repo

    repo = git_repo(tmp_path / "repo", {
        "pyproject.toml": '[tool.twilio-lint]\nbaseline = "twilio-lint-baseline.json"\n',
        "svc/app.py": VIOLATION,
    })
    wrote = run_cli("check", "--write-baseline", "twilio-lint-baseline.json", ".", cwd=repo)
    assert wrote.returncode == 0, wrote.stderr
    known = open_document(client, (repo / "svc" / "app.py").as_uri(), VIOLATION)
    assert await diagnostics(client, known) == []
    fresh = open_document(client, (repo / "svc" / "new.py").as_uri(), VIOLATION)
    assert [diag.code for diag in await diagnostics(client, fresh)] == ["TWL101"]

