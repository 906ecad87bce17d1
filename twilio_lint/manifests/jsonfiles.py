"""JSON manifests: npm's ``package.json`` and Composer's ``composer.json``."""

from __future__ import annotations

import json
import re
from typing import Any

from twilio_lint.manifests.pins import Pin, Source

NPM_SECTIONS = ("dependencies", "devDependencies", "optionalDependencies")
COMPOSER_SECTIONS = ("require", "require-dev")


def _load(source: Source) -> dict[str, Any] | None:
    try:
        data = json.loads(source.text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _section_pins(
    source: Source, data: dict[str, Any], sections: tuple[str, ...], package: str,
    ecosystem: str, flavor: str,
) -> list[Pin]:
    pins = []
    for section in sections:
        table = data.get(section)
        if not isinstance(table, dict) or not isinstance(table.get(package), str):
            continue
        # json gives no positions: find the section's object, then the package's value in it
        # (the first such object that has it: a nested "dependencies" may come first)
        for opening in re.finditer(r'"' + re.escape(section) + r'"\s*:\s*\{', source.text):
            closing = source.text.find("}", opening.end())
            entry = re.compile(r'"' + re.escape(package) + r'"\s*:\s*"((?:[^"\\]|\\.)*)"').search(
                source.text, opening.end(), closing if closing != -1 else len(source.text)
            )
            if entry is not None:
                pins.append(Pin(ecosystem, flavor, table[package], source, *entry.span(1)))
                break
    return pins


def package_json(source: Source) -> list[Pin]:
    data = _load(source)
    return _section_pins(source, data, NPM_SECTIONS, "twilio", "npm", "npm") if data else []


def composer_json(source: Source) -> list[Pin]:
    data = _load(source)
    if not data:
        return []
    return _section_pins(source, data, COMPOSER_SECTIONS, "twilio/sdk", "packagist", "composer")
