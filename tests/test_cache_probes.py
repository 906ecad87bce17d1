"""The result cache notices files that appear where the linter looked and found nothing.

Each test is a real CLI run with the cache (cold), a change to the tree (a file created
where a module, a settings file, a ``urls.py``, a manifest or a lock was looked for, or a
root marker that ends a search upwards), a second run with the cache (warm), and a run with
``--no-cache``: the warm findings must be the fresh ones. The cache lives outside the tree,
so creating it moves no folder of the project.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, run_cli
from tests.test_twl401_one_finding_per_pin import (
    BEHIND_8_13,
    LOCKED_8_13,
    POETRY_PYPROJECT,
    RAISE,
)

GET_CLIENT_LIST = (
    "import twilio\n"
    "from services.factory import make_client\n"
    "\n"
    "\n"
    "def recent():\n"
    "    return make_client().messages.list()\n"
)
FACTORY = (
    "import os\n"
    "\n"
    "from twilio.rest import Client\n"
    "\n"
    "\n"
    "def make_client():\n"
    '    return Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"],\n'
    '                  os.environ["TWILIO_ACCOUNT_SID"])\n'
)
NOT_A_FACTORY = "def make_client():\n    return None\n"
LIST_UNBOUNDED = "TWL203 "
NARROW_HANDLER = (
    "from twilio.base.exceptions import TwilioRestException\n"
    "\n"
    "\n"
    "def notify(client, to):\n"
    "    try:\n"
    "        client.messages.create(to=to, from_='+15550101', body='Your code is ready')\n"
    "    except TwilioRestException:\n"
    "        return False\n"
    "    return True\n"
)
SERVICE_EXCEPTION_NOTE = "TWL304 the project uses twilio 9.10 or newer"


def findings(root: Path, cache: Path | None, *args: str) -> list[str]:
    """Concise finding lines of a real run, with the cache at ``cache`` (None: --no-cache)."""
    options = ("--no-cache",) if cache is None else ()
    env = {} if cache is None else {"TWILIO_LINT_CACHE_DIR": str(cache)}
    proc = run_cli("check", "--isolated", "--output-format", "concise", "-q", *options, *args,
                   cwd=root, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == ""
    return proc.stdout.splitlines()


def cold_change_warm(
    root: Path, change: Callable[[], object], *args: str
) -> tuple[list[str], list[str]]:
    """The findings before and after ``change``, the latter from the cache the first run
    wrote, checked against a run without the cache."""
    cache = root.parent / f"{root.name}-cache"
    cold = findings(root, cache, *args)
    change()
    warm = findings(root, cache, *args)
    assert warm == findings(root, None, *args)
    return cold, warm


def codes(lines: list[str]) -> list[str]:
    """``path:line:col: CODE`` of each finding line."""
    return [" ".join(line.split(" ")[:2]) for line in lines]


# --- the project index: modules looked for next to the importing file, and up --------------------


def services_package(root: Path) -> Path:
    (root / "pyproject.toml").write_text("[project]\nname = 'reminders'\n")
    services = root / "services"
    services.mkdir()
    (services / "__init__.py").write_text("")
    return services


def test_a_project_module_created_later_is_read_by_every_file_importing_it(tmp_path):
    """``services/factory.py`` does not exist yet: both files asking for it (the second one
    gets the memoised answer) must be linted again once it does."""
    root = tmp_path / "project"
    root.mkdir()
    services = services_package(root)
    (root / "reminders.py").write_text(GET_CLIENT_LIST)
    (root / "digest.py").write_text(GET_CLIENT_LIST)

    cold, warm = cold_change_warm(
        root, lambda: (services / "factory.py").write_text(FACTORY), "--select", "TWL203", "."
    )
    assert cold == []
    assert codes(warm) == ["digest.py:6:12: TWL203", "reminders.py:6:12: TWL203"]


def test_a_project_package_created_later(tmp_path):
    """No ``services/`` folder at all: the folder looked for is the dependency (one path
    instead of every candidate file below it)."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'reminders'\n")
    (root / "reminders.py").write_text(GET_CLIENT_LIST)

    def add_package() -> None:
        (root / "services").mkdir()
        (root / "services" / "factory.py").write_text(FACTORY)

    cold, warm = cold_change_warm(root, add_package, "--select", "TWL203", ".")
    assert cold == []
    assert codes(warm) == ["reminders.py:6:12: TWL203"]


def test_a_module_file_that_wins_over_the_package_is_noticed(tmp_path):
    """``services/factory/__init__.py`` answers first; a ``services/factory.py`` added beside
    it is the file the index reads from then on."""
    root = tmp_path / "project"
    root.mkdir()
    services = services_package(root)
    (services / "factory").mkdir()
    (services / "factory" / "__init__.py").write_text(NOT_A_FACTORY)
    (root / "reminders.py").write_text(GET_CLIENT_LIST)

    cold, warm = cold_change_warm(
        root, lambda: (services / "factory.py").write_text(FACTORY), "--select", "TWL203", "."
    )
    assert cold == []
    assert codes(warm) == ["reminders.py:6:12: TWL203"]


def test_a_root_marker_created_later_ends_the_search_upwards(tmp_path):
    """``jobs/nightly.py`` imports ``helpers`` from the folder above; a ``pyproject.toml``
    created in ``jobs/`` makes ``jobs`` the project root, where no ``helpers`` lives."""
    root = tmp_path / "project"
    (root / "jobs").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'reminders'\n")
    (root / "helpers.py").write_text(FACTORY)
    (root / "jobs" / "nightly.py").write_text(
        GET_CLIENT_LIST.replace("from services.factory import", "from helpers import")
    )

    cold, warm = cold_change_warm(
        root,
        lambda: (root / "jobs" / "pyproject.toml").write_text("[project]\nname = 'jobs'\n"),
        "--select", "TWL203", "jobs",
    )
    assert codes(cold) == ["jobs/nightly.py:6:12: TWL203"]
    assert warm == []


# --- Django: manage.py, the settings module it names, urls.py ------------------------------------


def django_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "twl104" / "django_site", site)
    return site


@pytest.mark.parametrize("created", ["hotline/settings.py", "manage.py"])
def test_a_django_file_created_later(tmp_path, created):
    """The settings module ``manage.py`` names, or ``manage.py`` itself, missing at first."""
    site = django_site(tmp_path)
    missing = site / created
    text = missing.read_text()
    missing.unlink()

    cold, warm = cold_change_warm(
        site, lambda: missing.write_text(text), "--select", "TWL104", "calls/views.py"
    )
    assert codes(cold) == ["calls/views.py:9:1: TWL104", "calls/views.py:17:1: TWL104"]
    assert warm == []


def test_a_star_imported_settings_module_created_later(tmp_path):
    """``settings.py`` does ``from .base import *`` before ``base.py`` exists: what settings
    files say is memoised, the modules they name are looked for on every call."""
    site = django_site(tmp_path)
    settings = site / "hotline" / "settings.py"
    text = settings.read_text()
    settings.write_text("from .base import *  # noqa: F403\n")

    cold, warm = cold_change_warm(
        site,
        lambda: (site / "hotline" / "base.py").write_text(text),
        "--select", "TWL104", "calls/views.py",
    )
    assert codes(cold) == ["calls/views.py:9:1: TWL104", "calls/views.py:17:1: TWL104"]
    assert warm == []


PLAIN_VIEW = (
    "from django.http import HttpResponse\n"
    "from twilio.twiml.messaging_response import MessagingResponse\n"
    "\n"
    "\n"
    "def sms_reply(request):\n"
    "    reply = MessagingResponse()\n"
    '    reply.message(f"Got it: {request.POST[\'Body\']}")\n'
    '    return HttpResponse(str(reply), content_type="text/xml")\n'
)
URLS = (
    "from django.urls import path\n"
    "\n"
    "from inbox import views\n"
    "\n"
    'urlpatterns = [path("sms/", views.sms_reply)]\n'
)


def test_a_urls_py_created_later_makes_a_view_a_webhook(tmp_path):
    root = tmp_path / "site"
    (root / "inbox").mkdir(parents=True)
    (root / "inbox" / "__init__.py").write_text("")
    (root / "inbox" / "views.py").write_text(PLAIN_VIEW)

    cold, warm = cold_change_warm(
        root, lambda: (root / "urls.py").write_text(URLS), "--select", "TWL104", "inbox/views.py"
    )
    assert cold == []
    assert codes(warm) == ["inbox/views.py:5:1: TWL104"]


def test_a_root_marker_created_later_hides_the_urls_py_above_it(tmp_path):
    root = tmp_path / "site"
    (root / "inbox").mkdir(parents=True)
    (root / "inbox" / "__init__.py").write_text("")
    (root / "inbox" / "views.py").write_text(PLAIN_VIEW)
    (root / "urls.py").write_text(URLS)

    cold, warm = cold_change_warm(
        root,
        lambda: (root / "inbox" / "setup.cfg").write_text("[metadata]\nname = inbox\n"),
        "--select", "TWL104", "inbox/views.py",
    )
    assert codes(cold) == ["inbox/views.py:5:1: TWL104"]
    assert warm == []


# --- manifests: the project's, their includes, lock files -----------------------------------------


def test_a_nested_requirements_folder_created_later(tmp_path):
    """The project already has a manifest (``setup.cfg`` without twilio); a
    ``requirements/base.txt`` created beside it says which twilio is installed."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "setup.cfg").write_text("[metadata]\nname = notifier\n")
    (root / "notify.py").write_text(NARROW_HANDLER)

    def add_requirements() -> None:
        (root / "requirements").mkdir()
        (root / "requirements" / "base.txt").write_text("twilio>=9.10,<10\n")

    cold, warm = cold_change_warm(root, add_requirements, "--select", "TWL304", "notify.py")
    assert cold == []
    assert [line[:len("notify.py:7:12: ") + len(SERVICE_EXCEPTION_NOTE)] for line in warm] == [
        f"notify.py:7:12: {SERVICE_EXCEPTION_NOTE}"
    ]


def test_a_manifest_added_beside_a_manifest(tmp_path):
    """``requirements.txt`` without twilio; a ``requirements-prod.txt`` added beside it."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text("flask>=3\n")
    (root / "notify.py").write_text(NARROW_HANDLER)

    cold, warm = cold_change_warm(
        root,
        lambda: (root / "requirements-prod.txt").write_text("twilio>=9.11\n"),
        "--select", "TWL304", "notify.py",
    )
    assert cold == []
    assert codes(warm) == ["notify.py:7:12: TWL304"]


def test_an_include_of_the_project_manifest_is_a_dependency_of_every_file(tmp_path):
    """The manifests' answer is memoised for the run: the second file asking depends on the
    included ``base.txt`` as much as the first."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text("-r base.txt\n")
    (root / "base.txt").write_text("twilio>=8,<10\n")
    (root / "alerts.py").write_text(NARROW_HANDLER)
    (root / "notify.py").write_text(NARROW_HANDLER)

    cold, warm = cold_change_warm(
        root,
        lambda: (root / "base.txt").write_text("twilio>=9.12,<10\n"),
        "--select", "TWL304", "alerts.py", "notify.py",
    )
    assert cold == []
    assert codes(warm) == ["alerts.py:7:12: TWL304", "notify.py:7:12: TWL304"]


def test_an_include_is_reported_once_when_an_earlier_sibling_includes_it_later(tmp_path):
    """A plain file two requirements files include is read by the first one in name order
    only: ``requirements-base.txt`` created later takes it from ``requirements.txt``."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text("-r common.pip\nflask>=3\n")
    (root / "common.pip").write_text("twilio==8.10.0\n")

    cold, warm = cold_change_warm(
        root,
        lambda: (root / "requirements-base.txt").write_text("-r common.pip\n"),
        "--select", "TWL401", ".",
    )
    assert codes(cold) == ["common.pip:1:7: TWL401"]
    assert codes(warm) == ["common.pip:1:7: TWL401"]


HELD_BACK_PYPROJECT = POETRY_PYPROJECT.format(constraint="^8.10")  # admits 8.x only
HELD_BACK = f"pyproject.toml:7:11: TWL401 '^8.10' allows at most {BEHIND_8_13}; {RAISE}"
RELOCK = "; poetry.lock (locked at 8.13.0) follows when re-locked with `poetry update twilio`"


@pytest.mark.parametrize(
    ("present", "created", "cold_lines", "warm_lines"),
    [
        # a lock created beside the manifest is named in the manifest's finding
        (("pyproject.toml", HELD_BACK_PYPROJECT), ("poetry.lock", LOCKED_8_13),
         [HELD_BACK], [HELD_BACK + RELOCK]),
        # a lock alone is reported itself; once the manifest it is locked from holds the old
        # version back, the finding is the manifest's (one stale pin, one finding)
        (("poetry.lock", LOCKED_8_13), ("pyproject.toml", HELD_BACK_PYPROJECT),
         [f"poetry.lock:3:12: TWL401 {BEHIND_8_13}; {RAISE}"], []),
    ],
    ids=["lock-created", "manifest-created"],
)
def test_a_lock_or_its_manifest_created_later(tmp_path, present, created, cold_lines, warm_lines):
    root = tmp_path / "project"
    root.mkdir()
    (root / present[0]).write_text(present[1])

    cold, warm = cold_change_warm(
        root, lambda: (root / created[0]).write_text(created[1]),
        "--select", "TWL401", present[0],
    )
    assert (cold, warm) == (cold_lines, warm_lines)


# --- precision: what was looked for, not whole folders --------------------------------------------


def test_files_that_do_not_change_an_answer_keep_the_cached_result(tmp_path):
    """A new module in a folder searched for manifests (only manifest names count there) and
    git writing into ``.git`` (a root marker counts by existence) keep the entry: the second
    run serves the cached finding, marked here to tell it from a fresh one."""
    import json

    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "app").mkdir()
    (root / "requirements.txt").write_text("twilio>=9.10,<10\n")
    (root / "app" / "notify.py").write_text(
        NARROW_HANDLER + "\n\nfrom sdk_wrappers import make_client\n\n"
        "def recent():\n    return make_client().messages.list(limit=20)\n"
    )
    cache = tmp_path / "cache"
    [cold] = findings(root, cache, "--select", "TWL304", "app/notify.py")
    assert cold.startswith(f"app/notify.py:7:12: {SERVICE_EXCEPTION_NOTE}")
    [index] = cache.rglob("index.json")
    entries = json.loads(index.read_text())
    entry = entries[str(root / "app" / "notify.py")]
    assert entry["deps"][str(root / ".git")] == "d"  # found: compared by its kind (a folder)
    entry["findings"][0]["message"] = "served from the cache"
    index.write_text(json.dumps(entries))

    (root / "app" / "templates.py").write_text("GREETING = 'Your code is ready'\n")
    (root / ".git" / "index").write_bytes(b"DIRC")
    assert findings(root, cache, "--select", "TWL304", "app/notify.py") == [
        "app/notify.py:7:12: TWL304 served from the cache"
    ]
