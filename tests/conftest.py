from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))

from tests.helpers import FIXTURES, materialize  # noqa: E402


@pytest.fixture(scope="session")
def fixture_tree(tmp_path_factory) -> Path:
    """Every rule's fixtures, copied once with fake credentials filled in."""
    return materialize(FIXTURES, tmp_path_factory.mktemp("fixtures"))
