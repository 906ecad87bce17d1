"""Rule documentation rendered as Markdown: for ``twilio-lint explain`` and ``docs/rules/``."""

from __future__ import annotations

from twilio_lint.registry import Rule

FIX_LABELS = {
    "safe": "safe fix",
    "unsafe": "unsafe fix",
    "sometimes-unsafe": "safe/unsafe fix",  # some of its fixes are safe, others unsafe
    None: "no fix",
}


def fix_label(rule: Rule) -> str:
    return FIX_LABELS.get(rule.fix, str(rule.fix))


def rule_markdown(rule: Rule) -> str:
    doc = rule.doc
    status = "on by default" if rule.default_on else "opt-in (enable with --extend-select)"
    lang = "python" if doc.example_filename.endswith(".py") else ""
    parts = [
        f"# {rule.code} {rule.name}",
        "",
        f"{rule.summary}.",
        "",
        f"*{status}; {fix_label(rule)}*",
        "",
        "## What it does",
        "",
        doc.what,
        "",
        "## Why does it matter?",
        "",
        doc.why,
        "",
        "## Example",
        "",
        *([f"`{doc.example_filename}`:", ""] if not lang else []),
        f"```{lang}",
        doc.example.rstrip("\n"),
        "```",
        "",
        "## Use instead",
        "",
        f"```{lang}",
        doc.use_instead.rstrip("\n"),
        "```",
        "",
        "## Fix safety",
        "",
        doc.fix_safety,
    ]
    if rule.options:
        parts += ["", "## Options", ""]
        for name, option in sorted(rule.options.items()):
            parts.append(f"- `{name}` (default `{option.default!r}`): {option.help}")
    if doc.references:
        parts += ["", "## References", "", *(f"- {url}" for url in doc.references)]
    return "\n".join(parts) + "\n"
