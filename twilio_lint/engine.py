"""The rule engine: discover files, prefilter, parse once, run the rules, apply noqa.

Every front door (CLI, flake8, pre-commit, LSP) goes through ``Linter``. Bad input never raises
out of here: each unreadable, undecodable or unparseable file becomes one ``FileError``.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import os
import re
import stat
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from twilio_lint.config import DEFAULT_EXCLUDES, Settings
from twilio_lint.files import DECODE_ERRORS, PYTHON_SUFFIXES, decode
from twilio_lint.findings import FileError, Finding
from twilio_lint.masking import redact_credentials
from twilio_lint.noqa import filter_suppressed
from twilio_lint.prefilter import Prefilter
from twilio_lint.registry import Rule, all_rules


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None
    skipped: bool = False  # prefiltered out: no rule could report anything here
    # (stat, content hash, files consulted) while linting, for the main process's cache.
    observed: tuple | None = field(default=None, repr=False, compare=False)


class Linter:
    """Runs the enabled rules over sources, files or whole trees."""

    def __init__(self, settings: Settings | None = None, prefilter: bool = True) -> None:
        self.settings = settings or Settings()
        self.enabled = self.settings.enabled_codes()
        rules = [rule for rule in all_rules() if rule.code in self.enabled]
        # A rule's module, and the facts it asks, are imported when a file first needs it.
        self.python_rules = [rule for rule in rules if rule.python]
        self.text_rules = [rule for rule in rules if rule.text]
        self.options = self.settings.effective_options()
        self._project = None
        self.prefilter = prefilter
        self._trigger = Prefilter(t for rule in self.python_rules for t in rule.triggers)
        self._file_triggers = {
            rule.code: Prefilter(rule.file_triggers, one_pass=False)
            for rule in self.text_rules
            if rule.file_triggers is not None
        }
        self._wanted_names: dict[str, bool] = {}
        patterns = {p for rule in self.text_rules for p in rule.file_patterns}
        names = [p for p in patterns if "/" not in p]
        # Asked of every file in the tree: exact names and "*.ext" globs need no glob matching.
        self._exact_names = frozenset(p for p in names if not _has_wildcard(p))
        self._name_suffixes = tuple(
            sorted(p[1:] for p in names if p.startswith("*") and not _has_wildcard(p[1:]))
        )
        self._name_patterns = sorted(
            p for p in names if _has_wildcard(p) and p[1:] not in self._name_suffixes
        )
        self._path_patterns = sorted(p for p in patterns if "/" in p)
        self.max_file_bytes: int = self.options["max-file-bytes"]

    @property
    def project(self):
        """The project index (facts from the project's other modules), built on first use."""
        if self._project is None:
            from twilio_lint.facts.project import ProjectIndex

            self._project = ProjectIndex(self.options)
        return self._project

    def import_rules(self) -> None:
        """Import the enabled Python rules now (before forking workers, which then share them,
        instead of each importing them again)."""
        for rule in self.python_rules:
            rule.module  # noqa: B018 - the import is the point
        from twilio_lint.facts.module import twilio_module  # noqa: F401

    # --- what to look at ------------------------------------------------------------------------

    def wants_text_file(self, path: str) -> bool:
        # Asked of every file; most patterns are basename globs, so answer once per basename.
        name = os.path.basename(path)
        answer = self._wanted_names.get(name)
        if answer is None:
            answer = self._wanted_names[name] = (
                name in self._exact_names
                or (bool(self._name_suffixes) and name.endswith(self._name_suffixes))
                or any(file_pattern_matches(name, pattern) for pattern in self._name_patterns)
            )
        return answer or any(file_pattern_matches(path, p) for p in self._path_patterns)

    def is_candidate(self, path: str) -> bool:
        return path.endswith(PYTHON_SUFFIXES) or self.wants_text_file(path)

    # --- linting --------------------------------------------------------------------------------

    def lint_python_source(
        self, source: str, path: str, tree: ast.Module | None = None
    ) -> FileResult:
        """Findings for Python ``source``; raises SyntaxError/ValueError if it cannot parse."""
        from twilio_lint.facts.module import twilio_module

        if tree is None:
            tree = ast.parse(source, filename=path)
        module = twilio_module(tree, source, path, self.options, self.project)
        rules = self._rules_for(path, self.python_rules)
        try:
            result = self._run(rules, lambda rule: rule.check(module), path)
        finally:
            module.release_facts()
        result.findings = filter_suppressed(result.findings, module.lines)
        return result

    def lint_text_source(self, text: str, path: str) -> FileResult:
        from twilio_lint.semantic.text import TextDocument

        document = TextDocument(path, text, self.options)
        rules = [
            rule
            for rule in self._rules_for(path, self.text_rules)
            if any(file_pattern_matches(path, pattern) for pattern in rule.file_patterns)
        ]
        if self.prefilter and self._file_triggers:
            raw = text.encode("utf-8", "surrogatepass")
            rules = [rule for rule in rules if self._text_rule_triggered(rule, raw)]
        result = self._run(rules, lambda rule: rule.check_file(document), path)
        result.findings = filter_suppressed(result.findings, document.lines)
        return result

    def _text_rule_triggered(self, rule: Rule, raw: bytes) -> bool:
        trigger = self._file_triggers.get(rule.code)
        return trigger is None or trigger.search(raw)

    def lint_source(self, source: str | bytes, path: str) -> FileResult:
        """Lint in-memory content (stdin, an editor buffer) as if it were the file ``path``."""
        raw = source.encode("utf-8") if isinstance(source, str) else source
        return self._lint_bytes(raw, path)

    def lint_path(self, path: str) -> FileResult:
        raw = self.read_path(path)
        if isinstance(raw, FileResult):
            return raw
        return self._lint_bytes(raw, path)

    def lint_bytes(self, raw: bytes, path: str) -> FileResult:
        """Lint the bytes of the file ``path`` (already read)."""
        return self._lint_bytes(raw, path)

    def could_report(self, raw: bytes, path: str) -> bool:
        """The prefilter: False when no enabled rule can report anything in these bytes."""
        if self.wants_text_file(path):
            return True
        if not path.endswith(PYTHON_SUFFIXES) or not self.python_rules:
            return False
        return not self.prefilter or self._trigger.search(raw)

    def may_report_python(self, raw: bytes) -> bool:
        """The prefilter for Python source whatever its file name (the flake8 plugin)."""
        return bool(self.python_rules) and (not self.prefilter or self._trigger.search(raw))

    def read_path(self, path: str) -> bytes | FileResult:
        """The file's bytes, or a FileResult with the one-line reason it cannot be read."""
        try:
            info = os.stat(path)
        except OSError as exc:
            return _error(path, _os_reason(exc))
        if stat.S_ISDIR(info.st_mode):
            return _error(path, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            return _error(path, "not a regular file (skipped)")
        if info.st_size > self.max_file_bytes:
            return _error(
                path,
                f"skipped: {info.st_size:,} bytes is over the max-file-bytes limit "
                f"({self.max_file_bytes:,})",
            )
        try:
            with open(path, "rb") as handle:
                return handle.read(self.max_file_bytes + 1)
        except OSError as exc:
            return _error(path, _os_reason(exc))

    def _lint_bytes(self, raw: bytes, path: str) -> FileResult:
        if path.endswith(PYTHON_SUFFIXES):
            result = self._lint_python_bytes(raw, path)
            if self.wants_text_file(path):  # setup.py: Python rules and manifest rules
                result = _merge(result, self._lint_text_bytes(raw, path))
            return result
        if self.wants_text_file(path):
            return self._lint_text_bytes(raw, path)
        return FileResult(path, skipped=True)

    def _lint_python_bytes(self, raw: bytes, path: str) -> FileResult:
        if not self.python_rules or (self.prefilter and not self._trigger.search(raw)):
            return FileResult(path, skipped=True)
        try:
            source = decode(raw, python=True).text
        except DECODE_ERRORS as exc:
            return _error(path, f"cannot decode: {_one_line(exc)}")
        try:
            with warnings.catch_warnings():
                # SyntaxWarnings ("\d", "is 1") are the file's business, not ours; under
                # PYTHONWARNINGS=error they would turn a valid file into "cannot parse".
                warnings.simplefilter("ignore")
                tree = ast.parse(source, filename=path)
        except SyntaxError as exc:
            where = f" (line {exc.lineno}, column {exc.offset})" if exc.lineno else ""
            return _error(path, f"cannot parse: {exc.msg}{where}")
        except (ValueError, RecursionError, MemoryError) as exc:
            return _error(path, f"cannot parse: {_one_line(exc) or type(exc).__name__}")
        return self.lint_python_source(source, path, tree)

    def _lint_text_bytes(self, raw: bytes, path: str) -> FileResult:
        try:
            text = decode(raw, python=False).text
        except UnicodeDecodeError as exc:
            return _error(path, f"cannot decode as UTF-8: {_one_line(exc)}")
        return self.lint_text_source(text, path)

    def _rules_for(self, path: str, rules: list[Rule]) -> list[Rule]:
        if not self.settings.per_file_ignores:
            return rules
        ignored = self.settings.ignored_for(path)
        return [rule for rule in rules if rule.code not in ignored]

    def _run(self, rules: Iterable[Rule], call, path: str) -> FileResult:
        result = FileResult(path)
        for rule in rules:
            # One rule's crash must not lose the other rules' findings: it becomes the file's
            # one-line error (a bug to report), and the run goes on.
            try:
                found = list(call(rule))
            except RecursionError:
                result.error = FileError(path, f"{rule.code} skipped: the file is nested too deeply")
            except Exception as exc:  # noqa: BLE001 - the safety net is the point
                result.error = FileError(
                    path, f"internal error in {rule.code}: {type(exc).__name__}: {_one_line(exc)}"
                )
            else:
                for finding in found:
                    finding.name = rule.name  # rules say what they found, the engine who they are
                result.findings.extend(found)
        result.findings.sort(key=lambda finding: finding.sort_key)
        return result

    # --- trees ----------------------------------------------------------------------------------

    def lint_paths(self, paths: list[str], force_exclude: bool = False) -> Iterator[FileResult]:
        """Results for every candidate file under ``paths``, in sorted path order."""
        for path, error in discover(paths, self, force_exclude):
            if error is not None:
                yield FileResult(path, error=error)
            else:
                yield self.lint_path(path)


def discover(
    paths: list[str], linter: Linter, force_exclude: bool = False
) -> Iterator[tuple[str, FileError | None]]:
    """Candidate files under ``paths``. Paths named directly are linted even when excluded
    (as in Ruff) unless ``force_exclude``; directories are walked without following links."""
    settings = linter.settings
    for given in paths:
        if os.path.isdir(given) and not os.path.islink(given):
            yield from _walk(given, linter)
        elif os.path.lexists(given):
            if force_exclude and settings.is_excluded(given):
                continue
            yield given, None
        else:
            yield given, FileError(given, "no such file or directory")


def _walk(top: str, linter: Linter) -> Iterator[tuple[str, FileError | None]]:
    # os.scandir tells files, directories and links apart without a stat per entry.
    settings = linter.settings
    real_top = os.path.realpath(top)
    found: list[str] = []
    start = os.path.normpath(top)  # so that joined paths stay normal: no normpath per file
    pending = [start]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as error:
            found.append(f"\0{error.filename or directory}\0{_os_reason(error)}")
            continue
        if directory is not start and any(entry.name == "pyvenv.cfg" for entry in entries):
            continue  # a virtualenv under any name (.env, env, py311…) holds other people's code
        prefix = "" if directory == os.curdir else directory.rstrip(os.sep) + os.sep
        for entry in entries:
            path = prefix + entry.name
            if _is_directory(entry):
                if _walk_into(entry, path, settings):
                    pending.append(path)
                continue
            if not linter.is_candidate(path) or settings.is_excluded(path):
                continue
            if entry.is_symlink() and (
                _is_directory(entry, follow=True) or not _inside(os.path.realpath(path), real_top)
            ):
                continue  # never follow a link out of the tree, nor into a directory
            found.append(path)
    for entry in sorted(found):
        if entry.startswith("\0"):
            _, where, reason = entry.split("\0")
            yield where, FileError(where, reason)
        else:
            yield entry, None


def _is_directory(entry: os.DirEntry, follow: bool = False) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:
        return False


def _walk_into(entry: os.DirEntry, path: str, settings: Settings) -> bool:
    return entry.name not in DEFAULT_EXCLUDES and not settings.is_excluded(path)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def file_pattern_matches(path: str, pattern: str) -> bool:
    """A rule's FILE_PATTERNS entry: a basename glob, or with a "/" the last path components
    (``requirements/*.txt``)."""
    posix = path.replace(os.sep, "/")
    if not posix.endswith(_literal_tail(pattern)):
        return False  # asked of every file: most answers need no glob (and no regex compile)
    if "/" in pattern:
        return fnmatch.fnmatchcase(posix, pattern) or fnmatch.fnmatchcase(posix, "*/" + pattern)
    return fnmatch.fnmatchcase(posix.rsplit("/", 1)[-1], pattern)


def _has_wildcard(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


@functools.lru_cache(maxsize=None)
def _literal_tail(pattern: str) -> str:
    """The text every match of the glob ``pattern`` ends with ("" when it ends in a wildcard)."""
    if "[" in pattern:
        return ""
    return re.split(r"[*?]", pattern)[-1]


def _merge(first: FileResult, second: FileResult) -> FileResult:
    """One result for a file two kinds of rules read (setup.py is Python and a manifest)."""
    if second.skipped or (not second.findings and second.error is None):
        return first
    merged = FileResult(first.path, [*first.findings, *second.findings])
    merged.error = first.error or second.error
    merged.findings.sort(key=lambda finding: finding.sort_key)
    return merged


def _error(path: str, message: str) -> FileResult:
    # A message can quote the file (``unknown encoding: <a token in the coding cookie>``).
    return FileResult(path, error=FileError(path, redact_credentials(message)))


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower() if exc.strerror else _one_line(exc)


def _one_line(exc: BaseException) -> str:
    return redact_credentials(" ".join(str(exc).split()))
