"""TWL401's building blocks: version grammars, version-text spans (for the planned fix), the
release data, ``pinned_twilio_version`` for Python rules, and the maintainer refresh script."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from packaging.version import Version

from tests.helpers import ROOT
from twilio_lint import manifests
from twilio_lint.manifests import Source, pinned_twilio_version
from twilio_lint.manifests.specs import compile_spec, ruby


@pytest.mark.parametrize(
    ("flavor", "text", "admitted", "refused"),
    [
        ("pep440", ">=6,<7", "6.63.2", "7.0.0"),
        ("pep440", "~=9.2", "9.13.0", "10.0.0"),
        ("pep440", "==9.*", "9.4.4", "8.13.0"),
        ("npm", "^4.0.0", "4.19.3", "5.0.0"),
        ("npm", "~3.1", "3.1.9", "3.2.0"),
        ("npm", ">=3 <4 || ^5", "5.1.0", "4.0.0"),
        ("npm", "3.0.0 - 4", "4.9.0", "5.0.0"),
        ("npm", "4.x", "4.9.9", "5.0.0"),
        ("poetry", "^9.2", "9.13.0", "10.0"),
        ("poetry", "~9.2", "9.2.4", "9.3.0"),
        ("composer", "~5.1", "5.9.0", "6.0.0"),
        ("composer", "^7.0|^8.0", "8.1.0", "9.0.0"),
        ("composer", "5.*", "5.3.0", "6.0.0"),
        ("maven", "[7.0,8.0)", "7.5.0", "8.0.0"),
        ("maven", "(,1.0],[1.2,)", "1.3", "1.1"),
        ("gradle", "11.+", "11.4.0", "12.0.0"),
        ("nuget", "7.*", "7.14.9", "8.0.0"),
        ("nuget", "[7.0, 8.0)", "7.1.0", "8.0.0"),
    ],
)
def test_version_grammars(flavor, text, admitted, refused) -> None:
    spec = compile_spec(flavor, text)
    assert spec is not None
    assert spec.admits(Version(admitted)) and not spec.admits(Version(refused))


def test_ruby_pessimistic_operator() -> None:
    assert ruby(["~> 7.10"]).admits(Version("7.11.1"))
    assert not ruby(["~> 5.10.1"]).admits(Version("5.11.0"))
    assert not ruby([">= 6", "< 7"]).admits(Version("7.0.0"))


@pytest.mark.parametrize("text", ["github:twilio/twilio-node", "file:../x", "dev-main", "banana"])
def test_non_versions_are_not_judged(text: str) -> None:
    flavor = "composer" if text == "dev-main" else "npm"
    assert compile_spec(flavor, text) is None


SPANS = {
    "requirements.txt": ("twilio[async] >= 6 , < 7 ; python_version > '3'\n", ">= 6 , < 7"),
    "pyproject.toml": ('[project]\ndependencies = ["twilio==8.1.0"]\n', "==8.1.0"),
    "Pipfile": ("[packages]\ntwilio = {version = '<9', extras = ['x']}\n", "<9"),
    "setup.cfg": ("[options]\ninstall_requires =\n    twilio~=7.1\n", "~=7.1"),
    "setup.py": ("setup(install_requires=['twilio == 6.0'])\n", "== 6.0"),
    "poetry.lock": ('[[package]]\nname = "twilio"\nversion = "8.2.0"\n', "8.2.0"),
    "Pipfile.lock": ('{"default": {"twilio": {"version": "==8.2.0"}}}', "8.2.0"),
    "package.json": ('{"dependencies": {"twilio": "~3.1.0"}}', "~3.1.0"),
    "composer.json": ('{"require": {"twilio/sdk": "^6.2"}}', "^6.2"),
    "Gemfile": ("gem 'twilio-ruby', '>= 5', '< 6'\n", ">= 5', '< 6"),
    "Gemfile.lock": ("GEM\n  specs:\n    twilio-ruby (5.1.0)\n", "5.1.0"),
    "pom.xml": ("<project><dependencies><dependency><groupId>com.twilio.sdk</groupId>"
                "<artifactId>twilio</artifactId><version> 7.1.0 </version></dependency>"
                "</dependencies></project>", "7.1.0"),
    "build.gradle": ("implementation 'com.twilio.sdk:twilio:7.1.0@jar'\n", "7.1.0"),
    "libs.versions.toml": ('[libraries]\ntwilio = "com.twilio.sdk:twilio:7.1.0"\n', "7.1.0"),
    "go.mod": ("require github.com/twilio/twilio-go v1.2.0 // indirect\n", "v1.2.0"),
    "X.csproj": ('<Project><ItemGroup><PackageReference Include="Twilio" Version=" 7.0.0"/>'
                 "</ItemGroup></Project>", " 7.0.0"),
}


@pytest.mark.parametrize("name", sorted(SPANS))
def test_pin_span_is_exactly_the_version_text(name: str) -> None:
    """The planned "raise the pin" fix replaces text[start:end]: it must be the version text."""
    text, expected = SPANS[name]
    [pin] = manifests.parse(Source(name, text))
    assert text[pin.start:pin.end] == expected


def test_continuation_line_span_maps_back_to_the_file() -> None:
    text = "twilio>=6,\\\n  <7  # old\n"
    [pin] = manifests.parse(Source("requirements.txt", text))
    assert text[pin.start:pin.end] == ">=6,\\\n  <7"
    assert pin.source.position(pin.start) == (1, 6)


def test_rule_and_parser_patterns_agree() -> None:
    from twilio_lint.rules.currency import twl401_stale_sdk_pin as rule

    assert rule.FILE_PATTERNS == manifests.FILE_PATTERNS


def test_release_data_covers_every_sdk() -> None:
    newest = {
        "pypi": "9.13.0", "npm": "6.3.1", "rubygems": "7.11.1", "packagist": "8.12.0",
        "maven": "12.0.0", "nuget": "8.2.0", "go": "v1.30.9",
    }
    for ecosystem, version in newest.items():
        history = manifests.history(ecosystem)
        assert history.releases[-1].text == version
        assert len(history.releases) > 100
    pypi = manifests.history("pypi")
    assert {r.text for r in pypi.releases if r.status == "yanked"} == {
        "9.0.0", "9.0.1", "9.2.0", "9.4.0", "9.10.6"}
    assert pypi.find(Version("9.13.0")).date == date(2026, 11, 6)
    assert manifests.history("nuget").releases[-1].date is None  # undated, seen 2026-11-25
    assert manifests.default_reference_date() == date(2026, 11, 25)


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    return tmp_path


def test_pinned_version_from_nearest_manifest(tmp_path: Path) -> None:
    root = _project(tmp_path, {
        "pyproject.toml": '[project]\ndependencies = ["twilio>=9.5,<9.10"]\n',
        "src/app/views.py": "",
        "tools/requirements.txt": "twilio==8.1.0\n",
        "tools/run.py": "",
        "other/setup.cfg": "[metadata]\nname = x\n",
        "other/job.py": "",
    })
    assert pinned_twilio_version(str(root / "src/app/views.py")) == Version("9.9.1")
    assert pinned_twilio_version(str(root / "tools/run.py")) == Version("8.1.0")
    # the nearest folder with a manifest decides, even when it does not mention twilio
    assert pinned_twilio_version(str(root / "other/job.py")) is None


def test_pinned_version_prefers_the_lock_and_applies_constraints(tmp_path: Path) -> None:
    locked = _project(tmp_path / "locked", {
        "pyproject.toml": '[project]\ndependencies = ["twilio>=9"]\n',
        "uv.lock": '[[package]]\nname = "twilio"\nversion = "9.3.0"\n',
        "app.py": "",
    })
    assert pinned_twilio_version(str(locked / "app.py")) == Version("9.3.0")
    constrained = _project(tmp_path / "constrained", {
        "requirements.txt": "twilio\n-c constraints.txt\n",
        "constraints.txt": "twilio<9.10\n",
        "app.py": "",
    })
    assert pinned_twilio_version(str(constrained / "app.py")) == Version("9.9.1")
    unpinned = _project(tmp_path / "unpinned", {"requirements.txt": "twilio\n", "app.py": ""})
    assert pinned_twilio_version(str(unpinned / "app.py")) == Version("9.13.0")
    folder = _project(tmp_path / "folder", {"requirements/base.txt": "twilio~=9.10.0\n",
                                            "app.py": ""})
    assert pinned_twilio_version(str(folder / "app.py")) == Version("9.10.9")  # 9.10.8 never existed


def test_checking_a_python_file_does_not_load_parsers_or_data(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text("from twilio.rest import Client\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from twilio_lint.cli import main\n"
        f"main(['check', '--isolated', '-q', {str(path)!r}])\n"
        "heavy = [m for m in sys.modules if m.startswith('twilio_lint.manifests.')\n"
        "         and m != 'twilio_lint.manifests.pins']\n"
        "print(heavy or 'lazy')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1] == "lazy", proc.stderr


# --- the maintainer script, offline ----------------------------------------------------------


@pytest.fixture(scope="module")
def refresh():
    spec = importlib.util.spec_from_file_location(
        "refresh_release_data", ROOT / "scripts" / "refresh_release_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_refresh_merges_pypi_without_touching_curated_dates(refresh) -> None:
    ecosystem = {"releases": [["9.12.0", "2026-10-12"], ["9.0.0", "2024-02-27"]]}
    payload = {"releases": {
        "9.0.0": [{"yanked": True, "upload_time_iso_8601": "2024-02-28T10:00:00Z"}],
        "9.12.0": [{"yanked": False, "upload_time_iso_8601": "2026-10-13T01:00:00Z"}],
        "9.14.0": [{"yanked": False, "upload_time_iso_8601": "2026-12-01T09:00:00Z"}],
        "9.15.0rc1": [{"yanked": False, "upload_time_iso_8601": "2026-12-02T09:00:00Z"}],
        "9.16.0": [],
    }}
    assert refresh.merge_pypi(ecosystem, payload) == ["9.14.0"]
    assert ecosystem["releases"] == [
        ["9.0.0", "2024-02-27", "yanked"], ["9.12.0", "2026-10-12"], ["9.14.0", "2026-12-01"]]


def test_refresh_adds_only_new_npm_versions(refresh) -> None:
    ecosystem = {"releases": [["5.10.0", "2025-09-18"]]}
    payload = {"versions": {"5.10.0": {}, "6.4.0": {}, "6.5.0-rc.1": {}},
               "time": {"5.10.0": "2026-03-31T00:00:00Z", "6.4.0": "2026-12-01T00:00:00Z",
                        "6.5.0-rc.1": "2026-12-02T00:00:00Z"}}
    assert refresh.merge_npm(ecosystem, payload) == ["6.4.0"]
    assert ecosystem["releases"] == [["5.10.0", "2025-09-18"], ["6.4.0", "2026-12-01"]]


def test_shipped_data_is_what_the_csvs_build(refresh) -> None:
    shared = Path("/work/shared/data")
    if not (shared / "twilio-python-releases.csv").exists():
        pytest.skip("the shared CSVs are not here")
    shipped = (ROOT / "twilio_lint" / "knowledge" / "data" / "sdk_releases.json").read_text(encoding="utf-8")
    assert refresh.dump(refresh.from_csv(shared)) == shipped


def test_lowest_version_every_install_has(tmp_path: Path) -> None:
    from twilio_lint.manifests import lowest_twilio_version

    cases = {
        "range": ("requirements.txt", "twilio>=9.10,<10\n", Version("9.10")),
        "poetry": ("pyproject.toml", '[tool.poetry.dependencies]\ntwilio = "^9.12"\n',
                   Version("9.12")),
        "locked": ("uv.lock", '[[package]]\nname = "twilio"\nversion = "9.11.2"\n',
                   Version("9.11.2")),
        "locked_wins": ("uv.lock", '[[package]]\nname = "twilio"\nversion = "9.12.0"\n',
                        Version("9.12.0")),
        "unbounded": ("requirements.txt", "twilio<10\n", None),
        "bare": ("requirements.txt", "twilio\n", None),
    }
    for folder, (name, text, expected) in cases.items():
        files = {name: text, "app.py": ""}
        if folder == "locked_wins":
            files["pyproject.toml"] = '[project]\ndependencies = ["twilio>=9"]\n'
        root = _project(tmp_path / folder, files)
        assert lowest_twilio_version(str(root / "app.py")) == expected, folder


def test_project_version_follows_manifest_edits(tmp_path: Path) -> None:
    import os

    root = _project(tmp_path, {"requirements.txt": "twilio==9.3.0\n", "app.py": ""})
    assert pinned_twilio_version(str(root / "app.py")) == Version("9.3.0")
    manifest = root / "requirements.txt"
    manifest.write_text("twilio==9.11.0\n", encoding="utf-8")
    os.utime(manifest, ns=(manifest.stat().st_atime_ns, manifest.stat().st_mtime_ns + 10**9))
    assert pinned_twilio_version(str(root / "app.py")) == Version("9.11.0")


def test_included_files_become_cache_dependencies(tmp_path: Path) -> None:
    from twilio_lint import cache

    root = _project(tmp_path, {"requirements.txt": "-r base.pip\n", "base.pip": "twilio<7\n"})
    cache.consulted_files.clear()
    text = (root / "requirements.txt").read_text(encoding="utf-8")
    [pin] = manifests.parse(Source(str(root / "requirements.txt"), text))
    assert pin.source.path == str(root / "base.pip")
    assert str(root / "base.pip") in cache.consulted_files
