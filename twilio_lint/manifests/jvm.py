"""Maven ``pom.xml`` and Gradle ``build.gradle(.kts)``: ``com.twilio.sdk:twilio``."""

from __future__ import annotations

import re

from twilio_lint.manifests import safexml
from twilio_lint.manifests.pins import Pin, Source

GROUP, ARTIFACT = "com.twilio.sdk", "twilio"
_PROPERTY = re.compile(r"^\$\{([^}]+)\}$")


def pom_xml(source: Source) -> list[Pin]:
    """Every ``<dependency>`` on the SDK (also under dependencyManagement and plugins); a
    ``${property}`` version is reported where the property is defined in the same pom."""
    try:
        root = safexml.parse(source.text.encode("utf-8"))
    except safexml.XmlRejected:
        return []
    offsets = safexml.Offsets(source.text)
    properties = root.child("properties")
    pins = []
    for dependency in root.iter("dependency"):
        coordinates = (dependency.child_text("groupId"), dependency.child_text("artifactId"))
        if coordinates != (GROUP, ARTIFACT):
            continue
        version = dependency.child("version")
        if version is None:
            continue  # managed elsewhere (a parent pom or a BOM)
        target = version
        prop = _PROPERTY.match(version.text.strip())
        if prop:
            target = properties.child(prop.group(1)) if properties is not None else None
            if target is None:
                continue
        span = offsets.text_span(target)
        if span is not None:
            pins.append(Pin("maven", "maven", target.text.strip(), source, *span))
    return pins


_COORDINATE = re.compile(
    r"""(["'])com\.twilio\.sdk:twilio:(?P<version>[^"'@:\s]+)(?:[:@][^"']*)?\1"""
)
_MAP = re.compile(
    r"""group\s*[:=]\s*(["'])com\.twilio\.sdk\1\s*,\s*name\s*[:=]\s*(["'])twilio\2\s*,\s*"""
    r"""version\s*[:=]\s*(["'])(?P<version>[^"']+)\3"""
)
_INTERPOLATION = re.compile(r"^\$\{?([A-Za-z_][\w.]*)\}?$")


def build_gradle(source: Source) -> list[Pin]:
    """String (``'com.twilio.sdk:twilio:10.1.0'``) and map notation, Groovy and Kotlin; a
    ``$twilioVersion`` defined in the same file is followed to its definition."""
    pins = []
    for pattern in (_COORDINATE, _MAP):
        for match in pattern.finditer(source.text):
            line_start = source.text.rfind("\n", 0, match.start()) + 1
            if "//" in source.text[line_start:match.start()]:
                continue  # commented out
            version = match.group("version")
            start, end = match.span("version")
            variable = _INTERPOLATION.match(version)
            if variable:
                name = variable.group(1).split(".")[-1]
                definition = re.compile(
                    r"""(?m)^[ \t]*(?:ext\.|val\s+|var\s+|def\s+|set\(\s*["'])?"""
                    + re.escape(name)
                    + r"""["']?\s*[=,]\s*(["'])([^"'$]+)\1"""
                ).search(source.text)
                if definition is None:
                    continue
                version = definition.group(2)
                start, end = definition.span(2)
            pins.append(Pin("maven", "gradle", version, source, start, end))
    return sorted(pins, key=lambda pin: pin.start)



def version_catalog(source: Source) -> list[Pin]:
    """Gradle's ``libs.versions.toml``: a ``[libraries]`` entry for the SDK, its version
    inline or through ``version.ref`` into ``[versions]`` (reported where the version is)."""
    from twilio_lint.manifests.pins import find_quoted, toml_table
    from twilio_lint.manifests.python import _toml

    data = _toml(source)
    libraries = data.get("libraries") if data else None
    if not isinstance(libraries, dict):
        return []
    versions = data.get("versions") if isinstance(data.get("versions"), dict) else {}
    pins = []
    for alias, entry in libraries.items():
        version = _catalog_version(entry)
        if version is None:
            continue
        if isinstance(version, dict):  # {ref = "twilio"}
            ref = version.get("ref")
            value = versions.get(ref) if isinstance(ref, str) else None
            region = toml_table(source.text, "versions")
            if not isinstance(value, str) or region is None:
                continue
            key = re.compile(r"(?m)^[ \t]*[\"']?" + re.escape(ref) + r"[\"']?[ \t]*=[ \t]*")
            found_key = key.search(source.text, *region)
            start = find_quoted(source.text, value, found_key.end(), region[1]) if found_key else -1
        else:
            value = version
            region = toml_table(source.text, "libraries") or (0, len(source.text))
            key = re.compile(r"(?m)^[ \t]*[\"']?" + re.escape(alias) + r"[\"']?[ \t]*=")
            found_key = key.search(source.text, *region)
            # "group:name:version" is one string: the span is its version part
            needle = entry if isinstance(entry, str) else value
            start = -1
            if found_key:
                start = find_quoted(source.text, needle, found_key.end(), region[1])
            if start != -1:
                start += len(needle) - len(value)
        if start != -1:
            pins.append(Pin("maven", "gradle", value, source, start, start + len(value)))
    return pins


def _catalog_version(entry: object) -> str | dict | None:
    """The SDK entry's version (a string, or ``{"ref": …}``), or None if not the SDK."""
    if isinstance(entry, str):
        parts = entry.split(":")
        return parts[2] if len(parts) == 3 and parts[:2] == [GROUP, ARTIFACT] else None
    if not isinstance(entry, dict):
        return None
    module = entry.get("module")
    coordinates = (entry.get("group"), entry.get("name"))
    if module != f"{GROUP}:{ARTIFACT}" and coordinates != (GROUP, ARTIFACT):
        return None
    version = entry.get("version")
    if isinstance(version, dict):
        if "ref" in version:
            return {"ref": version["ref"]}
        version = version.get("strictly") or version.get("require") or version.get("prefer")
    return version if isinstance(version, str) else None
