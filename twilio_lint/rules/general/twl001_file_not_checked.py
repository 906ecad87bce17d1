"""TWL001 file-not-checked: a file that may hold findings could not be checked.

The engine reports it (no rule logic runs here): a Python file that passes the prefilter but
does not decode or parse, a file over ``max-file-bytes`` that may hold findings, a file that
vanished or cannot be read, a path on the command line that does not exist, a manifest that
mentions twilio but does not parse. Like Ruff's syntax errors, it fails the gate (exit 1):
a file nobody could check must not pass as clean.
"""

from __future__ import annotations

from twilio_lint.findings import Finding
from twilio_lint.registry import RuleDoc

CODE = "TWL001"
NAME = "file-not-checked"
SUMMARY = "A file that may hold findings could not be checked (parse, decode, size, missing)"
DEFAULT_ON = True
FIX = None
#: No ``check``: the engine reports this code when it cannot run the other rules on a file.
REPORTED_BY_ENGINE = True

DOC = RuleDoc(
    what=(
        "Reports a file that may hold findings but that twilio-lint could not check: Python "
        "that mentions Twilio but does not parse or decode (a syntax error, a bad coding "
        "cookie), a file over `max-file-bytes` that may hold findings, a file that vanished "
        "or cannot be read, a path on the command line that does not exist, or a dependency "
        "manifest that mentions twilio but is not valid TOML, JSON or XML."
    ),
    why=(
        "A linter used as a CI gate must not pass a file it never read: a syntax error, a "
        "stray byte or a huge generated file would otherwise hide every finding in it, and a "
        "typo in a path would make the gate check nothing. Like Ruff's syntax errors, this "
        "diagnostic fails the run (exit code 1) in every output format, and is reported "
        "whatever `--select` says. Ignore it where a file is unparseable on purpose "
        "(`per-file-ignores`, `--ignore TWL001`)."
    ),
    example=(
        "from twilio.rest import Client\n"
        "\n"
        "def send(client: Client, to, body:\n"
        "    return client.messages.create(to=to, body=body)\n"
    ),
    use_instead=(
        "from twilio.rest import Client\n"
        "\n"
        "def send(client: Client, to, body):\n"
        "    return client.messages.create(to=to, body=body)\n"
    ),
    fix_safety="This rule has no automatic fix: the file must be made readable.",
)


def finding(path: str, reason: str, line: int = 1, col: int = 0) -> Finding:
    """The diagnostic for ``path``; ``reason`` says why it was not checked (one line, with
    credentials already masked)."""
    return Finding(CODE, f"not checked: {reason}", path, line, col, line, col, name=NAME)
