"""The ``twilio-lint`` console command: the recorded output of the same check when none of its
inputs changed (``replay``, which imports almost nothing), else the command line (``cli``)."""

from __future__ import annotations

import sys


def main(argv: list[str] | tuple[str, ...] | None = None) -> int:
    """Nothing is imported here that a replay does not need (``typing`` alone is 2 ms)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    from twilio_lint.replay import replay

    code = replay(arguments)
    if code is not None:
        return code
    from twilio_lint.cli import main as run

    return run(arguments, replayable=True)
