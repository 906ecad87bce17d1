"""Regenerate docs/rules/*.md, the rule table in README.md and the rule index
(twilio_lint/rule_index.py: what the engine needs without importing the rules) from the rules.

    python scripts/gen_docs.py          # write
    python scripts/gen_docs.py --check  # exit 1 if anything is stale (used by the tests)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twilio_lint.registry import all_rules, rule_index_source  # noqa: E402
from twilio_lint.rule_docs import fix_label, rule_markdown  # noqa: E402

DOCS = ROOT / "docs" / "rules"
README = ROOT / "README.md"
RULE_INDEX = ROOT / "twilio_lint" / "rule_index.py"
BEGIN, END = "<!-- rules-table:begin -->", "<!-- rules-table:end -->"


def rules_table() -> str:
    rows = ["| code | name | summary | default | fix |", "|---|---|---|---|---|"]
    for rule in all_rules():
        default = "on" if rule.default_on else "opt-in"
        link = f"[{rule.code}](docs/rules/{rule.code}.md)"
        rows.append(f"| {link} | `{rule.name}` | {rule.summary} | {default} | {fix_label(rule)} |")
    return "\n".join(rows)


def expected_files() -> dict[Path, str]:
    files = {DOCS / f"{rule.code}.md": rule_markdown(rule) for rule in all_rules()}
    index = ["# twilio-lint rules", "", rules_table().replace("docs/rules/", ""), ""]
    files[DOCS / "README.md"] = "\n".join(index)
    if (RULE_INDEX.parent / "__init__.py").exists():  # not in a copy of this script alone
        files[RULE_INDEX] = rule_index_source()
    readme = README.read_text(encoding="utf-8")
    if BEGIN in readme and END in readme:
        head, rest = readme.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        files[README] = f"{head}{BEGIN}\n{rules_table()}\n{END}{tail}"
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    wanted = expected_files()
    for path, text in wanted.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    orphans = [p for p in DOCS.glob("TWL*.md") if p not in wanted]
    for orphan in orphans:
        stale.append(orphan)
        if not check:
            orphan.unlink()
    if check and stale:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"stale generated docs: {names}; run python scripts/gen_docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
