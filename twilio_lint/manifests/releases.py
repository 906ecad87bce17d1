"""The shipped release history of Twilio's server SDKs (``knowledge/data/sdk_releases.json``).

Loaded on first use only, so a run over Python files never reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from packaging.version import Version


@dataclass(frozen=True)
class Release:
    version: Version
    text: str
    date: date | None  # None: the registry serves it but no release date is known
    status: str = ""  # "", "yanked", "unavailable" (listed in a changelog, never published)
    seen: date | None = None  # for undated releases: the day a registry was seen serving it

    @property
    def known_since(self) -> date:
        return self.date or self.seen or date.min

    @property
    def installable(self) -> bool:
        return self.status == ""

    def describe(self) -> str:
        when = self.date.isoformat() if self.date else "release date unknown"
        return f"{self.text} ({when})"


@dataclass(frozen=True)
class History:
    ecosystem: str
    package: str
    label: str
    releases: tuple[Release, ...]
    defects: tuple[tuple[Version, Version, str], ...] = ()

    def known_on(self, reference: date) -> tuple[Release, ...]:
        """Releases that existed on ``reference`` (``--sdk-reference-date`` looks back)."""
        return tuple(r for r in self.releases if r.known_since <= reference)

    def find(self, version: Version) -> Release | None:
        return next((r for r in self.releases if r.version == version), None)

    def defect(self, version: Version) -> str | None:
        for low, high, note in self.defects:
            if low <= version <= high:
                return f"{low}–{high} {note}"
        return None


@lru_cache(maxsize=1)
def _raw() -> dict:
    from twilio_lint.knowledge import load_data

    return load_data("sdk_releases.json")


@lru_cache(maxsize=None)
def history(ecosystem: str) -> History:
    raw = _raw()["ecosystems"][ecosystem]
    releases = []
    for entry in raw["releases"]:
        text, day = entry[0], entry[1]
        status = entry[2] if len(entry) > 2 else ""
        seen = entry[3] if len(entry) > 3 else None
        releases.append(
            Release(
                version=Version(text),
                text=text,
                date=date.fromisoformat(day) if day else None,
                status=status,
                seen=date.fromisoformat(seen) if seen else None,
            )
        )
    defects = tuple((Version(a), Version(b), note) for a, b, note in raw.get("defects", ()))
    return History(
        ecosystem, raw["package"], raw["label"], tuple(sorted(releases, key=lambda r: r.version)),
        defects,
    )


@lru_cache(maxsize=1)
def default_reference_date() -> date:
    """The newest date in the shipped data: results do not change with the wall clock."""
    return max(
        release.known_since
        for ecosystem in _raw()["ecosystems"]
        for release in history(ecosystem).releases
    )
