"""NuGet: ``<PackageReference Include="Twilio" Version="7.0.0" />`` in ``*.csproj`` and
friends, ``Directory.Packages.props`` (``PackageVersion``) and ``packages.config``."""

from __future__ import annotations

from twilio_lint.manifests import safexml
from twilio_lint.manifests.pins import Pin, Source

PACKAGE = "twilio"


def project_file(source: Source) -> list[Pin]:
    try:
        root = safexml.parse(source.text.encode("utf-8"))
    except safexml.XmlRejected:
        return []
    offsets = safexml.Offsets(source.text)
    pins = []
    for tag, name_attrs, version_attr in (
        ("PackageReference", ("Include", "Update"), "Version"),
        ("PackageVersion", ("Include", "Update"), "Version"),
        ("package", ("id",), "version"),  # packages.config
    ):
        for element in root.iter(tag):
            names = [_attr(element, key) for key in name_attrs]
            if not any(name and name.strip().lower() == PACKAGE for name in names):
                continue
            value = _attr(element, version_attr)
            if value is not None:
                span = offsets.attribute_span(element, version_attr)
            else:
                child = element.child("Version")
                value = child.text.strip() if child is not None else None
                span = offsets.text_span(child) if child is not None else None
            if value and span is not None:
                pins.append(Pin("nuget", "nuget", value, source, *span))
    return sorted(pins, key=lambda pin: pin.start)


def _attr(element: safexml.Element, name: str) -> str | None:
    for key, value in element.attrs.items():
        if key.lower() == name.lower():
            return value
    return None
