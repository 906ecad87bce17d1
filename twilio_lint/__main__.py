"""``python -m twilio_lint``. Python puts the working directory first on ``sys.path`` for
``-m``: inside a checked repository its own ``json.py`` or ``argparse.py`` would be imported
(and run). Drop that entry before anything else is imported; ``python -P -m`` (3.11+) never
adds it."""

import os
import sys

if not getattr(sys.flags, "safe_path", False) and sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from twilio_lint.command import main  # noqa: E402 - after the path is safe

raise SystemExit(main())
