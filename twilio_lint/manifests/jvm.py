"""Maven ``pom.xml`` and Gradle ``build.gradle(.kts)``: ``com.twilio.sdk:twilio``."""

from __future__ import annotations

import re

from twilio_lint.manifests import safexml
from twilio_lint.manifests.model import Pin, Source

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
        if dependency.child_text("groupId") != GROUP or dependency.child_text("artifactId") != ARTIFACT:
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
