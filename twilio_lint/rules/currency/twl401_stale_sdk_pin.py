"""TWL401 stale-sdk-pin: a manifest whose newest allowed Twilio SDK release is out of date.

Only this module's names are imported when the rule registry loads; the manifest parsers and
the release data are imported on the first manifest, so linting Python files stays cheap.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from twilio_lint.findings import Finding
from twilio_lint.knowledge import twilio_docs
from twilio_lint.registry import Option, RuleDoc
from twilio_lint.rules.currency import _locks
from twilio_lint.semantic.text import TextDocument

if TYPE_CHECKING:
    from datetime import date

    from twilio_lint.manifests.releases import Release

CODE = "TWL401"
NAME = "stale-sdk-pin"
SUMMARY = "Dependency pin that keeps a Twilio SDK more than a quarter behind"
DEFAULT_ON = True
FIX = "unsafe"

OPTIONS = {
    "max-sdk-age-days": Option(
        int,
        90,
        "Days the newest release a pin allows may trail the newest known release "
        "(Twilio asks for an update at least once a quarter).",
        bounds=(0, 3650),
    ),
}

#: Mirrors twilio_lint.manifests.FILE_PATTERNS (a test keeps them equal); kept literal here so
#: the registry does not import the parsers. A pattern with "/" also names the parent folder.
FILE_PATTERNS = (
    "uv.lock", "poetry.lock", "Pipfile.lock", "pyproject.toml", "setup.cfg", "setup.py",
    "Pipfile", "requirements*.txt", "requirements*.in", "constraints*.txt",
    "requirements/*.txt", "requirements/*.in",
    "package.json", "composer.json", "Gemfile", "gems.rb", "Gemfile.lock", "gems.locked",
    "pom.xml", "build.gradle", "build.gradle.kts", "libs.versions.toml", "go.mod",
    "*.csproj", "*.fsproj", "*.vbproj", "Directory.Packages.props", "packages.config",
)

#: A manifest that never says "twilio" (any case) pins no SDK, unless it includes a file that
#: does (``-r``/``-c``) or spells the name with escapes (JSON/TOML ``\u``, Python ``\x``, XML
#: ``&#``): only then are the parsers (and ``packaging``) imported for it.
FILE_TRIGGER = (b"-r", b"-c", rb"\\", b"&#")

DOC = RuleDoc(
    what=(
        "Flags a dependency on a Twilio server SDK whose newest allowed release is more than "
        "`max-sdk-age-days` (90) older than the newest known release, belongs to an older "
        "major, or was yanked. Python: `requirements*.txt`/`.in`, `constraints*.txt`, "
        "`requirements/*.txt` (and plain files they `-r`-include, reported there), "
        "`pyproject.toml` (PEP 621, optional dependencies, `[dependency-groups]`, Poetry, "
        "PDM), `Pipfile`, `setup.cfg`, `setup.py`, `poetry.lock`, `Pipfile.lock`, `uv.lock`. "
        "Other SDKs: `package.json`, `Gemfile`/`Gemfile.lock`, `composer.json`, `pom.xml`, "
        "`build.gradle(.kts)`, `libs.versions.toml`, `go.mod`, `*.csproj`/`packages.config`. "
        "Ranges that admit the newest release (`>=9`, `^9.2`, `~> 7.10`) are fine. One stale "
        "pin is one finding, where you act: a lock file (`poetry.lock`, `uv.lock`, "
        "`Pipfile.lock`, `Gemfile.lock`, a `requirements.txt` compiled from the "
        "`requirements.in` beside it) is reported only when the manifest beside it already "
        "admits a current release (re-lock: `poetry update twilio`) or does not name the SDK; "
        "otherwise the manifest's finding names the locks that follow it. The "
        "release history ships with twilio-lint and is read offline; \"today\" is the newest "
        "date in it, so "
        "results do not change with the clock. `--sdk-reference-date YYYY-MM-DD` judges as of "
        "another day (releases after it are ignored)."
    ),
    why=(
        "Twilio asks users to update their SDK at least once a quarter: old releases miss API "
        "additions, security fixes and bug fixes (twilio-python 9.1.0–9.4.3 silently ignore "
        "`max_retries`), and yanked releases (9.0.0, 9.0.1) are broken. A pin that stops "
        "upgrades keeps them in production long after the fix shipped."
    ),
    example="twilio==8.13.0\n",
    use_instead="twilio>=9.13.0,<10\n",
    fix_safety=(
        "Unsafe: the pin is raised to the newest known release, changing only the version text "
        "the finding spans and keeping the constraint's style (`twilio==7.16.0` → "
        "`twilio==9.13.0`, `~=8.1` → `~=9.13`, `>=8.0,<9` → `>=9.13.0,<10`, npm `^`, Gemfile "
        "`~>`, Maven, Gradle and NuGet versions). It is unsafe because a new major can change "
        "or remove APIs: read the upgrade guide and run the tests. A pin found through a `-r` "
        "include is raised in the included file. No fix is offered for a requirement with "
        "`--hash=` options (pip's `--require-hashes` would reject the new version with the old "
        "hashes: re-compile the file, e.g. `pip-compile --generate-hashes`), for lock "
        "files (re-lock instead, or their hashes no longer match), `go.mod` (a new major "
        "changes the module path), dependencies without a version, or constraints it cannot "
        "rewrite faithfully (`!=` exclusions, Maven ranges, `||` unions)."
    ),
    example_filename="requirements.txt",
    references=(twilio_docs.SDK_VERSIONS, twilio_docs.SDK_CHANGELOG),
)


def check_file(document: TextDocument) -> Iterator[Finding]:
    from twilio_lint import manifests
    from twilio_lint.manifests.raising import raised_pin
    from twilio_lint.noqa import is_suppressed

    reference = _reference_date(document.options.get("sdk-reference-date"))
    max_age = document.options.get("max-sdk-age-days", 90)
    source = manifests.Source(document.path, document.text)
    # a hostile file repeats one pin 50,000 times
    verdicts: dict[tuple, tuple[str, Release] | None] = {}
    judge = _Judge(reference, max_age)
    lock = _locks.manifest_of(document.path)
    for pin in manifests.parse(source):
        key = (pin.ecosystem, pin.flavor, pin.spec, pin.ruby_requirements, pin.written)
        if key not in verdicts:
            verdicts[key] = judge.verdict(pin)
        verdict = verdicts[key]
        if verdict is None:
            continue
        problem, newest = verdict
        if pin.source.path != document.path:
            message = f"{problem}; {_advice(newest)}"
        elif lock is not None:  # one stale pin, one finding: where the user acts
            advice = judge.lock_advice(lock, pin, newest)
            if advice is None:
                continue  # the manifest's constraint holds it back: reported there
            message = f"{problem}; {advice}"
        else:
            message = f"{problem}; {_advice(newest)}{judge.locks_note(document.path, pin)}"
        line, col = pin.source.position(pin.start)
        end_line, end_col = pin.source.position(pin.end)
        # What the fix needs: the release to raise the pin to and the constraint's grammar
        # (a pin read through a -r include is fixed in the included file, where it is
        # reported). None for a dependency without a version.
        data = {"target": newest.text, "flavor": pin.flavor} if pin.spec else None
        raisable = data and raised_pin(
            pin.source.text, pin.start, pin.end, newest.text, pin.flavor
        )
        finding = document.finding(
            CODE, line, col, end_col, message, end_line=end_line, data=data,
            fix_applicability=FIX if raisable else None,
        )
        if pin.source.path != document.path:  # found through a -r include: report it there
            finding = dataclasses.replace(finding, path=pin.source.path)
            if is_suppressed(finding, pin.source.text.splitlines()):
                continue
        yield finding


class _Judge:
    """Verdicts on pins as of one day, and what a manifest and its lock files say together."""

    def __init__(self, reference: date, max_age: int) -> None:
        self.reference = reference
        self.max_age = max_age

    def verdict(self, pin) -> tuple[str, Release] | None:
        return _verdict(pin, self.reference, self.max_age)

    def lock_advice(self, lock: _locks.Pair, pin, newest: Release) -> str | None:
        """For a stale pin in a lock file: the advice when the user acts on the lock (its
        manifest already admits a current release, or does not name the SDK); None when the
        manifest's own constraint is stale (its finding names the lock)."""
        from twilio_lint import manifests

        in_manifest = [p for p in _pins_of(lock.manifest) if p.ecosystem == pin.ecosystem]
        if not in_manifest:
            return _advice(newest)
        if any(self.verdict(p) is not None for p in in_manifest):
            return None
        package = manifests.history(pin.ecosystem).package
        return (
            f"{os.path.basename(lock.manifest)} already admits {newest.text}: re-lock with "
            f"`{lock.relock(package)}`"
        )

    def locks_note(self, manifest_path: str, pin) -> str:
        """For a stale pin in a manifest: the lock files that hold the old version too."""
        from twilio_lint import manifests

        stale = []
        for lock in _locks.locks_of(manifest_path):
            for locked in _pins_of(lock.lock):
                if locked.ecosystem == pin.ecosystem and self.verdict(locked) is not None:
                    package = manifests.history(pin.ecosystem).package
                    version = locked.written.lstrip("=")
                    stale.append((os.path.basename(lock.lock), version, lock.relock(package)))
                    break
        if not stale:
            return ""
        names = ", ".join(f"{name} (locked at {version})" for name, version, _ in stale)
        commands = " / ".join(f"`{command}`" for _, _, command in stale)
        return f"; {names} follow{'s' if len(stale) == 1 else ''} when re-locked with {commands}"


def _pins_of(path: str) -> list:
    from twilio_lint import manifests

    text = manifests.read_text(path)  # recorded: the cached result depends on it
    if text is None:
        return []
    return manifests.parse(manifests.Source(path, text), follow_includes=False)


def _reference_date(value: object) -> date:
    from datetime import date

    from twilio_lint.manifests import default_reference_date

    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return default_reference_date()


def _verdict(pin, reference: date, max_age: int) -> tuple[str, Release] | None:
    """What is wrong with the pin and the newest release, or None when the pin is fine."""
    from packaging.version import Version

    from twilio_lint.manifests import compile_pin, history, newest_admitted

    spec = compile_pin(pin)
    if spec is None:
        return None  # a URL, git branch or workspace link: no version to judge
    sdk = history(pin.ecosystem)
    releases = sdk.known_on(reference)
    installable = [r for r in releases if r.installable]
    if not installable:
        return None
    newest = max(installable, key=lambda r: r.version)
    admitted = newest_admitted(spec, releases)
    written = " ".join(pin.written.split())
    if admitted is None:
        ceiling = spec.ceiling()
        major = Version(str(newest.version.major))
        if ceiling is None or not (ceiling[0] < major or (ceiling[0] == major and not ceiling[1])):
            return None  # admits nothing we know (a future release?): nothing to say
        return (
            f"'{written}' allows only {sdk.label} releases before {ceiling[0]}, an older major "
            f"than the newest release {newest.describe()}"
        ), newest
    if admitted.version == newest.version:
        return None
    problems = []
    if admitted.status == "yanked":
        problems.append("yanked from PyPI")
    elif admitted.status == "unavailable":
        problems.append("never published to PyPI")
    behind = []
    age = (newest.date - admitted.date).days if admitted.date and newest.date else None
    if age is not None and age > max_age:
        behind.append(f"{age:,} days")
    majors = newest.version.major - admitted.version.major
    if majors > 0:
        behind.append("a major version" if majors == 1 else f"{majors} major versions")
    if not problems and not behind:
        return None  # within the window
    if behind:
        problems.append(f"{' and '.join(behind)} behind the newest release {newest.describe()}")
    else:
        problems.append(f"the newest release is {newest.describe()}")
    when = f" ({admitted.date.isoformat()})" if admitted.date else ""
    subject = f"{sdk.label} {admitted.text}{when}"
    if spec.exact is None:
        subject = f"'{written}' allows at most {subject}"
    defect = sdk.defect(admitted.version)
    note = f"; {defect}" if defect else ""
    return f"{subject}: {', '.join(problems)}{note}", newest


def _advice(newest) -> str:
    return (
        f"raise the pin to {newest.text} or a range that admits it "
        "(Twilio asks for an SDK update every quarter)"
    )
