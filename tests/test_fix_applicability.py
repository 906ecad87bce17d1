"""A finding declares when it is reported whether it has a fix and how safe it is
(``Finding.fix_applicability``), so a plain check says what is fixable without computing a
fix (no libcst). The declaration must be exactly what the fixer then computes."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers import ROOT, fill
from tests.test_fix_cli import MIXED

#: A safe fix (TWL403) and two unsafe ones (TWL101, TWL103).
APP = MIXED + (
    "client.messages.create(\n"
    '    to="+15005550006", from_="+15005550001", body="hi",\n'
    '    status_callback="http://example.com/status",\n'
    ")\n"
)
#: Findings whose fix is withheld for what the source spells: a timeout of None given
#: positionally (TWL306), a shortcut with a space in it (TWL403), an escaped scheme (TWL103).
WITHHELD = (
    "import os\n"
    "\n"
    "from twilio.http.http_client import TwilioHttpClient\n"
    "from twilio.rest import Client\n"
    "\n"
    "http = TwilioHttpClient(True, None, None, None)\n"
    'key, secret = os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"]\n'
    'client = Client(key, secret, os.environ["TWILIO_ACCOUNT_SID"], http_client=http)\n'
    "calls = client.api .calls.list(limit=20)\n"
    "client.messages.create(\n"
    '    to="+15005550006", from_="+15005550001", body="hi",\n'
    '    status_callback="\\x68ttp://example.com/status",\n'
    ")\n"
)
#: The names a fix would import are taken: ``os`` (TWL101), ``TwilioHttpClient`` (TWL306).
TAKEN = (
    "from twilio.rest import Client\n"
    "\n"
    "TwilioHttpClient = None\n"
    "\n"
    "\n"
    "def make(os):\n"
    "    return Client()\n"
)
#: A statement the fix would remove shares its line (TWL105).
SHARED_LINE = (
    "from twilio.http.http_client import TwilioHttpClient\n"
    "from twilio.rest import Client\n"
    "\n"
    "http = TwilioHttpClient(timeout=10)\n"
    'http.session.verify = False; print("insecure")\n'
    "client = Client(http_client=http)\n"
)
HINT = (
    "[*] 1 fixable with `--fix` "
    "(2 unsafe fixes available with `--fix --unsafe-fixes`)."
)


def _twilio_sample() -> list[str]:
    """Every fifth module of the installed twilio package, in a stable order."""
    import twilio

    top = Path(twilio.__file__).parent
    return [str(path) for path in sorted(top.rglob("*.py"))[::5]]


def _fix_rule_cases(root: Path) -> list[str]:
    """The before-texts of tests/test_fix_rules.py: where each fix applies or is withheld."""
    from tests.test_fix_rules import CASES, _path

    for case in CASES:
        path = _path(root, case)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fill(case.before), encoding="utf-8")
    return [str(root)]


def _declared_and_computed(paths: list[str]) -> list[tuple[str, str, str | None, str | None]]:
    """(code, where, declared, computed) for every finding of a fixable rule under ``paths``."""
    from twilio_lint.config import Settings
    from twilio_lint.engine import Linter
    from twilio_lint.fixes import fixable_codes
    from twilio_lint.fixes.apply import Editable, attach_fixes

    settings = Settings(select=["ALL"])
    linter = Linter(settings)
    rows = []
    for result in linter.lint_paths(paths):
        findings = [replace(f, fix=None) for f in result.findings if f.code in fixable_codes()]
        if not findings:
            continue
        with open(result.path, "rb") as handle:
            text = Editable(handle.read(), result.path).text
        assert attach_fixes(findings, text, result.path, settings.effective_options()) == []
        for f in findings:
            computed = f.fix.applicability if f.fix is not None else None
            where = f"{f.path}:{f.line}:{f.col + 1}"
            rows.append((f.code, where, f.fix_applicability, computed))
    return rows


@pytest.mark.slow
def test_declared_applicability_is_what_the_fix_computes(fixture_tree, tmp_path):
    from twilio_lint.fixes import fixable_codes

    (tmp_path / "withheld.py").write_text(WITHHELD)
    (tmp_path / "taken.py").write_text(TAKEN)
    (tmp_path / "shared_line.py").write_text(SHARED_LINE)
    paths = [
        str(tmp_path / "shared_line.py"),
        str(tmp_path / "withheld.py"),
        str(tmp_path / "taken.py"),
        str(fixture_tree),
        str(ROOT / "examples"),
        *_fix_rule_cases(tmp_path / "cases"),
        *_twilio_sample(),
    ]
    rows = _declared_and_computed(paths)
    wrong = [
        f"{where} {code}: declared {declared}, the fix computes {computed}"
        for code, where, declared, computed in rows
        if declared != computed
    ]
    assert not wrong, "\n".join(wrong)
    # Not vacuous: every fixable rule has findings with a fix in the corpus, each kind of
    # applicability is there, and fixes are withheld from findings of most rules.
    assert {code for code, _, declared, _ in rows if declared} == fixable_codes()
    assert {declared for _, _, declared, _ in rows} == {"safe", "unsafe", None}
    withheld = {code for code, _, declared, _ in rows if declared is None}
    assert withheld >= {
        "TWL101", "TWL102", "TWL103", "TWL105", "TWL304", "TWL306", "TWL401", "TWL402",
        "TWL403",
    }


#: A plain check that says whether it imported libcst.
PROBE = (
    "import sys\n"
    "from twilio_lint.cli import main\n"
    "code = main(['check', '--isolated', *sys.argv[1:]])\n"
    "print('libcst imported:', any(m.split('.')[0] == 'libcst' for m in sys.modules))\n"
)


def _probe(tmp_path: Path, *args: str, env: dict | None = None) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300,
        cwd=tmp_path, env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout.splitlines()


def test_plain_check_prints_the_hint_without_importing_libcst(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    lines = _probe(tmp_path, "--no-cache", "app.py")
    assert lines[-3:] == ["Found 3 findings.", HINT, "libcst imported: False"]


def test_the_hint_comes_from_the_cache_and_the_workers_without_libcst(tmp_path):
    # 16 files over 1 MB: the worker pool's batch size; findings come back as dicts.
    padding = "# a long comment that keeps the file big enough for the worker pool\n" * 1000
    for index in range(16):
        (tmp_path / f"app_{index:02}.py").write_text(APP + padding)
    env = {"TWILIO_LINT_CACHE_DIR": str(tmp_path / "cache")}
    hint = (
        "[*] 16 fixable with `--fix` "
        "(32 unsafe fixes available with `--fix --unsafe-fixes`)."
    )
    expected = ["Found 48 findings.", hint, "libcst imported: False"]
    assert _probe(tmp_path, "-j", "2", ".", env=env)[-3:] == expected  # workers, cache written
    assert os.listdir(tmp_path / "cache")
    assert _probe(tmp_path, "-j", "2", ".", env=env)[-3:] == expected  # from the cache


def test_declared_applicability_survives_the_cache_and_worker_round_trip():
    from twilio_lint.findings import Finding, finding_from_dict, finding_to_dict

    finding = Finding("TWL403", "m", "a.py", 1, 0, 1, 5, fix_applicability="safe")
    assert finding_from_dict(finding_to_dict(finding)).fix_applicability == "safe"
    plain = replace(finding, fix_applicability=None)
    assert "fix_applicability" not in finding_to_dict(plain)
    assert finding_from_dict(finding_to_dict(plain)).fix_applicability is None


def test_a_hostile_cached_applicability_is_refused():
    from twilio_lint.findings import Finding, finding_from_dict, finding_to_dict

    item = finding_to_dict(Finding("TWL403", "m", "a.py", 1, 0, 1, 5))
    assert finding_from_dict({**item, "fix_applicability": "unsafe"}).fix_applicability == "unsafe"
    with pytest.raises(TypeError):
        finding_from_dict({**item, "fix_applicability": "always"})
