"""Configuration: ``[tool.twilio-lint]`` in ``pyproject.toml`` or ``.twilio-lint.yaml``.

Found by walking up from the linted paths; the first file that configures twilio-lint wins.
Command-line flags override it. Every problem is a ``ConfigError`` with one line naming the
file and the key, which the CLI turns into exit code 2.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twilio_lint.registry import Option, all_options, all_rules

YAML_NAMES = (".twilio-lint.yaml", ".twilio-lint.yml")
LIST_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude")
DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".twilio_lint_cache",
    ".eggs",
    "site-packages",
)


class ConfigError(Exception):
    """A broken configuration file or an unknown rule code: exit code 2."""


@dataclass
class Settings:
    """The effective configuration of one run."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    config_path: str | None = None
    root: str = field(default_factory=os.getcwd)

    def option(self, name: str) -> Any:
        if name in self.options:
            return self.options[name]
        return all_options()[name].default

    def effective_options(self) -> dict[str, Any]:
        merged = {name: opt.default for name, opt in all_options().items()}
        merged.update(self.options)
        return merged

    def enabled_codes(self) -> set[str]:
        """Ruff's semantics: ``select`` replaces the defaults, ``extend-select`` adds,
        ``ignore`` removes; every selector is a code or a code prefix (``TWL1``, ``ALL``)."""
        rules = all_rules()
        if self.select is None:
            enabled = {rule.code for rule in rules if rule.default_on}
        else:
            enabled = expand_selectors(self.select)
        enabled |= expand_selectors(self.extend_select)
        enabled -= expand_selectors(self.ignore)
        return enabled

    def ignored_for(self, path: str) -> set[str]:
        """Codes that ``per-file-ignores`` switches off for ``path``."""
        ignored: set[str] = set()
        for pattern, codes in self.per_file_ignores.items():
            if path_matches(path, pattern, self.root):
                ignored |= expand_selectors(codes)
        return ignored

    def is_excluded(self, path: str) -> bool:
        return any(path_matches(path, pattern, self.root) for pattern in self.exclude)


def expand_selectors(selectors: list[str]) -> set[str]:
    codes = [rule.code for rule in all_rules()]
    chosen: set[str] = set()
    for selector in selectors:
        wanted = selector.strip().upper()
        if wanted == "ALL":
            chosen.update(codes)
            continue
        matched = {code for code in codes if code.startswith(wanted)} if wanted else set()
        if not matched:
            raise ConfigError(f"unknown rule code or prefix: {selector!r}")
        chosen |= matched
    return chosen


def path_matches(path: str, pattern: str, root: str) -> bool:
    """Like Ruff: a pattern matches the path relative to the config's directory, the absolute
    path, or any single component of it (``build`` excludes every ``build`` directory)."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        relative = absolute
    relative = relative.replace(os.sep, "/")
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(absolute, pattern):
        return True
    if fnmatch.fnmatchcase(relative, pattern + "/*"):
        return True
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(part, pattern) for part in relative.split("/"))
    return False


# --- finding and reading config files ------------------------------------------------------------


def find_config(start: str) -> str | None:
    """The nearest ``.twilio-lint.yaml`` or ``pyproject.toml`` with ``[tool.twilio-lint]``."""
    directory = Path(os.path.abspath(start))
    if not directory.is_dir():
        directory = directory.parent
    for candidate_dir in (directory, *directory.parents):
        for name in YAML_NAMES:
            if (candidate_dir / name).is_file():
                return str(candidate_dir / name)
        pyproject = candidate_dir / "pyproject.toml"
        if pyproject.is_file() and _pyproject_configures_us(pyproject):
            return str(pyproject)
    return None


def _pyproject_configures_us(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "tool.twilio-lint" in text or "tool.twilio_lint" in text


def load_config_file(path: str) -> dict[str, Any]:
    """The raw table of settings from a config file, or ConfigError naming the file."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
    if os.path.basename(path) in YAML_NAMES:
        return _load_yaml(path, raw)
    if sys.version_info >= (3, 11):  # imported here: most runs have no config file to read
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("twilio-lint")
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.twilio-lint] must be a table")
    return table


def _load_yaml(path: str, raw: bytes) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError) as exc:
        summary = " ".join(str(exc).split())
        raise ConfigError(f"{path}: invalid YAML: {summary}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of settings")
    return data


def settings_from_table(table: dict[str, Any], path: str | None) -> Settings:
    """Validate a settings table key by key; the first problem is a ConfigError."""
    where = path or "<config>"
    root = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    settings = Settings(config_path=path, root=root)
    options = all_options()
    for key, value in table.items():
        if key in LIST_KEYS:
            _check_string_list(where, key, value)
        if key == "select":
            settings.select = list(value)
        elif key == "ignore":
            settings.ignore = list(value)
        elif key == "extend-select":
            settings.extend_select = list(value)
        elif key in ("exclude", "extend-exclude"):
            settings.exclude.extend(value)
        elif key == "per-file-ignores":
            settings.per_file_ignores = _check_per_file_ignores(where, value)
        elif key in options:
            settings.options[key] = _check_option(where, key, value, options[key])
        else:
            hint = f" (did you mean {key.replace('_', '-')!r}?)" if "_" in key else ""
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
    return settings


def _check_string_list(where: str, key: str, value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: key {key!r} must be a list of strings")
    try:
        if key in ("select", "ignore", "extend-select"):
            expand_selectors(value)
    except ConfigError as exc:
        raise ConfigError(f"{where}: key {key!r}: {exc}") from None


def _check_per_file_ignores(where: str, value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: key 'per-file-ignores' must be a table of glob = [codes]")
    for pattern, codes in value.items():
        _check_string_list(where, f"per-file-ignores.{pattern}", codes)
        try:
            expand_selectors(codes)
        except ConfigError as exc:
            raise ConfigError(f"{where}: key 'per-file-ignores.{pattern}': {exc}") from None
    return {str(k): list(v) for k, v in value.items()}


#: Integer options (sizes, counts) are used as C integers: larger ones are a config error.
MAX_INTEGER = 2**62


def _check_option(where: str, key: str, value: Any, option: Option) -> Any:
    # bool is an int in Python; an option typed int must not accept true/false.
    if isinstance(value, bool) and option.type is not bool:
        raise ConfigError(f"{where}: key {key!r} must be {_type_name(option.type)}, not a boolean")
    if not isinstance(value, option.type):
        raise ConfigError(
            f"{where}: key {key!r} must be {_type_name(option.type)}, "
            f"not {type(value).__name__}"
        )
    if isinstance(value, int) and not -MAX_INTEGER <= value <= MAX_INTEGER:
        raise ConfigError(f"{where}: key {key!r} is too large ({len(str(value))} digits)")
    if option.item_type is not None and isinstance(value, list):
        if not all(isinstance(item, option.item_type) for item in value):
            raise ConfigError(
                f"{where}: key {key!r} must be a list of {_type_name(option.item_type)}"
            )
    return value


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {int: "an integer", str: "a string", list: "a list", bool: "true or false", dict: "a table"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def load_settings(paths: list[str], config_path: str | None = None) -> Settings:
    """Settings for a run over ``paths``: the given config file, or the nearest one found."""
    if config_path is None:
        start = paths[0] if paths and paths[0] != "-" else os.getcwd()
        config_path = find_config(start)
    if config_path is None:
        return Settings()
    return settings_from_table(load_config_file(config_path), config_path)
