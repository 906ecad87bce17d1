"""The ``check`` options for adopting the gate and feeding CI: ``--output-file``,
``--baseline``, ``--write-baseline`` and ``--add-noqa``. Kept out of ``cli.py`` so the command
line only wires them in."""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Callable

EXIT_CLEAN, EXIT_USAGE = 0, 2


def add_arguments(check: argparse.ArgumentParser) -> None:
    output = next(
        (group for group in check._action_groups if group.title == "output"), check
    )
    output.add_argument(
        "--output-file", metavar="PATH",
        help="write the report to PATH instead of standard output (e.g. results.sarif)",
    )
    adoption = check.add_argument_group("adopting on an existing code base")
    adoption.add_argument(
        "--baseline", metavar="FILE",
        help="hide the findings recorded in FILE (see --write-baseline); report only new ones",
    )
    adoption.add_argument(
        "--write-baseline", metavar="FILE",
        help="record every current finding in FILE and exit 0 (hashes only, never source text)",
    )
    adoption.add_argument(
        "--add-noqa", action="store_true",
        help="append '# noqa: TWLxxx' to every flagged line (merged with existing noqa "
        "comments; lines inside multi-line strings are skipped) and exit 0",
    )


def handle(args: argparse.Namespace, outcome) -> int | None:
    """Apply the baseline to ``outcome``; run ``--write-baseline``/``--add-noqa``, which end the
    run (their exit code is returned). None: go on and print the report."""
    baseline = getattr(args, "baseline", None)
    write = getattr(args, "write_baseline", None)
    noqa = getattr(args, "add_noqa", False)
    if not (baseline or write or noqa):
        return None
    from twilio_lint.adoption.baseline import (
        BaselineError,
        apply_baseline,
        write_baseline,
    )

    if write and noqa:
        print("twilio-lint: error: --write-baseline and --add-noqa cannot be combined",
              file=sys.stderr)
        return EXIT_USAGE
    if write:
        try:
            count = write_baseline(outcome.findings, write, outcome.sources)
        except OSError as exc:
            reason = exc.strerror or exc
            print(f"twilio-lint: error: {write}: cannot write the baseline: {reason}",
                  file=sys.stderr)
            return EXIT_USAGE
        noun = "finding" if count == 1 else "findings"
        print(f"Wrote {count} {noun} to the baseline {write}.")
        return EXIT_CLEAN
    if baseline:
        try:
            outcome.findings, hidden = apply_baseline(outcome.findings, baseline, outcome.sources)
        except BaselineError as exc:
            print(f"twilio-lint: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if hidden and not getattr(args, "quiet", False) and not noqa:
            noun = "finding" if hidden == 1 else "findings"
            print(f"twilio-lint: {hidden} known {noun} hidden by the baseline {baseline}",
                  file=sys.stderr)
    if noqa:
        from twilio_lint.adoption.add_noqa import add_noqa
        from twilio_lint.masking import redact_credentials

        result = add_noqa(outcome.findings, getattr(outcome, "write_roots", None))
        for path, line, reason in result.skipped:
            where = f"{path}:{line}" if line else path
            print(redact_credentials(f"twilio-lint: {where}: noqa not added: {reason}"),
                  file=sys.stderr)
        noun = "directive" if result.added == 1 else "directives"
        print(f"Added {result.added} noqa {noun}.")
        return EXIT_CLEAN
    return None


def _write_output(path: str, text: str) -> None:
    """A file is replaced atomically; a device or pipe the user named (``/dev/null``,
    ``/dev/stdout``, a FIFO a CI step reads) is written to, never replaced by a file."""
    import os
    import stat

    from twilio_lint.files import write_atomic

    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        special = False  # missing: created by the atomic write
    if not special:
        write_atomic(path, text)
        return
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def write_report(args: argparse.Namespace, print_report: Callable[[], None]) -> int | None:
    """Run ``print_report`` into ``--output-file`` (atomically) or standard output; returns
    the usage exit code if the file cannot be written."""
    path = getattr(args, "output_file", None)
    if not path:
        print_report()
        return None
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        print_report()
    try:
        _write_output(path, buffer.getvalue())
    except OSError as exc:
        print(f"twilio-lint: error: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return None
