"""Time twilio-lint against the parse floor, Ruff and flake8 on the same trees, side by side.

    python benchmarks/run.py                    # all trees, all tools
    python benchmarks/run.py --trees twilio     # one tree
    python benchmarks/run.py --skip flake8      # leave out the slow ones
    git archive main twilio_lint | tar -x -C /tmp/main-src
    python benchmarks/run.py --compare-src /tmp/main-src   # before/after in the same rounds

Trees: (a) this interpreter's standard library, (b) the installed ``twilio`` package, (c) a
synthetic tree of 1M+ lines: both of them plus generated Twilio application files. Every
command runs in its own process; wall time, CPU time (user+sys of the process and its
workers) and peak RSS come from ``os.wait4``. The machine is noisy: read the ratios, which
are measured side by side in one run, rather than the absolute times (and CPU times over wall
times when the machine is shared). Medians of --repeat runs. After the trees: peak RSS on one
dense Twilio file against a bare parse of it, and the start-up of one small file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

PY = sys.executable
WARM_NOT_REPLAYED = "warm, not replayed (--exit-zero)"
FLOOR_SCRIPT = textwrap.dedent(
    """
    import ast, os, sys
    for top in sys.argv[1:]:
        for directory, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d not in ("site-packages", "__pycache__")]
            for name in files:
                if name.endswith(".py"):
                    try:
                        with open(os.path.join(directory, name), "rb") as handle:
                            ast.parse(handle.read())
                    except (SyntaxError, ValueError, RecursionError):
                        pass
    """
)
#: Runs the twilio_lint found in argv[1] instead of the installed one (an editable install's
#: finder would win over sys.path: it is dropped).
OTHER_SOURCE = textwrap.dedent(
    """
    import sys
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path.insert(0, sys.argv.pop(1))
    from twilio_lint.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)
FLAKE8_WITHOUT_PLUGIN = textwrap.dedent(
    """
    import sys
    from flake8.main.cli import main
    from flake8.plugins import finder

    found = finder._find_importlib_plugins
    finder._find_importlib_plugins = lambda: (
        plugin for plugin in found() if plugin.package != "twilio-lint"
    )
    sys.exit(main(sys.argv[1:]))
    """
)
APP_TEMPLATE = textwrap.dedent(
    '''
    """Generated Twilio application module {index}."""
    import os
    import time

    from twilio.rest import Client

    client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])


    def notify_{index}(numbers):
        for number in numbers:
            client.messages.create(to=number, from_="+15005550006", body="hello {index}")


    def wait_for_{index}(sid):
        call = client.calls(sid).fetch()
        while call.status not in ("completed", "failed"):
            time.sleep(5)
            call = client.calls(sid).fetch()
        return call
    '''
)


@dataclass
class Measure:
    wall: float
    cpu: float
    rss_mb: float
    code: int


def run(cmd: list[str], cwd: str | None = None) -> Measure:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode)


def twilio_lint_command() -> list[str]:
    """The installed console script next to this interpreter (what users run: ``python -m``
    costs an extra runpy start-up), else ``python -m twilio_lint``."""
    script = os.path.join(os.path.dirname(PY), "twilio-lint")
    return [script] if os.access(script, os.X_OK) else [PY, "-m", "twilio_lint"]


def precompile() -> None:
    """Write twilio_lint's bytecode once, as a regular install does: an editable install under
    PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module on every run."""
    import compileall

    import twilio_lint

    compileall.compile_dir(os.path.dirname(twilio_lint.__file__), quiet=1)


def interleaved(
    commands: dict[str, list[str]], repeat: int, before_round=None
) -> dict[str, Measure]:
    """Median of each command, the commands run in turn (A B C A B C ...): a slow spell of
    the machine hits every row alike, which is what ratios of a few percent need."""
    runs: dict[str, list[Measure]] = {label: [] for label in commands}
    for _ in range(repeat):
        if before_round:
            before_round()
        for label, cmd in commands.items():
            runs[label].append(run(cmd))
    return {
        label: Measure(
            statistics.median(r.wall for r in side),
            statistics.median(r.cpu for r in side),
            max(r.rss_mb for r in side),
            side[-1].code,
        )
        for label, side in runs.items()
    }


def copy_tree(top: str, target: str) -> str:
    """The Python files of ``top`` (not its site-packages) copied under ``target``."""
    for directory, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if d not in ("site-packages", "__pycache__")]
        for name in names:
            if name.endswith(".py"):
                relative = os.path.relpath(os.path.join(directory, name), top)
                os.makedirs(os.path.dirname(os.path.join(target, relative)), exist_ok=True)
                shutil.copyfile(os.path.join(directory, name), os.path.join(target, relative))
    return target


def tree_stats(top: str) -> tuple[int, int]:
    files = lines = 0
    for directory, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if d not in ("site-packages", "__pycache__")]
        for name in names:
            if name.endswith(".py"):
                files += 1
                with open(os.path.join(directory, name), "rb") as handle:
                    lines += handle.read().count(b"\n")
    return files, lines


def synthetic_tree(stdlib: str, twilio_dir: str, target: str, apps: int = 400) -> str:
    ignore = shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc")
    shutil.copytree(stdlib, os.path.join(target, "stdlib"), ignore=ignore, symlinks=True)
    shutil.copytree(twilio_dir, os.path.join(target, "vendor", "twilio"), ignore=ignore)
    app_dir = Path(target, "app")
    app_dir.mkdir()
    for index in range(apps):
        (app_dir / f"service_{index:04}.py").write_text(APP_TEMPLATE.format(index=index))
    return target


def has(tool: str) -> bool:
    return shutil.which(tool) is not None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trees", default="stdlib,twilio,synthetic")
    parser.add_argument("--skip", default="", help="comma list: ruff, flake8, jobs, warm")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--compare-src", metavar="DIR",
        help="also time the twilio_lint package in DIR (another version's source, e.g. from "
        "git archive) in the same rounds",
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    import twilio

    stdlib = sysconfig.get_paths()["stdlib"]
    twilio_dir = os.path.dirname(twilio.__file__)
    work = tempfile.mkdtemp(prefix="twl-bench-")
    # A copy: the interpreter's own folder may sit under a .gitignore (pyenv ignores its
    # /versions), and Ruff and twilio-lint must read the very same files.
    trees = {"stdlib": copy_tree(stdlib, os.path.join(work, "stdlib")), "twilio": twilio_dir}
    if "synthetic" in args.trees:
        trees["synthetic"] = synthetic_tree(stdlib, twilio_dir, os.path.join(work, "synthetic"))
    cache_dir = os.path.join(work, "cache")
    lint = [*twilio_lint_command(), "check", "--isolated", "-q", "--output-format", "concise"]
    precompile()
    jobs = len(os.sched_getaffinity(0))
    print(f"machine: {os.cpu_count()} CPUs ({jobs} usable), Python {sys.version.split()[0]}")
    print(f"median of {args.repeat} runs; cpu = user+sys of the process and its workers\n")

    for name in args.trees.split(","):
        top = trees[name]
        files, lines = tree_stats(top)
        print(f"== {name}: {files} files, {lines:,} lines ({top})")
        floor_py = os.path.join(work, "floor.py")
        Path(floor_py).write_text(FLOOR_SCRIPT)
        # Everything compared is run in turn, round after round, so a slow spell of the
        # machine hits every row alike.
        commands = {"floor: read + ast.parse, 1 process": [PY, floor_py, top],
                    "twilio-lint --no-cache -j 1": [*lint, "--no-cache", "-j", "1", top]}
        if args.compare_src:
            other = [PY, "-c", OTHER_SOURCE, args.compare_src, *lint[-5:]]
            commands["compared source: --no-cache -j 1"] = [*other, "--no-cache", "-j", "1", top]
            commands[f"compared source: --no-cache -j {jobs}"] = [
                *other, "--no-cache", "-j", str(jobs), top
            ]
        if "jobs" not in skip:
            commands[f"twilio-lint --no-cache -j {jobs}"] = [*lint, "--no-cache", "-j", str(jobs), top]
        if "ruff" not in skip and has("ruff"):
            ruff = ["ruff", "check", "--no-cache", "--isolated", "--exit-zero", "-q"]
            commands["ruff --select S105,S106"] = [*ruff, "--select", "S105,S106", top]
            commands["ruff --select S"] = [*ruff, "--select", "S", top]
        rows = interleaved(commands, args.repeat)
        if "warm" not in skip:
            os.environ["TWILIO_LINT_CACHE_DIR"] = cache_dir
            cached = [*lint, "-j", str(jobs), top]
            # Each round starts without a cache: the cold run writes the per-file results and
            # the replay record; the same command then replays. Another command line (here
            # --exit-zero, the same work) has no record that round: it shows the per-file
            # cache alone (every file stat'ed, the index read, the report made).
            rows.update(interleaved(
                {"twilio-lint cold (cache written)": cached, "twilio-lint warm cache": cached,
                 WARM_NOT_REPLAYED: [*cached, "--exit-zero"]},
                args.repeat,
                before_round=lambda: shutil.rmtree(cache_dir, ignore_errors=True),
            ))
            del os.environ["TWILIO_LINT_CACHE_DIR"]
        if "flake8" not in skip and has("flake8"):
            # Like the floor, Ruff and twilio-lint, flake8 skips the installed packages.
            flake8 = [PY, "-m", "flake8", "--isolated", "--exit-zero", f"-j{jobs}",
                      "--extend-exclude", "site-packages,__pycache__"]
            # flake8 runs every installed plugin whatever --select says: the baseline is the
            # same flake8 with only our entry point hidden.
            rows.update(interleaved({
                "flake8 without the plugin":
                    [PY, "-c", FLAKE8_WITHOUT_PLUGIN, *flake8[3:], "--select", "E9,TWL", top],
                "flake8 with the plugin (--select E9,TWL)": [*flake8, "--select", "E9,TWL", top],
            }, args.repeat))
        report(rows)
        print()

    memory(lint, work, args.repeat)
    one = os.path.join(work, "one_file.py")
    Path(one).write_text(APP_TEMPLATE.format(index=0))
    # Default output too: the closing "[*] N fixable" hint must not cost a libcst import.
    plain = [*twilio_lint_command(), "check", "--isolated", "--no-cache", one]
    commands = {"small": [*lint, "--no-cache", one], "default output": plain,
                "bare": [PY, "-c", "pass"]}
    if args.compare_src:
        other = [PY, "-c", OTHER_SOURCE, args.compare_src]
        commands["compared source: small"] = [*other, *lint[-5:], "--no-cache", one]
        commands["compared source: default output"] = [*other, *plain[-4:]]
    start_up = interleaved(commands, max(9, 3 * args.repeat))
    small, bare = start_up["small"], start_up["bare"]
    probe = subprocess.run(  # default output: the closing fixable hint is printed too
        [PY, "-c", "import sys; from twilio_lint.cli import main; "
         f"main(['check', '--isolated', '--no-cache', {one!r}]); "
         "print('libcst' in sys.modules, file=sys.stderr)"],
        capture_output=True, text=True,
    )
    print(f"one small file: {small.wall * 1000:.0f} ms wall, {small.cpu * 1000:.0f} ms cpu, "
          f"{small.rss_mb:.0f} MB; libcst imported: {probe.stderr.strip().splitlines()[-1]}; "
          f"bare interpreter start-up (python -c pass): {bare.wall * 1000:.0f} ms wall, "
          f"{bare.cpu * 1000:.0f} ms cpu")
    for name, row in start_up.items():
        if name not in ("small", "bare"):
            print(f"one small file, {name}: {row.wall * 1000:.0f} ms wall, "
                  f"{row.cpu * 1000:.0f} ms cpu, {row.rss_mb:.0f} MB")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def memory(lint: list[str], work: str, repeat: int) -> None:
    """Peak RSS on one dense file (just under max-file-bytes) against a bare parse of it."""
    dense = Path(work, "dense.py")
    with dense.open("w") as handle:
        index = 0
        while handle.tell() < 1_900_000:
            handle.write(APP_TEMPLATE.format(index=index))
            index += 1
    rows = interleaved(
        {
            "read + ast.parse": [PY, "-c", PARSE_ONE, str(dense)],
            "twilio-lint -j 1": [*lint, "--no-cache", "-j", "1", str(dense)],
        },
        repeat,
    )
    parse, lint_row = rows["read + ast.parse"], rows["twilio-lint -j 1"]
    print(f"one dense file ({dense.stat().st_size / 1e6:.1f} MB, {index} modules' worth): "
          f"peak RSS {lint_row.rss_mb:.0f} MB, a bare parse {parse.rss_mb:.0f} MB "
          f"({lint_row.rss_mb / parse.rss_mb:.2f}x); cpu {lint_row.cpu:.2f} s vs "
          f"{parse.cpu:.2f} s")


PARSE_ONE = "import ast, sys; ast.parse(open(sys.argv[1], 'rb').read())"


def report(rows: dict[str, Measure]) -> None:
    floor = next(iter(rows.values()))
    ruff = rows.get("ruff --select S105,S106")
    print(f"  {'command':<40} {'wall s':>7} {'cpu s':>7} {'RSS MB':>7} {'/floor':>7} {'/ruff':>7}")
    for label, m in rows.items():
        vs_ruff = f"{m.wall / ruff.wall:7.2f}" if ruff else "      -"
        print(f"  {label:<40} {m.wall:7.2f} {m.cpu:7.2f} {m.rss_mb:7.0f} "
              f"{m.wall / floor.wall:7.2f} {vs_ruff}")
    cold = rows.get("twilio-lint cold (cache written)")
    warm = rows.get("twilio-lint warm cache")
    if cold and warm:
        print(f"  warm cache: {100 * warm.wall / cold.wall:.1f}% of the cold run's wall time "
              "(replayed)")
    per_file = rows.get(WARM_NOT_REPLAYED)
    if cold and per_file:
        print(f"  warm cache, not replayed: {100 * per_file.wall / cold.wall:.1f}% of the cold "
              "run's wall time")
    plain = rows.get("flake8 without the plugin")
    plugin = rows.get("flake8 with the plugin (--select E9,TWL)")
    if plain and plugin:
        print(f"  flake8 plugin overhead: {100 * (plugin.wall / plain.wall - 1):+.1f}% wall, "
              f"{100 * (plugin.cpu / plain.cpu - 1):+.1f}% cpu")


if __name__ == "__main__":
    raise SystemExit(main())
