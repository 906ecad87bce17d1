"""The ``twilio-lint`` command.

Exit codes (for CI): 0 no findings, 1 findings, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from twilio_lint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
VERBS = ("check", "fix", "rules", "explain", "lsp", "clean")

DESCRIPTION = """\
Find Twilio API best-practice violations in Python code and dependency manifests.

Verbs:
  check [PATHS...]   lint files and directories (the default verb; '-' reads stdin)
  fix [PATHS...]     apply the safe fixes: 'check --fix' (add --unsafe-fixes for the others)
  rules              list every rule: code, name, on by default or opt-in, fix
  explain CODE       show a rule's documentation (code or name: TWL101, auth-token-client)
  lsp                run the language server on stdio (needs the [lsp] extra: pygls)
  clean              remove the result cache (.twilio_lint_cache or $TWILIO_LINT_CACHE_DIR)

Run 'twilio-lint check --help' for the options of check.
Exit codes: 0 no findings, 1 findings, 2 usage or configuration error."""


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _iso_date(value: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return number


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: argparse asks it for every parser and argument
    it builds, and importing shutil (for this alone) costs a warm run more than building."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _TerminalWidth:
    """argparse's width, found without importing shutil (see ``_terminal_columns``)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        width = _terminal_columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)  # type: ignore[call-arg]


class _HelpFormatter(_TerminalWidth, argparse.HelpFormatter):
    pass


class _RawDescriptionFormatter(_TerminalWidth, argparse.RawDescriptionHelpFormatter):
    pass


def build_parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The command-line parser. With ``verb``, only that verb's parser is built (the verbs
    are listed in ``DESCRIPTION``): argparse is a good part of start-up, and a run uses one."""
    parser = argparse.ArgumentParser(
        prog="twilio-lint",
        description=DESCRIPTION,
        formatter_class=_RawDescriptionFormatter,
    )
    parser.add_argument("--version", action="version", version=f"twilio-lint {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", help=argparse.SUPPRESS)
    for name, add_verb in _VERB_PARSERS.items():
        if verb in (None, name):
            add_verb(verbs)
    parser.set_defaults(verb_parsers=verbs.choices)  # for errors in a verb's own usage
    return parser


def _add_check(verbs: argparse._SubParsersAction) -> None:
    add_check_arguments(verbs.add_parser(
        "check",
        description="Lint Python files and dependency manifests for Twilio best-practice "
        "violations. Paths default to the current directory; '-' reads from stdin.",
        formatter_class=_RawDescriptionFormatter,
        epilog="Exit codes: 0 no findings, 1 findings, 2 usage or configuration error.",
    ))


def _add_fix(verbs: argparse._SubParsersAction) -> None:
    fix = verbs.add_parser(
        "fix",
        description="Apply the safe fixes (with --unsafe-fixes also the unsafe ones) in place; "
        "the same as 'check --fix'. The findings left are reported.",
        formatter_class=_RawDescriptionFormatter,
        epilog="Exit codes: 0 no findings left, 1 findings left, 2 usage or configuration error.",
    )
    add_check_arguments(fix)
    fix.set_defaults(fix=True)


def _add_rules(verbs: argparse._SubParsersAction) -> None:
    rules = verbs.add_parser(
        "rules", description="List every rule.", formatter_class=_HelpFormatter
    )
    rules.add_argument(
        "--output-format", choices=("text", "json"), default="text", help="table or JSON"
    )


def _add_clean(verbs: argparse._SubParsersAction) -> None:
    clean = verbs.add_parser(
        "clean",
        formatter_class=_HelpFormatter,
        description="Remove the result cache of the project found from PATH (default: here).",
    )
    clean.add_argument("path", nargs="?", default=".", metavar="PATH")


def _add_explain(verbs: argparse._SubParsersAction) -> None:
    explain = verbs.add_parser(
        "explain", description="Show one rule's documentation.", formatter_class=_HelpFormatter
    )
    explain.add_argument("rule", metavar="CODE", help="rule code or name, e.g. TWL101")
    explain.add_argument(
        "--output-format", choices=("text", "json"), default="text", help="Markdown or JSON"
    )


def _add_lsp(verbs: argparse._SubParsersAction) -> None:
    verbs.add_parser(
        "lsp",
        formatter_class=_HelpFormatter,
        description="Language server on stdio: diagnostics and quick fixes for editors.",
    )


_VERB_PARSERS = {
    "check": _add_check, "fix": _add_fix, "rules": _add_rules, "clean": _add_clean,
    "explain": _add_explain, "lsp": _add_lsp,
}


def add_check_arguments(check: argparse.ArgumentParser) -> None:
    from twilio_lint.report import FORMATS

    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories")
    selection = check.add_argument_group("rule selection")
    selection.add_argument(
        "--select", type=_codes, metavar="CODES",
        help="comma-separated codes or prefixes to enable instead of the defaults (ALL for all)",
    )
    selection.add_argument(
        "--extend-select", type=_codes, metavar="CODES", default=None,
        help="codes or prefixes to enable on top of the selection (e.g. opt-in rules)",
    )
    selection.add_argument(
        "--ignore", type=_codes, metavar="CODES", default=None,
        help="codes or prefixes to disable",
    )
    files = check.add_argument_group("files")
    files.add_argument(
        "--exclude", type=_codes, metavar="PATTERNS", default=None,
        help="comma-separated glob patterns to skip, added to the configured ones",
    )
    files.add_argument(
        "--force-exclude", action="store_true",
        help="apply excludes and .gitignore to paths named on the command line too (for "
        "pre-commit)",
    )
    files.add_argument(
        "--stdin-filename", metavar="PATH",
        help="the file name to report (and match config against) when reading stdin",
    )
    files.add_argument(
        "--config", metavar="PATH",
        help="use this config file for every file, skip the search for each file's nearest",
    )
    files.add_argument(
        "--isolated", action="store_true", help="ignore every configuration file"
    )
    files.add_argument(
        "--show-settings", action="store_true",
        help="print the settings the first PATH is checked with, and the file they come "
        "from, then exit",
    )
    rule_options = check.add_argument_group("rule options")
    rule_options.add_argument(
        "--sdk-reference-date", type=_iso_date, metavar="YYYY-MM-DD", default=None,
        help="judge SDK pins (TWL401) as of this day instead of the newest release date in "
        "the shipped release data",
    )
    speed = check.add_argument_group("speed")
    speed.add_argument(
        "-j", "--jobs", type=_positive_int, metavar="N", default=None,
        help="worker processes for large trees (default: the number of CPUs; small runs "
        "stay in one process)",
    )
    speed.add_argument(
        "--no-cache", action="store_true",
        help="don't read or write the result cache (.twilio_lint_cache, or "
        "$TWILIO_LINT_CACHE_DIR)",
    )
    speed.add_argument(
        "--changed-since", metavar="REV",
        help="lint only files that differ from git revision REV, plus untracked files",
    )
    output = check.add_argument_group("output")
    output.add_argument(
        "--output-format", choices=sorted(FORMATS), default="full",
        help="full (default: with source context), concise (path:line:col: CODE message), "
        "json (Ruff's JSON schema), json-lines (one JSON finding a line), sarif (SARIF 2.1.0, "
        "for code scanning), github (GitHub Actions annotations), junit (JUnit XML)",
    )
    output.add_argument(
        "--statistics", action="store_true", help="print a count per rule instead of findings"
    )
    output.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto",
        help="colour and rule links in full/concise output: auto (default: on a terminal, "
        "unless NO_COLOR is set or FORCE_COLOR asks for it), always or never",
    )
    output.add_argument(
        "-q", "--quiet", action="store_true", help="print findings only, no summary"
    )
    output.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    from twilio_lint.adoption import options as adopt

    output.add_argument(
        "--watch",
        action="store_true",
        help="lint again whenever a file under the paths changes (needs the [watch] extra)",
    )
    adopt.add_arguments(check)  # --output-file, --baseline, --write-baseline, --add-noqa
    from twilio_lint.fixes import add_fix_arguments

    add_fix_arguments(check)  # --fix, --unsafe-fixes, --diff, --show-fixes, --exit-non-zero-on-fix


def main(argv: Sequence[str] | None = None, *, replayable: bool = False) -> int:
    """Run the command line ``argv``. ``replayable`` (the console command): a check that may
    be replayed records its inputs and output for the next identical run (see ``replay``)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    given = list(args_list)
    if not args_list or (args_list[0] not in VERBS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "check")
    parser = build_parser(args_list[0] if args_list[0] in VERBS else None)
    args, unknown = parser.parse_known_args(args_list)
    if unknown:  # argparse would show the top-level usage: show the verb's own
        args.verb_parsers[args.verb].error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        if args.verb == "rules":
            return cmd_rules(args)
        if args.verb == "explain":
            return cmd_explain(args)
        if args.verb == "clean":
            return cmd_clean(args)
        if args.verb == "lsp":
            from twilio_lint.lsp import main as lsp_main

            return lsp_main()
        if getattr(args, "watch", False):
            return cmd_watch(args, args_list)
        args.recorder = _recorder(args, given) if replayable else None
        code = None
        try:
            code = cmd_check(args)
        finally:
            if args.recorder is not None:
                args.recorder.finish(code)  # None: it did not end normally (nothing recorded)
        return code
    except BrokenPipeError:  # `twilio-lint check | head`
        sys.stderr.close()
        return EXIT_CLEAN
    except KeyboardInterrupt:
        print("twilio-lint: interrupted", file=sys.stderr)
        return 130


def _recorder(args: argparse.Namespace, given: list[str]):
    """A ``replay.Recorder`` when this check may be replayed: it reads paths, not stdin, and
    writes nothing but the cache (``replay`` says why each of these matters)."""
    from twilio_lint.replay import Recorder, on_a_terminal

    writes_or_asks_git = (
        args.no_cache or args.changed_since is not None or args.show_settings
        or args.output_file or getattr(args, "add_noqa", False)
        or getattr(args, "write_baseline", None)
        or getattr(args, "fix", False) or getattr(args, "fix_only", False)
    )
    if writes_or_asks_git or "-" in (args.paths or ()) or on_a_terminal():
        return None
    return Recorder(given)


# --- rules / explain ---------------------------------------------------------------------------


def cmd_rules(args: argparse.Namespace) -> int:
    from twilio_lint.registry import all_rules
    from twilio_lint.rule_docs import fix_label

    rules = all_rules()
    if args.output_format == "json":
        print(json.dumps([_rule_row(r) for r in rules], indent=2, ensure_ascii=False))
        return EXIT_CLEAN
    table = [("code", "name", "default", "fix")] + [
        (r.code, r.name, "on" if r.default_on else "opt-in", fix_label(r)) for r in rules
    ]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for row, summary in zip(table, ["summary"] + [r.summary for r in rules]):
        print(" ".join(cell.ljust(width) for cell, width in zip(row, widths)), summary)
    return EXIT_CLEAN


def _rule_row(rule) -> dict:
    """One rule as ``rules``/``explain --output-format json`` print it."""
    return {
        "code": rule.code,
        "name": rule.name,
        "summary": rule.summary,
        "default": "on" if rule.default_on else "opt-in",
        "fix": rule.fix,
        "url": rule.url,
    }


def cmd_clean(args: argparse.Namespace) -> int:
    from twilio_lint import cache
    from twilio_lint.config import ConfigError, load_settings

    try:
        root = load_settings([args.path]).root
    except ConfigError:
        root = os.getcwd()  # a broken config must not stop anyone from deleting the cache
    directory = cache.default_cache_dir(root)
    removed = cache.clean(directory)
    print(f"{'Removed' if removed else 'No cache at'} {directory}")
    return EXIT_CLEAN


def cmd_explain(args: argparse.Namespace) -> int:
    from twilio_lint.registry import get_rule
    from twilio_lint.rule_docs import rule_markdown

    rule = get_rule(args.rule)
    if rule is None:
        print(f"twilio-lint: error: unknown rule {args.rule!r} (see 'twilio-lint rules')",
              file=sys.stderr)
        return EXIT_USAGE
    if args.output_format == "json":  # Ruff's `rule --output-format json` keys, plus ours
        row = {**_rule_row(rule), "explanation": rule_markdown(rule)}
        print(json.dumps(row, indent=2, ensure_ascii=False))
        return EXIT_CLEAN
    print(rule_markdown(rule), end="")
    return EXIT_CLEAN


# --- check -----------------------------------------------------------------------------------------


@dataclass
class RunOutcome:
    findings: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)
    fixed: int = 0  # findings fixed by --fix
    fix_summary: str | None = None  # closing lines when fixes were computed
    stdin_raw: bytes | None = None  # the bytes read from stdin, for fixing them
    write_roots: list[str] | None = None  # the paths checked: --fix/--add-noqa write under them
    # When linting began: --fix leaves alone a file modified since (its findings may be stale).
    started_ns: int = field(default_factory=time.time_ns)
    # When no fixes were computed: (safe fixes, unsafe-only fixes, codes with a safe fix).
    fixability: tuple[int, int, frozenset] = (0, 0, frozenset())
    files_checked: int = 0


def resolve_settings(args: argparse.Namespace, paths: list[str]):
    """The settings of every file (its nearest config file's, or ``--config``'s) with the
    command line's overrides applied; the first path's are read now, so that a broken config
    file is reported before anything runs."""
    from twilio_lint.config import Overrides, SettingsResolver, expand_selectors

    for codes in (args.select, args.extend_select, args.ignore):
        if codes:
            expand_selectors(codes)
    options = {}
    if getattr(args, "sdk_reference_date", None):
        options["sdk-reference-date"] = args.sdk_reference_date
    overrides = Overrides(
        select=args.select,
        extend_select=list(args.extend_select or ()),
        ignore=list(args.ignore or ()),
        exclude=list(args.exclude or ()),
        options=options,
    )
    resolver = SettingsResolver(overrides, args.config, args.isolated)
    resolver.for_path(_lookup_path(args, paths))
    return resolver


def _lookup_path(args: argparse.Namespace, paths: list[str]) -> str:
    """The file whose settings stand for the run (cache folder, baseline): the first path."""
    if paths == ["-"]:
        return args.stdin_filename or "-"
    first = paths[0]
    return os.path.join(first, "-") if os.path.isdir(first) else first


def cmd_check(args: argparse.Namespace) -> int:
    from twilio_lint.config import ConfigError

    paths = args.paths or ["."]
    if "-" in paths and len(paths) > 1:
        print("twilio-lint: error: '-' (stdin) cannot be combined with other paths", file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = resolve_settings(args, paths)
        if args.show_settings:
            return show_settings(settings, _lookup_path(args, paths), paths[0])
        outcome = run_check(args, settings, paths)
    except (ConfigError, UsageError) as exc:
        print(f"twilio-lint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from twilio_lint.masking import redact_credentials

    for error in outcome.errors:  # a file or folder name may hold a credential
        print(redact_credentials(f"twilio-lint: error: {error.path}: {error.message}"),
              file=sys.stderr)
    from twilio_lint.fixes import wants_fixes

    if wants_fixes(args):  # libcst is imported only on this path
        from twilio_lint.fixes import apply as fixer

        exit_code = fixer.handle(args, settings, outcome)  # --diff / --fix - end here
        if exit_code is not None:
            return exit_code
    from twilio_lint.adoption import options as adopt

    if args.baseline is None and not args.write_baseline:  # `baseline = "…"` in the config
        args.baseline = settings.for_path(_lookup_path(args, paths)).baseline
    exit_code = adopt.handle(args, outcome)  # --baseline; --write-baseline/--add-noqa end here
    if exit_code is not None:
        return exit_code
    if outcome.fix_summary is None and outcome.findings and _reports_fixability(args):
        # What the rules declared when they reported: no fix is built, libcst not imported.
        from twilio_lint.fixes.apply import fixability

        outcome.fixability = fixability(outcome)
    if adopt.write_report(args, lambda: print_report(args, outcome)) is not None:
        return EXIT_USAGE
    if outcome.findings and not args.exit_zero:
        return EXIT_FINDINGS
    if outcome.fixed and args.exit_non_zero_on_fix and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _reports_fixability(args: argparse.Namespace) -> bool:
    """Does the report say what is fixable (the summary line, ``--statistics``' marks)?"""
    return bool(args.statistics) or (
        not args.quiet and args.output_format in ("full", "concise")
    )


def cmd_watch(args: argparse.Namespace, argv: list[str]) -> int:
    """``check --watch``: the same check, again after every change (see ``watch.py``)."""
    from twilio_lint.watch import watch

    paths = args.paths or ["."]
    if "-" in paths:
        print("twilio-lint: error: --watch cannot read stdin ('-')", file=sys.stderr)
        return EXIT_USAGE
    written = [path for path in (args.output_file, args.write_baseline) if path]
    return watch(paths, [arg for arg in argv if arg != "--watch"], written)


def show_settings(resolver, lookup: str, shown: str) -> int:
    """``--show-settings``: the resolved settings of one file and where they come from."""
    from twilio_lint.globs import IgnoreFiles

    settings = resolver.for_path(lookup)
    directory = os.path.isdir(shown)
    excluded = settings.is_excluded(shown, directory)
    ignored = settings.respect_gitignore and IgnoreFiles().is_ignored(shown, directory)
    per_file = sorted(settings.ignored_for(shown)) if not directory else []
    rows = {
        "path": shown,
        "config file": settings.config_path or "none (defaults)",
        "relative patterns are relative to": settings.root,
        "enabled": ", ".join(sorted(settings.enabled_codes() - set(per_file))),
        "select": settings.select if settings.select is not None else "default",
        "extend-select": settings.extend_select,
        "ignore": settings.ignore,
        "per-file-ignores (this file)": per_file,
        "exclude": settings.exclude,
        "excluded": "yes" if excluded else "no",
        "respect-gitignore": "true" if settings.respect_gitignore else "false",
        "ignored by git": "yes" if ignored else "no",
        "baseline": settings.baseline or "none",
    }
    for name, value in rows.items():
        print(f"{name}: {value}")
    for name, value in sorted(settings.effective_options().items()):
        print(f"{name}: {value}")
    return EXIT_CLEAN


def run_check(args: argparse.Namespace, settings, paths: list[str]) -> RunOutcome:
    import gc

    from twilio_lint.engine import Linters

    linters = Linters(settings)
    linters.for_path(_lookup_path(args, paths))
    # Every rule is imported now and lives as long as this short process: keep the cycle
    # collector from scanning them again for each file.
    gc.freeze()
    outcome = RunOutcome()
    if paths == ["-"]:
        name = args.stdin_filename or "-"
        linter = linters.for_path(name)
        raw = sys.stdin.buffer.read(linter.max_file_bytes + 1)  # never more than the limit
        oversized = linter.over_the_limit(raw, name)
        if oversized is not None:
            result, raw = oversized, b""
        elif name == "-":
            result = linter._lint_python_bytes(raw, name)  # stdin is Python unless named
        else:
            result = linter.lint_source(raw, name)
        results = [result]
        outcome.sources[name] = _stdin_lines(raw, name)
        outcome.stdin_raw = raw
    else:
        outcome.write_roots = list(paths)
        results = _lint_tree(args, settings, paths)
    for result in results:
        outcome.files_checked += 1
        if result.error is not None:
            outcome.errors.append(result.error)
        outcome.findings.extend(result.findings)
    outcome.findings.sort(key=lambda finding: finding.sort_key)
    return outcome


def _lint_tree(args: argparse.Namespace, settings, paths: list[str]):
    """The files under ``paths`` through the cache and, for big trees, a process pool."""
    from twilio_lint.cache import ENV_CACHE_DIR, default_cache_dir, refused_cache_dir
    from twilio_lint.runner import lint_tree

    only = None
    if args.changed_since is not None:
        from twilio_lint.vcs import VcsError, changed_files

        try:
            only = changed_files(args.changed_since)
        except VcsError as exc:
            raise UsageError(str(exc)) from None
    root = settings.for_path(_lookup_path(args, paths)).root
    cache_dir = None if args.no_cache else default_cache_dir(root)
    if cache_dir is not None and not os.environ.get(ENV_CACHE_DIR):
        refused = refused_cache_dir(cache_dir)  # the in-tree cache is the repository's
        if refused is not None:
            print(f"twilio-lint: warning: {refused}", file=sys.stderr)
            cache_dir = None
    if getattr(args, "recorder", None) is not None:
        args.recorder.cache_dir = cache_dir  # the record goes beside the results
    from twilio_lint.report.terminal import Progress

    progress = Progress() if not args.quiet and Progress.wanted() else None
    results = lint_tree(
        settings, paths, jobs=args.jobs, cache_dir=cache_dir,
        force_exclude=args.force_exclude, only=only, progress=progress,
    )
    try:
        yield from results
    finally:
        if progress is not None:
            progress.finish()


class UsageError(Exception):
    """A command-line problem found after parsing: one line on stderr, exit 2."""


def print_report(args: argparse.Namespace, outcome: RunOutcome) -> None:
    from twilio_lint.report import FORMATS, statistics

    findings = outcome.findings
    if args.statistics:
        unsafe = bool(getattr(args, "unsafe_fixes", False))
        sys.stdout.write(statistics(findings, outcome.fixability[2], unsafe))
        if not args.quiet:  # as Ruff ends its statistics
            from twilio_lint.fixes.apply import fix_counts, fixable_hint

            # Fixes computed (--unsafe-fixes, --diff…) say it themselves; else the declarations.
            counts = (
                fix_counts(findings, unsafe)
                if outcome.fix_summary is not None
                else outcome.fixability[:2]
            )
            hint = fixable_hint(counts[0], counts[1], unsafe)
            if hint:
                print(hint)
        return
    if args.output_format == "full":
        _load_sources(outcome)
    findings, sources = _masked_paths(findings, outcome.sources)
    if args.output_format not in ("full", "concise"):
        sys.stdout.write(FORMATS[args.output_format](findings, sources))
        return
    from twilio_lint.report.terminal import checked_line, style_for

    style = style_for("never" if args.output_file else args.color, sys.stdout)
    sys.stdout.write(FORMATS[args.output_format](findings, sources, style))
    if args.quiet:
        return
    if outcome.fix_summary is not None:  # fixes were computed: fixed/fixable counts
        from twilio_lint.masking import redact_credentials

        sys.stdout.write(redact_credentials(outcome.fix_summary))  # it names fixed files
    elif findings:
        noun = "finding" if len(findings) == 1 else "findings"
        print(f"Found {len(findings)} {noun}.{_unchecked_note(outcome)}")
        if any(outcome.fixability[:2]):
            from twilio_lint.fixes.apply import fixable_line

            print(fixable_line(*outcome.fixability[:2]))
    elif outcome.errors:
        print(f"No findings.{_unchecked_note(outcome)}")  # not "all passed": some weren't read
    else:
        print("All checks passed!")
    if sys.stdout.isatty() and not args.output_file:  # a duration: never in compared output
        elapsed = (time.time_ns() - outcome.started_ns) / 1e9
        print(checked_line(outcome.files_checked, elapsed))


def _masked_paths(findings: list, sources: dict) -> tuple[list, dict]:
    """Findings and sources with any credential in a file or folder name masked (a report
    names files; the name ``cb_AC…/app.py`` must not print the SID)."""
    from dataclasses import replace

    from twilio_lint.masking import redact_credentials

    masked = {path: redact_credentials(path) for path in {f.path for f in findings}}
    if all(path == shown for path, shown in masked.items()):
        return findings, sources
    return (
        [replace(f, path=masked[f.path]) for f in findings],
        {masked.get(path, path): lines for path, lines in sources.items()},
    )


def _unchecked_note(outcome: RunOutcome) -> str:
    count = len(outcome.errors)
    if not count:
        return ""
    return f" {count} {'file' if count == 1 else 'files'} could not be checked (see the errors above)."


def _stdin_lines(raw: bytes, name: str) -> list[str]:
    """The lines reports quote for stdin: a notebook's code cells, or the text itself."""
    from twilio_lint.files import is_notebook

    if is_notebook(name) and not raw.isspace():
        from twilio_lint.notebooks import Notebook

        try:
            return Notebook.from_bytes(raw).display_lines()
        except ValueError:  # not a notebook: the lint already said so
            pass
    return raw.decode("utf-8", "replace").splitlines()


def _load_sources(outcome: RunOutcome) -> None:
    """Source lines of the files with findings, for the full format's context lines."""
    from twilio_lint.files import DECODE_ERRORS, is_notebook, read_text

    for path in {f.path for f in outcome.findings} - set(outcome.sources):
        try:
            if is_notebook(path):  # the code cells, numbered as the findings are
                from twilio_lint.notebooks import read_display_lines

                outcome.sources[path] = read_display_lines(path)
                continue
            text = read_text(path)
        except (OSError, ValueError, *DECODE_ERRORS):  # NotebookError is a ValueError
            continue
        outcome.sources[path] = text.splitlines()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
