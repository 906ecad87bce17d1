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

from twilio_lint import inputs
from twilio_lint.config import (
    DEFAULT_EXCLUDES,
    FILE_NOT_CHECKED,
    Settings,
    SettingsResolver,
)
from twilio_lint.files import (
    DECODE_ERRORS,
    NOTEBOOK_SUFFIX,
    PYTHON_SUFFIXES,
    decode,
    fixed_as_python,
    is_within,
    read_regular_file,
)
from twilio_lint.findings import FileError, Finding
from twilio_lint.globs import GlobSet, IgnoreFiles
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
    # (stat, content hash, files consulted, ``inputs`` stamps) while linting in a worker, for
    # the main process's cache and replay record.
    observed: tuple | None = field(default=None, repr=False, compare=False)


class Linter:
    """Runs the enabled rules over sources, files or whole trees."""

    def __init__(self, settings: Settings | None = None, prefilter: bool = True) -> None:
        self.settings = settings or Settings()
        self.enabled = self.settings.enabled_codes()
        rules = [rule for rule in all_rules() if rule.code in self.enabled]
        # A rule's module, and the facts it asks, are imported when a file first needs it.
        self.python_rules = [rule for rule in rules if rule.python or rule.noqa]
        self.text_rules = [rule for rule in rules if rule.text]
        # Python files are parsed when a rule may report in them, or to report one that does
        # not parse (TWL001 on its own checks every file that mentions Twilio).
        self._parses_python = bool(self.python_rules) or FILE_NOT_CHECKED in self.enabled
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
        self._extend_include = (
            GlobSet(self.settings.extend_include, self.settings.root)
            if self.settings.extend_include
            else None
        )

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
        return (
            path.endswith(PYTHON_SUFFIXES)
            or self.wants_text_file(path)
            or self.python_kind(path) is not None
        )

    def python_kind(self, path: str) -> str | None:
        """"python" or "notebook" for the files linted as Python (``.py``, ``.pyi``,
        ``.ipynb`` and ``extend-include``), else None."""
        if path.endswith(PYTHON_SUFFIXES):
            return "python"
        if path.endswith(NOTEBOOK_SUFFIX):
            return "notebook"
        if self._extend_include is not None and self._extend_include.matches(path):
            return "python"
        return None

    # --- linting --------------------------------------------------------------------------------

    def lint_python_source(
        self, source: str, path: str, tree: ast.Module | None = None
    ) -> FileResult:
        """Findings for Python ``source``; raises SyntaxError/ValueError if it cannot parse."""
        from twilio_lint.facts.module import twilio_module

        if tree is None:
            tree = ast.parse(source, filename=path)
        rules = self._rules_for(path, self.python_rules)
        checks = [rule for rule in rules if rule.python]
        index_now = any(rule.walks_every_node for rule in checks)
        module = twilio_module(tree, source, path, self.options, self.project, index_now)
        try:
            result = self._run(checks, lambda rule: rule.check(module), path)
            self._check_noqa(result, module, rules)
        finally:
            module.release_facts()
        if not fixed_as_python(path):  # the rules declared fixes that will not be computed
            for finding in result.findings:
                finding.fix_applicability = None
        if result.findings:  # the lines are split only for a file with findings
            result.findings = filter_suppressed(result.findings, module.lines)
        return result

    def _check_noqa(self, result: FileResult, module, rules: list[Rule]) -> None:
        """Rules that judge the ``# noqa`` directives (TWL501) read the others' findings."""
        judges = [rule for rule in rules if rule.noqa]
        if not judges or result.error is not None:  # a crashed rule's noqa would look unused
            return
        ran = frozenset(rule.code for rule in rules if rule.python)
        found = list(result.findings)
        for rule in judges:
            extra = self._run([rule], lambda rule: rule.check_noqa(module, found, ran), module.path)
            result.error = extra.error
            result.findings.extend(extra.findings)
        result.findings.sort(key=lambda finding: finding.sort_key)

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
        kind = self.python_kind(path)
        if kind == "notebook":
            return bool(self.python_rules)  # the prefilter reads the code cells, not the JSON
        if kind is None or not self._parses_python:
            return False
        return not self.prefilter or self._trigger.search(raw)

    def may_report_python(self, raw: bytes) -> bool:
        """The prefilter for Python source whatever its file name (the flake8 plugin)."""
        return self._parses_python and (not self.prefilter or self._trigger.search(raw))

    def read_path(self, path: str) -> bytes | FileResult:
        """The file's bytes, or a FileResult with the one-line reason it cannot be read."""
        try:
            info = os.stat(path)
        except OSError as exc:
            return self.not_checked(path, _os_reason(exc))
        if stat.S_ISDIR(info.st_mode):
            return _error(path, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            return _error(path, "not a regular file (skipped)")
        if info.st_size > self.max_file_bytes:
            return self.too_big(path, f"{info.st_size:,} bytes")
        try:
            raw = read_regular_file(path, self.max_file_bytes + 1)  # never blocks on a FIFO
        except OSError as exc:
            return self.not_checked(path, _os_reason(exc))
        if raw is None:  # replaced by a FIFO or grown since the stat
            return self.not_checked(path, "changed while being read")
        if len(raw) > self.max_file_bytes:  # it grew since the stat
            return self.too_big(path, f"more than {self.max_file_bytes:,} bytes")
        return raw

    def over_the_limit(self, raw: bytes, path: str) -> FileResult | None:
        """The result of a buffer (stdin, an editor's) over ``max-file-bytes``: not linted,
        as a file on disk is not (``too_big``). None when it fits."""
        if len(raw) <= self.max_file_bytes:
            return None
        return self.too_big(path, f"more than {self.max_file_bytes:,} bytes", raw)

    def too_big(self, path: str, size: str, head: bytes | None = None) -> FileResult:
        """The notice for a file or buffer over ``max-file-bytes`` (it is not linted): TWL001
        when it may hold findings (a manifest; Python whose bytes pass the prefilter, scanned
        a chunk at a time, or ``head`` for a buffer), else a notice on stderr."""
        reason = f"skipped: {size} is over the max-file-bytes limit ({self.max_file_bytes:,})"
        if self.wants_text_file(path) or (
            (path == "-" or path.endswith(PYTHON_SUFFIXES))
            and (self.may_report_python(head) if head is not None else self._may_report_big(path))
        ):
            return self.not_checked(path, reason)
        return _error(path, reason)

    def _may_report_big(self, path: str, chunk: int = 1 << 20, overlap: int = 1 << 12) -> bool:
        """The prefilter over a file too big to read at once (a file that cannot be read even
        so may hold anything: it passes)."""
        try:
            with open(path, "rb") as handle:
                tail = b""
                while block := handle.read(chunk):
                    if self.may_report_python(tail + block):
                        return True
                    tail = block[-overlap:]
        except OSError:
            return True
        return False

    def not_checked(self, path: str, reason: str, line: int = 1, col: int = 0) -> FileResult:
        """A file that may hold findings but cannot be checked: the TWL001 diagnostic (which
        fails the gate), or, where TWL001 is off for the file, a one-line notice."""
        reason = redact_credentials(reason)
        if FILE_NOT_CHECKED not in self.enabled or FILE_NOT_CHECKED in self._ignored_for(path):
            return FileResult(path, error=FileError(path, reason))
        from twilio_lint.rules.general import twl001_file_not_checked as unchecked

        return FileResult(path, [unchecked.finding(path, reason, line, col)])

    def discovery_result(self, path: str, error: FileError | None) -> FileResult | None:
        """The result of a path discovery could not list or find (None: it found a file)."""
        return None if error is None else self.not_checked(path, error.message)

    def _ignored_for(self, path: str) -> set[str]:
        return self.settings.ignored_for(path) if self.settings.per_file_ignores else set()

    def _lint_bytes(self, raw: bytes, path: str) -> FileResult:
        kind = self.python_kind(path)
        if kind == "notebook":
            return self._lint_notebook_bytes(raw, path)
        if kind == "python":
            result = self._lint_python_bytes(raw, path)
            if self.wants_text_file(path):  # setup.py: Python rules and manifest rules
                result = _merge(result, self._lint_text_bytes(raw, path))
            return result
        if self.wants_text_file(path):
            return self._lint_text_bytes(raw, path)
        return FileResult(path, skipped=True)

    def _lint_python_bytes(self, raw: bytes, path: str) -> FileResult:
        if not self._parses_python or (self.prefilter and not self._trigger.search(raw)):
            return FileResult(path, skipped=True)
        try:
            source = decode(raw, python=True).text
        except DECODE_ERRORS as exc:
            return self.not_checked(path, f"cannot decode: {_one_line(exc)}")
        return self._lint_python_text(source, path)

    def _lint_python_text(self, source: str, path: str) -> FileResult:
        try:
            with warnings.catch_warnings():
                # SyntaxWarnings ("\d", "is 1") are the file's business, not ours; under
                # PYTHONWARNINGS=error they would turn a valid file into "cannot parse".
                warnings.simplefilter("ignore")
                tree = ast.parse(source, filename=path)
        except SyntaxError as exc:
            where = f" (line {exc.lineno}, column {exc.offset})" if exc.lineno else ""
            line, col = exc.lineno or 1, max((exc.offset or 1) - 1, 0)
            return self.not_checked(path, f"cannot parse: {exc.msg}{where}", line, col)
        except (ValueError, RecursionError, MemoryError) as exc:
            return self.not_checked(
                path, f"cannot parse: {_one_line(exc) or type(exc).__name__}"
            )
        return self.lint_python_source(source, path, tree)

    def _lint_notebook_bytes(self, raw: bytes, path: str) -> FileResult:
        from twilio_lint.notebooks import Notebook, NotebookError

        if not self.python_rules:
            return FileResult(path, skipped=True)
        try:
            notebook = Notebook.from_bytes(raw)
        except UnicodeDecodeError as exc:
            return _error(path, f"cannot decode as UTF-8: {_one_line(exc)}")
        except NotebookError as exc:
            return _error(path, f"cannot read the notebook: {_one_line(exc)}")
        if not notebook.is_python():
            return FileResult(path, skipped=True)
        return self.lint_notebook_code(notebook.code(), path)

    def lint_notebook_code(self, code: str, path: str) -> FileResult:
        """Findings for a notebook's joined code cells (``Notebook.code``), in their cells."""
        # surrogatepass: a cell's JSON may escape a lone surrogate ("\ud800"); the parse
        # reports it (TWL001), the prefilter must not crash on it.
        if self.prefilter and not self._trigger.search(code.encode("utf-8", "surrogatepass")):
            return FileResult(path, skipped=True)
        from twilio_lint.notebooks import place_findings

        result = self._lint_python_text(code, path)
        place_findings(result.findings, code)
        return result

    def _lint_text_bytes(self, raw: bytes, path: str) -> FileResult:
        try:
            text = decode(raw, python=False).text
        except UnicodeDecodeError as exc:
            return self.not_checked(path, f"cannot decode as UTF-8: {_one_line(exc)}")
        problem = None
        if b"twilio" in raw.lower():
            from twilio_lint.manifests import syntax_problem

            problem = syntax_problem(path, text)
        if problem is not None:  # it names twilio, but no pin in it can be read
            return self.not_checked(path, f"cannot parse: {problem}")
        return self.lint_text_source(text, path)

    def _rules_for(self, path: str, rules: list[Rule]) -> list[Rule]:
        if not self.settings.per_file_ignores:
            return rules
        ignored = self.settings.ignored_for(path)
        return [rule for rule in rules if rule.code not in ignored]

    def lint_paths(self, paths: list[str], force_exclude: bool = False) -> Iterator[FileResult]:
        """Results for every candidate file under ``paths``, all with this linter's settings."""
        linters = Linters.of(self.settings)
        linters._by_settings[id(self.settings)] = self
        return linters.lint_paths(paths, force_exclude)

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



class Linters:
    """The linter of each file, built once per distinct settings (per configuration file)."""

    def __init__(self, resolver: SettingsResolver, prefilter: bool = True) -> None:
        self.resolver = resolver
        self.prefilter = prefilter
        self._by_settings: dict[int, Linter] = {}

    @classmethod
    def of(cls, settings: Settings | SettingsResolver | Linters) -> Linters:
        if isinstance(settings, Linters):
            return settings
        if isinstance(settings, SettingsResolver):
            return cls(settings)
        return cls(SettingsResolver.fixed(settings))

    def for_path(self, path: str) -> Linter:
        return self.for_settings(self.resolver.for_path(path))

    def for_directory(self, directory: str) -> Linter:
        return self.for_settings(self.resolver.for_directory(directory))

    def for_settings(self, settings: Settings) -> Linter:
        linter = self._by_settings.get(id(settings))  # the resolver keeps each alive
        if linter is None:
            linter = self._by_settings[id(settings)] = Linter(settings, self.prefilter)
        return linter

    def lint_paths(self, paths: list[str], force_exclude: bool = False) -> Iterator[FileResult]:
        """Results for every candidate file under ``paths``, in sorted path order."""
        for path, error, _ in discover(paths, self, force_exclude):
            linter = self.for_path(path)
            yield linter.discovery_result(path, error) or linter.lint_path(path)


#: A discovered path: the file, or where discovery failed and why; the file's stat (taken to
#: tell its names apart, kept so that a cache lookup need not take it again), None if unknown.
Discovered = tuple[str, "FileError | None", "os.stat_result | None"]


def discover(
    paths: list[str], linters: Linters, force_exclude: bool = False
) -> Iterator[Discovered]:
    """Candidate files under ``paths``, each once (a file reached under two names through a
    link is reported under the first), each with its stat. Paths named directly are linted
    even when excluded or ignored by git (as in Ruff) unless ``force_exclude``; directories
    are walked without following links, skipping what each folder's settings exclude and,
    with ``respect-gitignore``, what ``.gitignore``/``.ignore``/``.git/info/exclude`` ignore."""
    ignores = IgnoreFiles()
    seen: set[tuple[int, int] | str] = set()
    for given in paths:
        inputs.watch(given)
        if os.path.isdir(given) and not os.path.islink(given):
            # Named on the command line, a folder an exclude or an ignore file skips is still
            # walked (as Ruff does), then only with the ignore files inside it.
            named_skipped = not force_exclude and _skipped_by_settings(
                given, linters, ignores, None, is_dir=True
            )
            found: Iterable[tuple[str, FileError | None]] = _walk(
                given, linters, ignores, named_skipped
            )
        elif os.path.lexists(given):
            if force_exclude and _skipped_by_settings(given, linters, ignores, None):
                continue
            found = [(given, None)]
        else:
            found = [(given, FileError(given, "no such file or directory"))]
        for path, error in found:
            info = _stat(path) if error is None else None
            if info is not None:  # taken before the file is read: a change after it shows
                inputs.watch_stat(path, info)
            else:
                inputs.watch(path)
            identity = _identity(path, info) if error is None else f"\0{path}"
            if identity not in seen:
                seen.add(identity)
                yield path, error, info


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _identity(path: str, info: os.stat_result | None) -> tuple[int, int] | str:
    return os.path.abspath(path) if info is None else (info.st_dev, info.st_ino)


def _skipped_by_settings(
    path: str, linters: Linters, ignores: IgnoreFiles, top: str | None, is_dir: bool = False
) -> bool:
    """Excluded by the settings of the folder ``path`` is in, or ignored by git."""
    directory, name = os.path.split(os.path.abspath(path))
    settings = linters.resolver.for_directory(directory)
    return _skipped(settings, ignores, directory, name, top, is_dir)


def _skipped(
    settings: Settings, ignores: IgnoreFiles, directory: str, name: str, top: str | None,
    is_dir: bool = False, inside: bool = False,
) -> bool:
    """``_skipped_by_settings`` for the entry ``name`` of ``directory`` (absolute, normal);
    ``inside`` a named folder that is itself skipped, only the ignore files in it count."""
    if not inside and settings.is_excluded_in(directory, name, is_dir):
        return True
    return settings.respect_gitignore and ignores.is_ignored_in(
        directory, name, is_dir, top, inside
    )


def _walk(
    top: str, linters: Linters, ignores: IgnoreFiles, named_skipped: bool = False
) -> Iterator[tuple[str, FileError | None]]:
    # os.scandir tells files, directories and links apart without a stat per entry.
    real_top = os.path.realpath(top)
    found: list[str] = []
    start = os.path.normpath(top)  # so that joined paths stay normal: no normpath per file
    pending = [start]
    while pending:
        directory = pending.pop()
        inputs.watch(directory)  # its stamp moves when an entry is added, removed or renamed
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as error:
            found.append(f"\0{error.filename or directory}\0{_os_reason(error)}")
            continue
        names = {entry.name for entry in entries}
        if directory is not start and "pyvenv.cfg" in names:
            continue  # a virtualenv under any name (.env, env, py311…) holds other people's code
        prefix = "" if directory == os.curdir else directory.rstrip(os.sep) + os.sep
        absolute = os.path.abspath(directory)  # once per folder: its entries are decided in it
        ignores.listed(absolute, names)
        linters.resolver.listed(absolute, names)
        linter = linters.for_directory(absolute)
        settings = linter.settings
        # Decided once per folder: can an exclude or an ignore file skip anything here?
        filtered = (bool(settings.exclude) and not named_skipped) or (
            settings.respect_gitignore and ignores.any_in(absolute, real_top, named_skipped)
        )
        for entry in entries:
            name = entry.name
            path = prefix + name
            if _is_directory(entry):
                if name not in DEFAULT_EXCLUDES and not (
                    filtered
                    and _skipped(
                        settings, ignores, absolute, name, real_top, True, named_skipped
                    )
                ):
                    pending.append(path)
                continue
            if not linter.is_candidate(path) or (
                filtered
                and _skipped(settings, ignores, absolute, name, real_top, False, named_skipped)
            ):
                continue
            if entry.is_symlink() and (
                _is_directory(entry, follow=True) or not is_within(os.path.realpath(path), real_top)
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
