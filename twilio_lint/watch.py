"""``check --watch``: lint, then lint again whenever a file under the checked paths changes, as
Ruff's ``--watch`` does.

Each pass is a fresh ``twilio-lint`` process with the same arguments (less ``--watch``): no
state of one pass (read manifests, settings, rule caches) can leak into the next, and the
result cache keeps the passes fast. ``watchfiles`` (the ``[watch]`` extra) is imported only
here, so a plain run never pays for it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence

from twilio_lint.cache import CACHE_DIR_NAME
from twilio_lint.files import TEMP_PREFIX, TEMP_SUFFIX

#: How long (ms) the watcher waits before yielding "nothing yet": its first yield says it is
#: watching, so the first pass starts only then and no edit made during it is missed.
ARMED_AFTER_MS = 200
CLEAR_SCREEN = "\x1b[2J\x1b[H"
MISSING = (
    "twilio-lint: error: --watch needs the watchfiles package: "
    "pip install 'twilio-lint[watch]'"
)


def watch(paths: Sequence[str], argv: Sequence[str], written: Sequence[str] = ()) -> int:
    """Run ``twilio-lint *argv`` now and after every change under ``paths``, until Ctrl-C.
    ``written`` are files the runs themselves write (``--output-file``): their changes are not
    edits, or each pass would start the next."""
    try:
        import watchfiles
    except ImportError:
        print(MISSING, file=sys.stderr)
        return 2
    missing = [path for path in paths if not os.path.exists(path)]
    if missing:
        print(f"twilio-lint: error: {missing[0]}: no such file or directory", file=sys.stderr)
        return 2
    # Not edits: the result cache, the atomic writer's temporary files, the report itself.
    edits = watchfiles.DefaultFilter(
        ignore_dirs=(*watchfiles.DefaultFilter.ignore_dirs, CACHE_DIR_NAME),
        ignore_entity_patterns=(
            *watchfiles.DefaultFilter.ignore_entity_patterns,
            f"^{re.escape(TEMP_PREFIX)}.*{re.escape(TEMP_SUFFIX)}$",
        ),
        ignore_paths=[os.path.abspath(path) for path in written],
    )
    changes = watchfiles.watch(  # absolute: changes are reported as ignore_paths spell them
        *(os.path.abspath(path) for path in paths),
        watch_filter=edits, rust_timeout=ARMED_AFTER_MS, yield_on_timeout=True,
    )
    started = False
    try:
        for changed in changes:
            if started and not changed:
                continue  # a timeout: nothing happened
            _notify("File change detected..." if started else "Starting linter in watch mode...")
            started = True
            _lint(argv)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a watch ends
    return 0


def _notify(message: str) -> None:
    """A status line on stderr (the report owns stdout), after clearing a terminal as Ruff does."""
    if sys.stdout.isatty():
        sys.stdout.write(CLEAR_SCREEN)
        sys.stdout.flush()
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _lint(argv: Sequence[str]) -> None:
    """One pass, its report straight to our stdout and stderr."""
    isolated = ["-P"] if sys.version_info >= (3, 11) else []  # never import the tree's modules
    try:
        subprocess.run([sys.executable, *isolated, "-m", "twilio_lint", *argv], check=False)
    except OSError as exc:
        print(f"twilio-lint: error: cannot run a pass: {exc}", file=sys.stderr, flush=True)
