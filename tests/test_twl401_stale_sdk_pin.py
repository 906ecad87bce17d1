"""TWL401 stale-sdk-pin through the real CLI: every manifest format, must flag / must not flag.

Each case is a small project folder; one CLI run lints them all, then each case compares its
findings, as (file, row, 1-based column), with what it expects. "Today" is the newest date in
the shipped release data (2026-11-25), so the expectations do not move with the clock.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.helpers import run_cli, run_cli_json

# case id -> ({relative path: content}, {(relative path, row, column)})
CASES: dict[str, tuple[dict[str, str], set[tuple[str, int, int]]]] = {
    # --- requirements / constraints ----------------------------------------------------------
    "requirements_flag": (
        {"requirements.txt": """\
            # twilio==5.0.0 is only a comment
            flask>=2
            twilio==8.13.0  # the old major
            twilio[async] == 9.3.0 ; python_version >= "3.8"
            Twilio==9.0.0 \\
                --hash=sha256:0123456789abcdef
            twilio>=6.0,\\
              <7
            twilio==5.7.0
            twilio<6
            """},
        {("requirements.txt", 3, 7), ("requirements.txt", 4, 15), ("requirements.txt", 5, 7),
         ("requirements.txt", 7, 7), ("requirements.txt", 9, 7), ("requirements.txt", 10, 7)},
    ),
    "requirements_quiet": (
        {"requirements-prod.txt": """\
            twilio>=9
            twilio ; python_version < "3.8"
            twilio==9.13.0 --hash=sha256:abc
            twilio~=9.12
            twilio>=9.12,<10
            twilio @ https://example.com/twilio-9.0.0.tar.gz
            twilio-stubs==0.2.0
            django-twilio==0.9
            -e git+https://github.com/twilio/twilio-python@8.0.0#egg=twilio
            --index-url https://pypi.org/simple
            not a requirement ==== at all
            twilio==8.13.0  # noqa: TWL401
            twilio==9.12.0
            """},
        set(),
    ),
    "constraints_and_include": (
        {
            "requirements.txt": "-r common.pip\n-c constraints.txt\ntwilio\n",
            "requirements-dev.txt": "-r common.pip\n",
            "common.pip": "requests\ntwilio<7\ntwilio==8.0.0  # noqa: TWL401\n",
            "constraints.txt": "twilio==9.4.2\n",
        },
        {("common.pip", 2, 7), ("constraints.txt", 1, 7)},
    ),
    "requirements_folder": (
        {"requirements/base.txt": "twilio>=8,<9\n", "requirements/prod.txt": "-r base.txt\n"},
        {("requirements/base.txt", 1, 7)},
    ),
    # --- pyproject.toml ------------------------------------------------------------------------
    "pyproject_flag": (
        {"pyproject.toml": """\
            [project]
            name = "demo"
            dependencies = [
                "requests",
                "twilio>=6.0,<7",
            ]

            [project.optional-dependencies]
            sms = ["twilio~=9.5"]  # >=9.5,<10 admits the newest: fine

            [dependency-groups]
            dev = ["twilio==9.0.1"]

            [tool.pdm.dev-dependencies]
            test = ["twilio<=8.13.0"]
            """},
        {("pyproject.toml", 5, 12), ("pyproject.toml", 12, 15), ("pyproject.toml", 15, 16)},
    ),
    "pyproject_poetry_flag": (
        {"pyproject.toml": """\
            [tool.poetry.dependencies]
            python = "^3.10"
            twilio = "^8.0"

            [tool.poetry.group.dev.dependencies]
            twilio = { version = "~9.2", optional = true }
            """},
        {("pyproject.toml", 3, 11), ("pyproject.toml", 6, 23)},
    ),
    "pyproject_quiet": (
        {"pyproject.toml": """\
            [project]
            name = "demo"
            dependencies = ["twilio>=9", "twilio-stubs==0.2.0"]
            [project.optional-dependencies]
            sms = ["twilio"]
            [dependency-groups]
            dev = ["twilio~=9.12", {include-group = "test"}]
            test = []
            [tool.poetry.dependencies]
            twilio = "^9.2"
            [tool.poetry.group.dev.dependencies]
            twilio = { git = "https://github.com/twilio/twilio-python.git" }
            [tool.twilio]
            note = "twilio==8.0.0 in a string elsewhere is not a dependency"
            """},
        set(),
    ),
    # --- Pipfile, setup.cfg, setup.py -------------------------------------------------------------
    "pipfile_flag": (
        {"Pipfile": """\
            [packages]
            requests = "*"
            twilio = "==8.10.0"

            [dev-packages]
            twilio = {version = "<9"}
            """},
        {("Pipfile", 3, 11), ("Pipfile", 6, 22)},
    ),
    "pipfile_quiet": (
        {"Pipfile": '[packages]\ntwilio = "*"\n[dev-packages]\ntwilio = {version = ">=9.12"}\n'},
        set(),
    ),
    "setup_cfg": (
        {"setup.cfg": """\
            [metadata]
            name = demo

            [options]
            install_requires =
                requests
                twilio>=7,<8

            [options.extras_require]
            sms =
                twilio>=9
            """},
        {("setup.cfg", 7, 11)},
    ),
    "setup_py": (
        {"setup.py": """\
            from setuptools import setup

            REQUIRES = ["twilio==9.1.1", "requests"]

            setup(
                name="demo",
                install_requires=REQUIRES,
                extras_require={"sms": ["twilio>=9"], "old": ['twilio<8']},
            )
            """},
        {("setup.py", 3, 20), ("setup.py", 8, 58)},
    ),
    # --- lock files -----------------------------------------------------------------------------
    "poetry_lock": (
        {"poetry.lock": """\
            [[package]]
            name = "requests"
            version = "2.31.0"

            [[package]]
            name = "twilio"
            version = "8.13.0"
            description = "Twilio API client"
            """},
        {("poetry.lock", 7, 12)},
    ),
    "uv_lock": (
        {"uv.lock": """\
            version = 1

            [[package]]
            name = "demo"
            version = "0.1.0"
            dependencies = [{ name = "twilio" }]

            [[package]]
            name = "twilio"
            version = "9.13.0"
            """},
        set(),
    ),
    "pipfile_lock": (
        {"Pipfile.lock": """\
            {
                "_meta": {"hash": {"sha256": "x"}},
                "default": {
                    "twilio": {"hashes": [], "version": "==9.2.0"}
                },
                "develop": {}
            }
            """},
        {("Pipfile.lock", 4, 48)},
    ),
    # --- other SDKs -----------------------------------------------------------------------------
    "package_json": (
        {"package.json": """\
            {
              "name": "demo",
              "dependencies": {"express": "^4.18.0", "twilio": "^3.84.0"},
              "devDependencies": {
                "twilio": "^6.0.0"
              },
              "peerDependencies": {"twilio": "^3"}
            }
            """},
        {("package.json", 3, 53)},
    ),
    "package_json_quiet": (
        {"package.json": '{"dependencies": {"twilio": "latest", "twilio-video": "^2"},\n'
                         ' "optionalDependencies": {"twilio": "github:twilio/twilio-node"}}\n'},
        set(),
    ),
    "gemfile": (
        {"Gemfile": """\
            source "https://rubygems.org"
            # gem 'twilio-ruby', '~> 3.0'
            gem 'twilio-ruby', '~> 5.0'
            gem "twilio-ruby", "~> 7.10"
            gem "twilio-ruby", ">= 6", "< 7", require: false
            gem "twilio-ruby"
            """},
        {("Gemfile", 3, 21), ("Gemfile", 5, 21)},
    ),
    "gemfile_lock": (
        {"Gemfile.lock": """\
            GEM
              remote: https://rubygems.org/
              specs:
                jwt (2.7.1)
                twilio-ruby (5.77.0)
                  jwt (>= 1.5)

            DEPENDENCIES
              twilio-ruby (~> 5.0)
            """},
        {("Gemfile.lock", 5, 18)},
    ),
    "composer_json": (
        {"composer.json": '{\n  "require": {"php": ">=8.1", "twilio/sdk": "^7.0"},\n'
                          '  "require-dev": {"twilio/sdk": "^8.0"}\n}\n'},
        {("composer.json", 2, 46)},
    ),
    "pom_xml": (
        {"pom.xml": """\
            <?xml version="1.0" encoding="UTF-8"?>
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <properties>
                <twilio.version>8.0.0</twilio.version>
              </properties>
              <dependencies>
                <dependency>
                  <groupId>com.twilio.sdk</groupId>
                  <artifactId>twilio</artifactId>
                  <version>${twilio.version}</version>
                </dependency>
                <dependency>
                  <groupId>com.twilio.sdk</groupId>
                  <artifactId>twilio</artifactId>
                  <version>[11.0,12.0)</version>
                </dependency>
                <dependency>
                  <groupId>com.twilio.sdk</groupId>
                  <artifactId>twilio</artifactId>
                  <version>[11.0,)</version>
                </dependency>
                <dependency>
                  <groupId>com.example</groupId>
                  <artifactId>twilio</artifactId>
                  <version>1.0</version>
                </dependency>
              </dependencies>
            </project>
            """},
        {("pom.xml", 4, 21), ("pom.xml", 15, 16)},
    ),
    "build_gradle": (
        {"build.gradle": """\
            ext.twilioVersion = '10.1.0'
            dependencies {
                implementation "com.twilio.sdk:twilio:${twilioVersion}"
                // implementation 'com.twilio.sdk:twilio:7.0.0'
                implementation group: 'com.twilio.sdk', name: 'twilio', version: '12.0.0'
                implementation 'com.twilio.sdk:twilio:11.+'
            }
            """},
        {("build.gradle", 1, 22), ("build.gradle", 6, 43)},
    ),
    "build_gradle_kts": (
        {"build.gradle.kts": 'dependencies {\n    implementation("com.twilio.sdk:twilio:9.14.1")\n'
                             '    implementation("com.twilio.sdk:twilio:12.+")\n}\n'},
        {("build.gradle.kts", 2, 43)},
    ),
    "version_catalog": (
        {"gradle/libs.versions.toml": """\
            [versions]
            twilio = "10.1.0"
            kotlin = "1.9.0"

            [libraries]
            twilio = { module = "com.twilio.sdk:twilio", version.ref = "twilio" }
            twilio-new = "com.twilio.sdk:twilio:12.0.0"
            twilio-old = { group = "com.twilio.sdk", name = "twilio", version = "11.0.0" }
            kotlin-stdlib = { module = "org.jetbrains.kotlin:kotlin-stdlib", version.ref = "kotlin" }
            """},
        {("gradle/libs.versions.toml", 2, 11), ("gradle/libs.versions.toml", 8, 70)},
    ),
    "go_mod": (
        {"go.mod": """\
            module example.com/demo

            go 1.21

            require github.com/twilio/twilio-go v1.20.0

            require (
            	github.com/twilio/twilio-go v1.30.9 // indirect
            )

            replace github.com/twilio/twilio-go v1.0.0 => ../fork
            """},
        {("go.mod", 5, 37)},
    ),
    "csproj": (
        {"App.csproj": """\
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="Twilio" Version="7.14.9" />
                <PackageReference Include="Twilio.AspNet.Core" Version="5.0.0" />
                <PackageReference Include="Twilio">
                  <Version>6.0.0</Version>
                </PackageReference>
                <PackageReference Include="twilio" Version="8.*" />
              </ItemGroup>
            </Project>
            """},
        {("App.csproj", 3, 49), ("App.csproj", 6, 16)},
    ),
    "packages_config": (
        {"packages.config": '<?xml version="1.0"?>\n<packages>\n'
                            '  <package id="Twilio" version="5.6.0" targetFramework="net45" />\n'
                            '</packages>\n'},
        {("packages.config", 3, 33)},
    ),
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")


@pytest.fixture(scope="module")
def case_findings(tmp_path_factory) -> dict[str, set[tuple[str, int, int]]]:
    root = tmp_path_factory.mktemp("twl401")
    for case, (files, _) in CASES.items():
        _write(root / case, files)
    found: dict[str, set] = {case: set() for case in CASES}
    for item in run_cli_json("check", "--isolated", "--select", "TWL401", str(root)):
        assert item["code"] == "TWL401"
        case, relative = Path(item["filename"]).relative_to(root).as_posix().split("/", 1)
        found[case].add((relative, item["location"]["row"], item["location"]["column"]))
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_manifest_findings(case: str, case_findings) -> None:
    assert sorted(case_findings[case]) == sorted(CASES[case][1])


def _lint(tmp_path: Path, files: dict[str, str], *args: str) -> list[dict]:
    _write(tmp_path, files)
    return run_cli_json("check", "--select", "TWL401", *args, str(tmp_path))


def test_message_says_how_old_and_what_to_pin(tmp_path: Path) -> None:
    [item] = _lint(tmp_path, {"requirements.txt": "twilio==9.3.0\n"}, "--isolated")
    assert item["message"] == (
        "twilio 9.3.0 (2024-09-05): 792 days behind the newest release 9.13.0 (2026-11-06); "
        "9.1.0–9.4.3 ignore max_retries (fixed in 9.4.4); raise the pin to 9.13.0 or a range "
        "that admits it (Twilio asks for an SDK update every quarter)"
    )
    assert (item["location"], item["end_location"]) == (
        {"row": 1, "column": 7}, {"row": 1, "column": 14}
    )


def test_yanked_and_old_major_messages(tmp_path: Path) -> None:
    items = _lint(tmp_path, {"requirements.txt": "twilio==9.0.0\ntwilio>=7,<8\n"}, "--isolated")
    assert [item["message"].split(";")[0] for item in items] == [
        "twilio 9.0.0 (2024-02-27): yanked from PyPI, 983 days behind the newest release "
        "9.13.0 (2026-11-06)",
        "'>=7,<8' allows at most twilio 7.17.0 (2023-03-22): 1,325 days and 2 major versions "
        "behind the newest release 9.13.0 (2026-11-06)",
    ]


def test_csharp_beyond_the_dated_list(tmp_path: Path) -> None:
    """NuGet serves 8.2.0 (undated): 7.x is an older major, 8.x pins are fine."""
    files = {"A.csproj": '<Project><ItemGroup>\n<PackageReference Include="Twilio" '
                         'Version="7.14.9" />\n<PackageReference Include="Twilio" '
                         'Version="8.0.0" />\n</ItemGroup></Project>\n'}
    [item] = _lint(tmp_path, files, "--isolated")
    assert item["location"]["row"] == 2
    assert "a major version behind the newest release 8.2.0 (release date unknown)" in item[
        "message"]


def test_reference_date_moves_today(tmp_path: Path) -> None:
    files = {"requirements.txt": "twilio==9.0.2\ntwilio==8.13.0\ntwilio==9.1.0\n"}
    today = {item["location"]["row"] for item in _lint(tmp_path, files, "--isolated")}
    assert today == {1, 2, 3}
    # On 2024-06-01 the newest release was 9.1.0 (2024-05-24): 9.0.2 is 70 days behind.
    then = _lint(tmp_path, files, "--isolated", "--sdk-reference-date", "2024-06-01")
    assert [(item["location"]["row"], item["message"].split(":")[0]) for item in then] == [
        (2, "twilio 8.13.0 (2024-02-09)")
    ]
    assert "newest release 9.1.0 (2024-05-24)" in then[0]["message"]


def test_bad_reference_date_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("check", "--isolated", "--sdk-reference-date", "2024-13-01", str(tmp_path))
    assert proc.returncode == 2
    assert "expected a date as YYYY-MM-DD" in proc.stderr


def test_max_sdk_age_days_from_config(tmp_path: Path) -> None:
    files = {
        ".twilio-lint.yaml": "max-sdk-age-days: 800\n",
        "requirements.txt": "twilio==9.3.0\ntwilio==9.2.4\n",
    }
    items = _lint(tmp_path, files)
    assert [item["location"]["row"] for item in items] == [2]  # 802 days > 800; 792 is not


def test_directory_reports_manifests_and_python_sorted_by_path(tmp_path: Path) -> None:
    _write(tmp_path, {
        "b_app.py": "from twilio.rest import Client\n\nclient = Client('SK' + 'x', 'secret')\n",
        "requirements.txt": "twilio==8.0.0\n",
        "a/package.json": '{"dependencies": {"twilio": "^3.0.0"}}\n',
        "setup.py": "from setuptools import setup\nsetup(install_requires=['twilio<7'])\n",
    })
    proc = run_cli("check", "--isolated", "--select", "ALL", "--output-format", "concise",
                   str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    paths = [line.split(":")[0] for line in proc.stdout.splitlines() if ": TWL" in line]
    assert paths == sorted(paths)
    names = {Path(p).name for p in paths}
    assert {"package.json", "requirements.txt", "setup.py"} <= names


def test_setup_py_gets_python_rules_and_manifest_rules(tmp_path: Path) -> None:
    from twilio_lint.config import Settings
    from twilio_lint.engine import Linter

    source = (
        "from setuptools import setup\n"
        "from twilio.rest import Client\n"
        "setup(install_requires=['twilio<7'])\n"
    )
    result = Linter(Settings(select=["ALL"])).lint_source(source, "setup.py")
    assert result.error is None
    assert ("TWL401", 3, 31) in {(f.code, f.line, f.col) for f in result.findings}


HOSTILE = {
    "pyproject.toml": '[project\ndependencies = ["twilio==6.0.0"\n',
    "Pipfile": "[packages]\ntwilio = \n",
    "poetry.lock": "[[package]]\nname = 'twilio'\nversion = 8\n",
    "uv.lock": "[[package]\n",
    "Pipfile.lock": '{"default": {"twilio": {"version": 9}}}',
    "package.json": '{"dependencies": {"twilio": "^3.0.0"',
    "composer.json": "[1, 2, 3]",
    "setup.py": "setup(install_requires=['twilio<7'\n",
    "setup.cfg": "no section header\ninstall_requires = twilio<7\n",
    "pom.xml": (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        "<project><dependencies><dependency><groupId>com.twilio.sdk</groupId>"
        "<artifactId>twilio</artifactId><version>&lol2;</version></dependency>"
        "</dependencies></project>\n"
    ),
    "App.csproj": (
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<Project><PackageReference Include="Twilio" Version="&xxe;" /></Project>\n'
    ),
    "packages.config": "<packages><package id='Twilio' version='5.0.0'>",
    "go.mod": "require (\ngithub.com/twilio/twilio-go vgarbage\n",
    "Gemfile": "gem 'twilio-ruby', '~> banana'\n",
    "build.gradle": "implementation 'com.twilio.sdk:twilio:$undefinedVersion'\n",
    "requirements.txt": "twilio==\ntwilio>=>9\n-r\n-r missing.txt\n-r requirements.txt\n",
    "constraints.txt": "\x00\x01twilio==1\n",
}


def test_hostile_and_broken_manifests_never_crash(tmp_path: Path) -> None:
    _write(tmp_path, HOSTILE)
    (tmp_path / "requirements-bin.txt").write_bytes(b"\xff\xfe twilio==6.0.0\n")
    proc = run_cli("check", "--isolated", "--select", "TWL401", "--output-format", "json",
                   str(tmp_path))
    assert "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr
    items = json.loads(proc.stdout)
    # The file that is not UTF-8 and the manifests that name twilio but are not valid TOML,
    # JSON or XML are the engine's TWL001 (reported whatever --select says, as Ruff reports
    # syntax errors), not TWL401 findings.
    assert {item["code"] for item in items} == {"TWL001"}
    unchecked = sorted(Path(item["filename"]).name for item in items)
    assert unchecked == ["App.csproj", "Pipfile", "package.json", "packages.config", "pom.xml",
                         "pyproject.toml", "requirements-bin.txt", "setup.py"]


def test_include_cycle_and_depth_are_bounded(tmp_path: Path) -> None:
    files = {"requirements.txt": "-r a.pip\n", "a.pip": "-r b.pip\ntwilio<7\n",
             "b.pip": "-r a.pip\n-r requirements.txt\n"}
    items = _lint(tmp_path, files, "--isolated")
    assert [(Path(i["filename"]).name, i["location"]["row"]) for i in items] == [("a.pip", 2)]
