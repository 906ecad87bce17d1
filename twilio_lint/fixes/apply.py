"""Computing and applying fixes: the machinery behind ``--fix``, ``--diff``, ``--show-fixes``,
``--unsafe-fixes``, the JSON ``fix`` objects and the editor code actions.

The flow for one file (like Ruff): lint → compute the fix of each finding (``twilio_lint.fixes``)
→ apply the allowed fixes that do not overlap (identical edits, such as the same ``import os``
wanted by two fixes, are applied once) → re-parse with ``ast`` (a fix that would break the file
is dropped and reported) → lint again → repeat until nothing is left to apply, at most
``MAX_ITERATIONS`` rounds. Files are written atomically, in their own encoding and line endings.

Nothing here is imported for a plain ``check``: detection never pays for libcst.
"""

from __future__ import annotations

import ast
import difflib
import os
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# Files are decoded by the engine's decoder (so a fix's positions are the lint's) and written
# by the package's one atomic writer.
from twilio_lint.files import (
    DECODE_ERRORS,
    decode,
    fixed_as_python,
    may_write,
    read_for_rewrite,
    write_atomic,
)
from twilio_lint.findings import Edit, Finding, Fix
from twilio_lint.notebooks import Notebook, NotebookError, escape_lines, is_notebook

MAX_ITERATIONS = 10
APPLICABILITY_ORDER = {"safe": 0, "unsafe": 1, "display-only": 2}


def allowed(fix: Fix, unsafe: bool) -> bool:
    """May ``--fix`` apply this fix? Display-only fixes never are."""
    return fix.applicability == "safe" or (unsafe and fix.applicability == "unsafe")


# --- computing fixes ----------------------------------------------------------------------------


def attach_fixes(
    findings: list[Finding], text: str, path: str, options: dict | None = None
) -> list[str]:
    """Set ``finding.fix`` on the findings of one file whose rule has a fix and for which the
    fix can be computed. ``text`` is the file's decoded content. Returns problems to report
    (a fix that crashed is a bug: the finding keeps no fix and the run goes on)."""
    from twilio_lint.fixes import fixers

    # What each rule declared when it reported (the fix computes the same): a file none of
    # whose findings has a fix costs no fix context (a second parse, libcst).
    wanted = [f for f in findings if f.fix_applicability is not None]
    if not wanted:
        return []
    problems: list[str] = []
    modules = fixers()
    python = lints_as_python(path)
    ctx = _context(text, path, options, python)
    frozen = escape_lines(text) if is_notebook(path) else set()
    for finding in wanted:
        module = modules.get(finding.code)
        function = getattr(module, "fix" if python else "fix_text", None)
        if function is None:
            continue
        try:
            finding.fix = function(ctx, finding)
            if frozen and finding.fix and _touches(finding.fix, frozen):
                finding.fix = None  # a notebook's %magic is written back as it was
        except Exception as exc:  # noqa: BLE001 - one fix's failure must not stop the run
            if _is_parse_error(exc):
                return problems  # libcst cannot read this file: no fixes, no noise
            finding.fix = None
            problems.append(
                f"{path}:{finding.line}:{finding.col + 1}: no fix for {finding.code}: "
                f"{type(exc).__name__}: {' '.join(str(exc).split())}"
            )
    return problems


def _touches(fix: Fix, lines: set[int]) -> bool:
    """Does ``fix`` change text on one of ``lines``? Inserting at the start of a line (an
    ``import`` above it) or ending a deletion there leaves that line as it is."""
    for edit in fix.edits:
        first = edit.line if edit.col > 0 or (edit.end_line, edit.end_col) != (
            edit.line, edit.col
        ) else edit.line + 1
        last = edit.end_line if edit.end_col > 0 else edit.end_line - 1
        if any(line in lines for line in range(first, last + 1)):
            return True
    return False


def _context(text: str, path: str, options: dict | None, python: bool):
    from twilio_lint.fixes.context import PythonFixContext, TextFixContext

    return (PythonFixContext if python else TextFixContext)(path, text, options)


def _is_parse_error(exc: BaseException) -> bool:
    import libcst

    return isinstance(exc, (libcst.ParserSyntaxError, SyntaxError, RecursionError))


# --- applying edits -----------------------------------------------------------------------------


def _line_starts(text: str) -> list[int]:
    from twilio_lint.fixes.context import SourceText

    return SourceText(text).line_starts


def _offsets(edit: Edit, starts: list[int], size: int) -> tuple[int, int]:
    def offset(line: int, col: int) -> int:
        if line > len(starts):
            return size
        return min(starts[line - 1] + col, size)

    return offset(edit.line, edit.col), offset(edit.end_line, edit.end_col)


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, list[Fix]]:
    """Apply the fixes whose edits overlap no edit already taken; an edit identical to one
    already taken is shared, not repeated. Returns the new text and the fixes applied."""
    starts = _line_starts(text)
    size = len(text)
    taken: dict[tuple[int, int, str], None] = {}
    applied: list[Fix] = []
    ordered = sorted(
        fixes,
        key=lambda fix: min((_offsets(e, starts, size) for e in fix.edits), default=(0, 0)),
    )
    for fix in ordered:
        edits = [(*_offsets(edit, starts, size), edit.content) for edit in fix.edits]
        if not edits:
            continue
        new = [edit for edit in edits if edit not in taken]
        if any(_overlaps(edit, other) for edit in new for other in taken):
            continue
        if any(_overlaps(a, b) for i, a in enumerate(new) for b in new[i + 1 :]):
            continue
        for edit in new:
            taken[edit] = None
        applied.append(fix)
    pieces: list[str] = []
    cursor = 0
    for start, end, content in sorted(taken, key=lambda e: (e[0], e[1])):
        pieces.append(text[cursor:start])
        pieces.append(content)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), applied


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two edits conflict when their ranges intersect, or when both insert at one point, or
    one inserts at an end of the other's replaced range (their order would be a guess: TWL101
    rewriting ``Client(sid, token)`` and TWL306 inserting ``, http_client=…`` after ``token``
    made ``sid,\n, http_client=…``). The later one waits for the next round."""
    if a[0] == a[1] and b[0] == b[1]:
        return a[0] == b[0]
    if a[0] == a[1]:
        return b[0] <= a[0] <= b[1]
    if b[0] == b[1]:
        return a[0] <= b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def parses(text: str, path: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a SyntaxWarning is not a broken fix
            ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


# --- one file to a fixpoint ---------------------------------------------------------------------


@dataclass
class FileFix:
    """What fixing one file did."""

    path: str
    original: str
    text: str
    findings: list[Finding]  # the findings left, with the fixes still available attached
    fixed: list[Finding] = field(default_factory=list)  # findings whose fix was applied
    problems: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


def fix_text(
    linter,
    text: str,
    path: str,
    findings: list[Finding],
    unsafe: bool,
    encode: Callable[[str], bytes] | None = None,
) -> FileFix:
    """Apply the allowed fixes to ``text`` until none is left (or ``MAX_ITERATIONS``).
    ``encode`` turns a round's text into the file's bytes (its coding cookie's encoding), so
    the next round reads it as the file will be read; UTF-8 by default."""
    from twilio_lint.fixes.tidy_imports import (
        ImportsBefore,
        drop_unused_imports,
        keep_imports_sorted,
    )

    options = linter.options
    before = ImportsBefore(text) if is_python(path) else None
    result = FileFix(path, text, text, findings)
    rejected: set[tuple] = set()
    for _ in range(MAX_ITERATIONS):
        result.problems.extend(attach_fixes(findings, text, path, options))
        candidates = [
            f
            for f in findings
            if f.fix is not None and allowed(f.fix, unsafe) and _key(f) not in rejected
        ]
        if not candidates:
            break
        by_fix = {id(f.fix): f for f in candidates}
        new_text, applied = apply_fixes(text, [f.fix for f in candidates])
        if lints_as_python(path) and not parses(new_text, path):
            new_text, applied, bad = _apply_one_by_one(text, applied, path)
            for fix in bad:
                finding = by_fix[id(fix)]
                rejected.add(_key(finding))
                result.problems.append(
                    f"{path}:{finding.line}:{finding.col + 1}: the fix for {finding.code} "
                    "would make the file invalid; it was not applied (please report this)"
                )
        if not applied:
            break
        result.fixed.extend(by_fix[id(fix)] for fix in applied)
        if before is not None:  # imports as Ruff's F401 and I001 want them
            tidy = keep_imports_sorted(before, drop_unused_imports(before, new_text))
            if tidy is not new_text and parses(tidy, path):
                new_text = tidy
        text = new_text
        try:
            data = encode(text) if encode is not None else text.encode("utf-8")
        except UnicodeEncodeError as exc:
            result.problems.append(f"{path}: not fixed: {exc.reason} in {exc.encoding}")
            result.text, result.fixed = result.original, []
            return result
        if path == "-":  # stdin without a file name is Python, as in the first lint
            relinted = linter._lint_python_bytes(data, path)
        elif is_notebook(path):  # the text is the notebook's joined code cells
            relinted = linter.lint_notebook_code(text, path)
        else:
            relinted = linter.lint_source(data, path)
        if relinted.error is not None:  # cannot happen for a text that parses; be safe
            result.problems.append(f"{path}: {relinted.error.message}")
            break
        findings = relinted.findings
    result.text = text
    result.findings = findings
    return result


def _positions(findings: list[Finding]) -> list[tuple]:
    return sorted((f.code, f.line, f.col, f.end_line, f.end_col) for f in findings)


def _key(finding: Finding) -> tuple:
    """Recognises a rejected fix in later rounds, whose positions may have moved."""
    fix = finding.fix
    return (finding.code, tuple(edit.content for edit in fix.edits) if fix else ())


def _apply_one_by_one(text: str, fixes: list[Fix], path: str) -> tuple[str, list[Fix], list[Fix]]:
    """Apply non-overlapping fixes from the last to the first (so earlier positions stay
    valid), keeping each only if the file still parses."""
    starts = _line_starts(text)
    size = len(text)
    ordered = sorted(
        fixes,
        key=lambda fix: max(_offsets(e, starts, size) for e in fix.edits),
        reverse=True,
    )
    good: list[Fix] = []
    bad: list[Fix] = []
    for fix in ordered:
        # Always applied to the original text with the fixes kept so far: a kept fix that
        # inserts an import at the top moves every later line, so applying the next fix to
        # the already-changed text would put its edits on the wrong lines.
        new_text, applied = apply_fixes(text, [*good, fix])
        if not any(taken is fix for taken in applied):
            continue  # overlaps a kept fix: left for the next round
        if parses(new_text, path):
            good.append(fix)
        else:
            bad.append(fix)
    if good:
        # Re-apply the good ones together so shared edits (imports) are not repeated.
        combined, applied = apply_fixes(text, good)
        if parses(combined, path):
            return combined, applied, bad
        bad.extend(good)
    return text, [], bad


def is_python(path: str) -> bool:
    return path.endswith((".py", ".pyi")) or path == "-"


def lints_as_python(path: str) -> bool:
    """Python source, or a notebook whose fixes edit its joined code cells."""
    return fixed_as_python(path)


class Editable:
    """The text the fixes of a file edit, and the way back to the file's bytes: a file's own
    decoded text, or a notebook's joined code cells (written back into its JSON)."""

    def __init__(self, raw: bytes, path: str) -> None:
        """Raises one of ``DECODE_ERRORS`` or ``NotebookError``."""
        self.decoded = decode(raw, python=is_python(path))
        self.notebook = Notebook.from_bytes(raw) if is_notebook(path) else None
        self.text = self.notebook.code() if self.notebook else self.decoded.text

    def file_text(self, text: str) -> str:
        """The whole file's text once the edited text is ``text`` (for writes and diffs)."""
        return self.notebook.with_code(text) if self.notebook else text



# --- diffs --------------------------------------------------------------------------------------


def unified_diff(path: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{path}" if not os.path.isabs(path) else path,
        tofile=f"b/{path}" if not os.path.isabs(path) else path,
    )
    out = []
    for line in lines:
        out.append(
            line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
        )
    return "".join(out)


# --- the command line ---------------------------------------------------------------------------


@dataclass
class FixRun:
    """What ``--fix`` / ``--diff`` did over a whole run."""

    fixed: dict[str, list[Finding]] = field(default_factory=dict)  # path → fixed findings
    problems: list[str] = field(default_factory=list)
    changed_files: int = 0
    stdin_text: str | None = None  # the fixed stdin, for `check --fix -`
    # --diff writes nothing: each changed file's text before the run and after the last pass
    # (a later pass starts from these, as --fix starts from what it wrote).
    originals: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    encodings: dict[str, Callable[[str], bytes]] = field(default_factory=dict)

    @property
    def fixed_count(self) -> int:
        return sum(len(found) for found in self.fixed.values())

    @property
    def diffs(self) -> list[str]:
        return [
            unified_diff(path, self.originals[path], self.texts[path])
            for path in self.originals
            if self.texts[path] != self.originals[path]
        ]

#: A file modified this long before the run started counts as modified during it (file
#: times come from a coarse clock that may lag the one the run's start was read from).
MTIME_SLACK_NS = 50_000_000


def _changed_during_run(path: str, started_ns: int | None) -> bool:
    if started_ns is None:
        return True
    try:
        return os.stat(path).st_mtime_ns >= started_ns - MTIME_SLACK_NS
    except OSError:
        return True


def fix_outcome(
    args, settings, outcome, stdin_raw: bytes | None = None, run: FixRun | None = None
) -> FixRun:
    """Fix the files of a finished lint run in place (or, with ``--diff``, in ``run.texts``):
    ``outcome.findings`` becomes the findings left after fixing. A later pass passes the
    ``run`` of the earlier ones, whose texts are the starting point of a ``--diff``."""
    from twilio_lint.engine import Linters
    from twilio_lint.fixes import fixable_codes

    linters = Linters.of(settings)  # each file is fixed with its own settings
    unsafe = bool(getattr(args, "unsafe_fixes", False))
    write = not getattr(args, "diff", False)
    run = run if run is not None else FixRun()
    by_path: dict[str, list[Finding]] = {}
    for finding in outcome.findings:
        by_path.setdefault(finding.path, []).append(finding)
    codes = fixable_codes()
    kept: list[Finding] = []
    for path, findings in by_path.items():
        if not any(f.code in codes for f in findings):
            kept.extend(findings)
            continue
        if stdin_raw is None and not may_write(path, getattr(outcome, "write_roots", None)):
            run.problems.append(f"{path}: not fixed: outside the paths checked")
            kept.extend(findings)
            continue
        identity = None  # stdin: nothing on disk to compare with
        previewed = path in run.texts
        try:
            if path == "-" or stdin_raw is not None:
                raw = stdin_raw if stdin_raw is not None else b""
            else:
                raw, identity = read_for_rewrite(path)
            editable = Editable(raw, path)
            # --diff: a later pass starts from what the earlier ones would have written
            current = (
                Editable(run.encodings[path](run.texts[path]), path) if previewed else editable
            )
        except (OSError, NotebookError, *DECODE_ERRORS) as exc:
            run.problems.append(f"{path}: not fixed: {exc}")
            kept.extend(findings)
            continue
        linter = linters.for_path(path)
        if (
            stdin_raw is None
            and not previewed
            # the cheap stat first: most files did not change since the run started
            and _changed_during_run(path, getattr(outcome, "started_ns", None))
            # a pin found through a -r include is not reported by linting that file alone
            and _positions(linter.lint_bytes(raw, path).findings) != _positions(findings)
        ):  # edited since it was linted: the findings' positions no longer hold
            run.problems.append(f"{path}: not fixed: it changed while being linted")
            kept.extend(findings)
            continue
        result = fix_text(linter, current.text, path, findings, unsafe, current.decoded.encode)
        run.problems.extend(result.problems)
        if not result.changed:
            kept.extend(result.findings)
            continue
        if lints_as_python(path) and not parses(result.text, path):  # the last line of defence
            run.problems.append(f"{path}: not fixed: the fixed file would not parse")
            kept.extend(findings)
            continue
        try:
            fixed_file = current.file_text(result.text)
        except NotebookError as exc:
            run.problems.append(f"{path}: not fixed: {exc}")
            kept.extend(findings)
            continue
        if stdin_raw is not None and write:
            run.stdin_text = fixed_file
        elif write:
            try:
                if read_for_rewrite(path)[0] != raw:
                    run.problems.append(f"{path}: not fixed: it changed while being fixed")
                    kept.extend(findings)
                    continue
                write_atomic(path, current.decoded.encode(fixed_file), expected=identity)
            except (OSError, UnicodeEncodeError) as exc:
                reason = getattr(exc, "strerror", None) or exc
                run.problems.append(f"{path}: not written: {reason}")
                kept.extend(findings)
                continue
        else:
            run.originals.setdefault(path, editable.decoded.text)
            run.texts[path] = fixed_file
            run.encodings[path] = current.decoded.encode
        kept.extend(result.findings)
        if path not in run.fixed:
            run.changed_files += 1
        run.fixed.setdefault(path, []).extend(result.fixed)
    kept.sort(key=lambda finding: finding.sort_key)
    outcome.findings = kept
    if write:
        # The report's source context must show the fixed text.
        for path in run.fixed:
            outcome.sources.pop(path, None)
    return run


def attach_outcome_fixes(outcome, settings, stdin_raw: bytes | None = None) -> list[str]:
    """Attach the fixes of every finding of a run (for display and JSON), without applying."""
    from twilio_lint.config import Settings, SettingsResolver
    from twilio_lint.fixes import fixable_codes

    resolver = SettingsResolver.fixed(Settings()) if settings is None else settings
    if isinstance(resolver, Settings):
        resolver = SettingsResolver.fixed(resolver)
    codes = fixable_codes()
    by_path: dict[str, list[Finding]] = {}
    for finding in outcome.findings:
        if finding.code in codes:
            by_path.setdefault(finding.path, []).append(finding)
    problems: list[str] = []
    for path, findings in by_path.items():
        try:
            if stdin_raw is not None:
                raw = stdin_raw
            else:
                with open(path, "rb") as handle:
                    raw = handle.read()
            text = Editable(raw, path).text
        except (OSError, NotebookError, *DECODE_ERRORS):
            continue
        options = resolver.for_path(path).effective_options()
        problems.extend(attach_fixes(findings, text, path, options))
        for finding in findings:
            if finding.fix is not None and _shows_credential(finding.fix):
                # Reports never print a whole credential, and a masked edit would be wrong:
                # such a fix is applied by --fix but not shown.
                finding.fix = None
    return problems


def _shows_credential(fix: Fix) -> bool:
    from twilio_lint.masking import redact_credentials

    return any(redact_credentials(edit.content) != edit.content for edit in fix.edits)


#: Printed before a diff whose ``-`` lines hide a credential. Text before the first ``---``
#: header is a comment to ``git apply`` and ``patch``; the masked hunk itself does not apply.
MASKED_DIFF_NOTE = (
    "# twilio-lint: credentials in this diff are masked (first 4 characters, then …), so\n"
    "# the hunks that show them cannot be applied with `git apply`; run --fix to apply them.\n"
)


def _masked(text: str) -> str:
    """Printed diffs mask credential-shaped values like every other output."""
    from twilio_lint.masking import redact_credentials

    return redact_credentials(text)


def fix_counts(findings: list[Finding], unsafe: bool) -> tuple[int, int]:
    """(fixes ``--fix`` would apply, unsafe fixes hidden without ``--unsafe-fixes``)."""
    return _counts([f.fix.applicability if f.fix else None for f in findings], unsafe)


def _counts(applicabilities: list[str | None], unsafe: bool) -> tuple[int, int]:
    applicable = sum(1 for a in applicabilities if a == "safe" or (unsafe and a == "unsafe"))
    hidden = 0 if unsafe else applicabilities.count("unsafe")
    return applicable, hidden


def fixability(outcome) -> tuple[int, int, frozenset[str]]:
    """For a run that computed no fixes: (fixes ``--fix`` would apply, more that
    ``--unsafe-fixes`` would, the codes with a fix ``--fix`` applies), from what the rules
    declared when they reported (``Finding.fix_applicability``): no fix is computed and
    libcst is not imported."""
    declared = [finding.fix_applicability for finding in outcome.findings]
    safe, hidden = _counts(declared, unsafe=False)
    codes = frozenset(f.code for f in outcome.findings if f.fix_applicability == "safe")
    return safe, hidden, codes


def fixable_hint(safe: int, unsafe_fixes: int, unsafe_allowed: bool) -> str:
    """The closing hint; with ``--unsafe-fixes`` every fix counts, and the hint says so."""
    if unsafe_allowed:
        total = safe + unsafe_fixes
        return f"[*] {total} fixable with `--fix --unsafe-fixes`." if total else ""
    return fixable_line(safe, unsafe_fixes)


def fixable_line(safe: int, hidden: int) -> str:
    """Ruff's closing hint (0.17's words), for fixes that were not applied."""
    unsafe = (
        f"{_plural(hidden, 'unsafe fix')} available with `--fix --unsafe-fixes`" if hidden else ""
    )
    if safe:
        line = f"[*] {safe} fixable with `--fix`"
        return f"{line} ({unsafe})." if unsafe else f"{line}."
    return f"{unsafe}." if hidden else ""


def fixed_summary(run: FixRun) -> str:
    """``--show-fixes``: the fixes applied, per file and rule (like Ruff)."""
    from collections import Counter

    from twilio_lint.registry import rules_by_code

    if not run.fixed_count:
        return ""
    rules = rules_by_code()
    noun = "finding" if run.fixed_count == 1 else "findings"
    verb = "Fixed" if not run.diffs else "Would fix"
    lines = [f"{verb} {run.fixed_count} {noun}:"]
    for path in sorted(run.fixed):
        lines.append(f"- {path}:")
        counts = Counter(f.code for f in run.fixed[path])
        for code, count in sorted(counts.items()):
            name = rules[code].name if code in rules else ""
            lines.append(f"    {count} × {code} ({name})")
    return "\n".join(lines) + "\n"


def _plural(count: int, noun: str) -> str:
    return (
        f"{count} {noun}"
        if count == 1
        else f"{count} {noun}es"
        if noun.endswith("x")
        else f"{count} {noun}s"
    )


def handle(args, settings, outcome) -> int | None:
    """The fix part of ``check``: apply (``--fix``), show (``--diff``) or attach fixes for the
    report. Returns an exit code when the run ends here (``--diff``, ``--fix -``), else None
    with ``outcome`` updated: the findings left, ``fixed`` and the summary to print."""
    import sys

    stdin_raw = getattr(outcome, "stdin_raw", None)
    unsafe = bool(getattr(args, "unsafe_fixes", False))
    run: FixRun | None = None
    fix_only = bool(getattr(args, "fix_only", False))
    if getattr(args, "fix", False) or fix_only or getattr(args, "diff", False):
        run = fix_outcome(args, settings, outcome, stdin_raw)
        if stdin_raw is None:
            run = _after_manifest_changes(args, settings, outcome, run)
        for problem in run.problems:
            print(f"twilio-lint: warning: {_masked(problem)}", file=sys.stderr)
        outcome.fixed = run.fixed_count
        if getattr(args, "diff", False):
            diff = "".join(run.diffs)
            masked = _masked(diff)
            if masked != diff:
                sys.stdout.write(MASKED_DIFF_NOTE)
            sys.stdout.write(masked)
            sys.stdout.flush()
            if run.fixed_count:
                print(f"Would fix {_plural(run.fixed_count, 'finding')}.", file=sys.stderr)
            else:
                print("No fixes available.", file=sys.stderr)
            if getattr(args, "exit_zero", False):
                return 0
            return 1 if run.changed_files else 0
        if stdin_raw is not None:
            # Like Ruff: the fixed source on stdout, what is left on stderr.
            name = _stdin_name(args)
            original = decode(stdin_raw, python=is_python(name)).text if stdin_raw else ""
            sys.stdout.write(run.stdin_text if run.stdin_text is not None else original)
            if fix_only:
                return fix_only_exit_code(args, run)
            from twilio_lint.report import concise

            sys.stderr.write(concise(outcome.findings, outcome.sources))
            if getattr(args, "exit_zero", False):
                return 0
            if outcome.findings or (run.fixed_count and args.exit_non_zero_on_fix):
                return 1
            return 0
        if fix_only:
            if not getattr(args, "quiet", False):
                sys.stdout.write(_masked(fix_only_summary(args, run)))  # it names fixed files
            return fix_only_exit_code(args, run)
    for problem in attach_outcome_fixes(_Unfixed(outcome), settings, stdin_raw):
        print(f"twilio-lint: warning: {_masked(problem)}", file=sys.stderr)
    outcome.fix_summary = summary(args, outcome.findings, run, unsafe)
    return None


def fix_only_summary(args, run: FixRun) -> str:
    """``--fix-only``: what was fixed and nothing about what is left (Ruff prints nothing
    when there was nothing to fix)."""
    if not run.fixed_count:
        return ""
    listing = fixed_summary(run) if getattr(args, "show_fixes", False) else ""
    return f"{listing}Fixed {_plural(run.fixed_count, 'finding')}.\n"


def fix_only_exit_code(args, run: FixRun) -> int:
    """``--fix-only`` exits 0 whatever is left, 1 after a fix with ``--exit-non-zero-on-fix``."""
    if run.fixed_count and args.exit_non_zero_on_fix and not getattr(args, "exit_zero", False):
        return 1
    return 0


class _Unfixed:
    """The findings of an outcome that have no fix attached yet."""

    def __init__(self, outcome) -> None:
        self.findings = [f for f in outcome.findings if f.fix is None]


def _stdin_name(args) -> str:
    return getattr(args, "stdin_filename", None) or "-"


def summary(args, findings: list[Finding], run: FixRun | None, unsafe: bool) -> str:
    """The closing lines of the full and concise reports when fixes were computed."""
    lines: list[str] = []
    if run is not None and run.fixed_count and getattr(args, "show_fixes", False):
        lines.append(fixed_summary(run).rstrip("\n"))
    if run is not None and run.fixed_count:
        lines.append(f"Fixed {_plural(run.fixed_count, 'finding')} ({len(findings)} remaining).")
    elif findings:
        lines.append(f"Found {_plural(len(findings), 'finding')}.")
    else:
        lines.append("All checks passed!")
    applicable, hidden = fix_counts(findings, unsafe)
    if applicable and unsafe:
        lines.append(fixable_hint(applicable, 0, unsafe))
    elif hidden and not applicable and run is not None and run.fixed_count:
        verb = "has an unsafe fix" if hidden == 1 else "have unsafe fixes"  # some were applied
        lines.append(
            f"{_plural(hidden, 'remaining finding')} {verb}: add `--unsafe-fixes` to apply "
            f"{'it' if hidden == 1 else 'them'}."
        )
    elif applicable or hidden:
        lines.append(fixable_line(applicable, hidden))
    return "\n".join(lines) + "\n"


MAX_PASSES = 3


def _after_manifest_changes(args, settings, outcome, run: FixRun) -> FixRun:
    """A fixed manifest can change what Python files are told (TWL304 reads the project's
    twilio pin): lint the whole run again and fix what that shows, so a second ``--fix`` run
    finds nothing left. At most ``MAX_PASSES`` passes over the tree. ``--diff`` takes the
    same passes over the texts it would write (manifests are read from them), so it previews
    exactly what ``--fix`` does."""
    from twilio_lint.engine import Linters
    from twilio_lint.manifests import previewing

    passes = 1
    changed = [path for path in run.fixed if not lints_as_python(path)]
    while changed and passes < MAX_PASSES:
        passes += 1
        with previewing(run.texts):
            _clear_manifest_caches()
            linters = Linters.of(settings)
            findings: list[Finding] = []
            for result in linters.lint_paths(
                args.paths or ["."], force_exclude=args.force_exclude
            ):
                path = result.path
                if path in run.texts:  # --diff: what this file would be by now
                    previewed = run.encodings[path](run.texts[path])
                    result = linters.for_path(path).lint_source(previewed, path)
                findings.extend(result.findings)
            outcome.findings = sorted(findings, key=lambda finding: finding.sort_key)
            before = {path: len(fixed) for path, fixed in run.fixed.items()}
            fix_outcome(args, settings, outcome, None, run)
        changed = [
            path
            for path, fixed in run.fixed.items()
            if not lints_as_python(path) and len(fixed) > before.get(path, 0)
        ]
    _clear_manifest_caches()
    return run


def _clear_manifest_caches() -> None:
    """Forget what was read from manifests (``lru_cache``s of the analysis modules), so the
    next pass sees the pins just written. Rule and fix registries are left alone."""
    import sys

    for name, module in list(sys.modules.items()):
        if not name.startswith("twilio_lint.") or name in ("twilio_lint.registry",):
            continue
        if name.startswith("twilio_lint.fixes"):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()
