"""The edit loop (``pytest -m "not slow"``) leaves out the slow system tests, and only them;
CI's plain ``pytest`` runs everything."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import ROOT

SLOW_SYSTEM_TESTS = {
    "tests/test_fix_applicability.py::test_declared_applicability_is_what_the_fix_computes",
    "tests/test_fix_roundtrip_scale.py",
    "tests/test_fix_roundtrip.py",
    "tests/test_fuzz.py",
    "tests/test_precommit.py",
    "tests/test_hostile_inputs.py::test_check_survives_every_hostile_input",
    "tests/test_hostile_inputs.py::test_check_with_the_cache_twice",
    "tests/test_hostile_inputs.py::test_fix_unsafe_leaves_every_unparseable_file_untouched",
    "tests/test_secrets_and_isolation.py::test_no_output_cache_baseline_or_error_holds_a_credential",
    "tests/test_secrets_and_isolation.py::test_no_network_connection",
    "tests/test_secrets_and_isolation.py::test_concurrent_runs_with_the_cache_agree",
    "tests/test_speed_features.py::test_jobs_give_the_same_results_as_one_process",
    "tests/test_twl102_files.py::test_no_output_format_shows_a_whole_secret",
    "tests/test_marks.py::test_slow_marks_the_system_tests_and_nothing_else",  # collects all
    "tests/test_replay.py::test_what_workers_read_is_an_input_of_the_record",
}


def _collect(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {line for line in proc.stdout.splitlines() if "::" in line}


def _owner(node: str) -> str:
    """The entry of SLOW_SYSTEM_TESTS a collected test belongs to (or "")."""
    module, _, name = node.partition("::")
    function = f"{module}::{name.split('[')[0]}"
    if function in SLOW_SYSTEM_TESTS:
        return function
    return module if module in SLOW_SYSTEM_TESTS else ""


@pytest.mark.slow
def test_slow_marks_the_system_tests_and_nothing_else():
    slow = _collect("-m", "slow")
    assert {_owner(node) for node in slow} == SLOW_SYSTEM_TESTS


def test_the_marker_is_registered():
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--markers", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert "@pytest.mark.slow: system tests over whole trees" in proc.stdout
