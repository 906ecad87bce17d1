"""Configuration: ``[tool.twilio-lint]`` in ``pyproject.toml`` or ``.twilio-lint.yaml``.

Found by walking up from the linted paths; the first file that configures twilio-lint wins.
Command-line flags override it. Every problem is a ``ConfigError`` with one line naming the
file and the key, which the CLI turns into exit code 2.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from typing import Any

from twilio_lint import inputs
from twilio_lint.files import is_within
from twilio_lint.globs import GlobSet
from twilio_lint.registry import Option, all_options, all_rules

#: rules/general/twl001_file_not_checked.py: on unless ignored (see ``enabled_codes``).
FILE_NOT_CHECKED = "TWL001"
YAML_NAMES = (".twilio-lint.yaml", ".twilio-lint.yml")
CONFIG_NAMES = (*YAML_NAMES, "pyproject.toml")
MAX_CONFIG_BYTES = 1_000_000
#: Values a YAML config may stand for, each alias counted each time it is used (an alias bomb
#: of 1 MB would otherwise expand to gigabytes).
MAX_YAML_NODES = 100_000
LIST_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude", "extend-include")
OTHER_KEYS = ("per-file-ignores", "respect-gitignore", "baseline")
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
    # Globs of more files to lint as Python, like Ruff's extend-include (*.py, *.pyi and
    # *.ipynb notebooks always are; ``extend-exclude = ["*.ipynb"]`` turns notebooks off).
    extend_include: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    config_path: str | None = None
    root: str = field(default_factory=os.getcwd)
    respect_gitignore: bool = True
    baseline: str | None = None  # resolved against the config's folder
    _globs: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_globs"] = {}  # compiled again where needed (a worker process)
        return state

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
        ignored = expand_selectors(self.ignore)
        # Like Ruff's syntax errors, a file that could not be checked is reported whatever
        # ``select`` says: a gate must not pass on a file it never read. Ignoring it is explicit.
        if FILE_NOT_CHECKED not in ignored:
            enabled.add(FILE_NOT_CHECKED)
        return enabled - ignored

    def ignored_for(self, path: str) -> set[str]:
        """Codes that ``per-file-ignores`` switches off for ``path`` (gitwildmatch globs
        relative to the config's folder)."""
        ignored: set[str] = set()
        for codes, globs in self._per_file_globs():
            if codes - ignored and globs.matches(path):
                ignored |= codes
        return ignored

    def is_excluded(self, path: str, is_dir: bool = False) -> bool:
        """``exclude``/``extend-exclude``: gitwildmatch globs relative to the config's folder."""
        return bool(self.exclude) and self._exclude_globs().matches(path, is_dir)

    def is_excluded_in(self, directory: str, name: str, is_dir: bool = False) -> bool:
        """``is_excluded`` for the entry ``name`` of ``directory`` (absolute and normal)."""
        return bool(self.exclude) and self._exclude_globs().matches_in(directory, name, is_dir)

    def _exclude_globs(self) -> GlobSet:
        globs = self._globs.get("exclude")
        if globs is None:
            globs = self._globs["exclude"] = GlobSet(self.exclude, self.root)
        return globs

    def _per_file_globs(self) -> list[tuple[frozenset[str], GlobSet]]:
        # One compiled set per distinct list of codes: thousands of entries usually share few.
        groups = self._globs.get("per-file-ignores")
        if groups is None:
            by_codes: dict[frozenset[str], list[str]] = {}
            for pattern, codes in self.per_file_ignores.items():
                by_codes.setdefault(frozenset(expand_selectors(codes)), []).append(pattern)
            groups = self._globs["per-file-ignores"] = [
                (codes, GlobSet(patterns, self.root)) for codes, patterns in by_codes.items()
            ]
        return groups


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
            raise ConfigError(
                f"unknown rule code or prefix: {selector!r}{_did_you_mean(wanted, codes)}"
            )
        chosen |= matched
    return chosen


# --- finding and reading config files ------------------------------------------------------------


def find_config(start: str) -> str | None:
    """The nearest configuration file of ``start`` (a file or a folder), walking up."""
    directory = os.path.abspath(start)
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    while True:
        found = config_in_folder(directory)
        parent = os.path.dirname(directory)
        if found is not None or parent == directory:
            return found
        directory = parent


def config_in_folder(folder: str, listed: frozenset[str] | None = None) -> str | None:
    """The configuration file of ``folder``, if any. Several in one folder: the first of
    ``.twilio-lint.yaml``, ``.twilio-lint.yml``, ``pyproject.toml`` (with a
    ``[tool.twilio-lint]`` table) wins and the others are not read, as in Ruff.
    ``listed``: which of ``CONFIG_NAMES`` a listing of the folder showed (None: unknown)."""
    names = CONFIG_NAMES if listed is None else [name for name in CONFIG_NAMES if name in listed]
    for name in names:
        candidate = os.path.join(folder, name)
        inputs.watch_presence(candidate)  # creating it later changes the answer (read: watched)
        if name in YAML_NAMES:
            if os.path.lexists(candidate):
                return candidate
        elif os.path.isfile(candidate) and _pyproject_configures_us(candidate):
            return candidate
    return None


def _pyproject_configures_us(path: str) -> bool:
    """Whether a pyproject.toml names our table: read as a config file is (a regular file,
    the first MAX_CONFIG_BYTES; a bigger one that names it is then refused by the loader)."""
    inputs.watch(path)  # read for its table: an edit may add ours
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return False
            head = handle.read(MAX_CONFIG_BYTES + 1)
        except OSError:
            return False
    return b"tool.twilio-lint" in head or b"tool.twilio_lint" in head


def load_config_file(path: str) -> dict[str, Any]:
    """The raw table of settings from a config file, or ConfigError naming the file."""
    raw = _read_regular_file(path)
    if os.path.basename(path) in YAML_NAMES:
        return _load_yaml(path, raw)
    if sys.version_info >= (3, 11):  # imported here: most runs have no config file to read
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {_one_line(exc)}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        return {}
    if "twilio_lint" in tool:
        raise ConfigError(f"{path}: the table is [tool.twilio-lint] (with a hyphen), "
                          "not [tool.twilio_lint]")
    table = tool.get("twilio-lint")
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.twilio-lint] must be a table")
    return table


def _read_regular_file(path: str) -> bytes:
    """The bytes of a config file: a regular file (a FIFO would hang the run, a device never
    ends) of at most MAX_CONFIG_BYTES."""
    inputs.watch(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{path}: cannot read config file: not a regular file")
        if info.st_size > MAX_CONFIG_BYTES:
            raise ConfigError(
                f"{path}: config file is {info.st_size:,} bytes, over the "
                f"{MAX_CONFIG_BYTES:,}-byte limit"
            )
        try:
            return handle.read(MAX_CONFIG_BYTES + 1)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None


def _load_yaml(path: str, raw: bytes) -> dict[str, Any]:
    try:
        data = _safe_load_within_budget(raw.decode("utf-8"))
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise ConfigError(f"{path}: invalid YAML: {_one_line(exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of settings")
    return data


def _yaml_problem(exc: Exception) -> str:
    """What is wrong and where, never the quoted line PyYAML adds: the file may not be a
    config at all (a linked credentials file), and errors reach CI logs."""
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if problem is None:
        return type(exc).__name__
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{problem}{where}"


def _safe_load_within_budget(text: str) -> Any:
    """``yaml.safe_load``, refusing a document whose aliases expand to more than
    MAX_YAML_NODES values: PyYAML shares an aliased value, but everything that walks the
    settings (validation, the cache's config fingerprint) would expand it."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > MAX_YAML_NODES:
            raise ValueError(
                f"aliases expand to more than {MAX_YAML_NODES:,} values (an alias bomb?)"
            )
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise ValueError(_yaml_problem(exc)) from None
    finally:
        loader.dispose()


def _expanded_size(node: Any, sizes: dict[int, int]) -> int:
    """How many values ``node`` stands for once every alias is expanded (capped)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    sizes[key] = MAX_YAML_NODES + 1  # an alias inside itself expands forever
    size = 1
    if isinstance(node.value, list):
        for item in node.value:
            for child in item if isinstance(item, tuple) else (item,):
                size += _expanded_size(child, sizes)
                if size > MAX_YAML_NODES:
                    break
    sizes[key] = min(size, MAX_YAML_NODES + 1)
    return sizes[key]


def _inside_root(where: str, root: str, value: str) -> str:
    """The baseline a config names, inside the config's folder: a repository's config must not
    have the run read ``/home/…`` or ``../../…``."""
    path = os.path.join(root, value)
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if real == real_root or not is_within(real, real_root):
        raise ConfigError(f"{where}: key 'baseline' must name a file inside {root or '.'}")
    return path


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


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
        elif key == "extend-include":
            settings.extend_include = list(value)
        elif key == "per-file-ignores":
            settings.per_file_ignores = _check_per_file_ignores(where, value)
        elif key == "baseline":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{where}: key 'baseline' must be a file name")
            settings.baseline = _inside_root(where, root, value)
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: key 'respect-gitignore' must be true or false")
            settings.respect_gitignore = value
        elif key in options:
            settings.options[key] = _check_option(where, key, value, options[key])
        else:
            known = [*LIST_KEYS, *OTHER_KEYS, *options]
            hint = _did_you_mean(str(key).replace("_", "-"), known)
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
    return settings


def _did_you_mean(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
    if option.bounds is not None and not option.bounds[0] <= value <= option.bounds[1]:
        low, high = option.bounds
        raise ConfigError(f"{where}: key {key!r} must be between {low:,} and {high:,}, not {value:,}")
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
    """Settings for one file (the first of ``paths``): the given config file, or the nearest."""
    if config_path is None:
        start = paths[0] if paths and paths[0] != "-" else os.getcwd()
        config_path = find_config(start)
    if config_path is None:
        return Settings()
    return settings_from_table(load_config_file(config_path), config_path)


@dataclass
class Overrides:
    """Command-line settings, applied on top of every configuration file's."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def apply(self, settings: Settings) -> Settings:
        if self.select is not None:
            # Like Ruff: a --select on the command line starts a new selection, so the
            # config's extend-select and ignore no longer apply.
            settings.select = list(self.select)
            settings.extend_select, settings.ignore = [], []
        settings.extend_select = [*settings.extend_select, *self.extend_select]
        settings.ignore = [*settings.ignore, *self.ignore]
        # Matched like the config's own patterns (a pattern with a "/" is anchored at the
        # config's folder; a name matches at any depth).
        settings.exclude = [*settings.exclude, *self.exclude]
        settings.options.update(self.options)
        return settings


class SettingsResolver:
    """The settings of each file, as Ruff resolves them: those of the nearest folder (the
    file's own, then its parents) holding a configuration file, with the command line's
    overrides on top. ``--config`` (``config_path``) or ``--isolated`` gives every file the
    same settings. Each configuration file is read once."""

    def __init__(
        self,
        overrides: Overrides | None = None,
        config_path: str | None = None,
        isolated: bool = False,
    ) -> None:
        self.overrides = overrides or Overrides()
        self._fixed: Settings | None = None
        if isolated:
            self._fixed = self.overrides.apply(Settings())
        elif config_path is not None:
            self._fixed = self._load(config_path)
        self._by_config: dict[str | None, Settings] = {}
        self._config_of_dir: dict[str, str | None] = {}
        self._listed: dict[str, frozenset[str]] = {}

    def listed(self, folder: str, names: set[str]) -> None:
        """The names a walk found in ``folder`` (absolute and normal): a folder listed
        without a configuration file's name needs no lookup."""
        if self._fixed is None:
            self._listed[folder] = frozenset(name for name in CONFIG_NAMES if name in names)

    @classmethod
    def fixed(cls, settings: Settings) -> SettingsResolver:
        """Every file gets ``settings`` (the API's and the tests' one-config runs)."""
        resolver = cls()
        resolver._fixed = settings
        return resolver

    def for_path(self, path: str) -> Settings:
        """The settings of the file ``path`` (a ConfigError if its config file is broken)."""
        if self._fixed is not None:
            return self._fixed
        if path == "-":
            path = os.path.join(os.getcwd(), "-")
        return self.for_directory(os.path.dirname(os.path.abspath(path)))

    def for_directory(self, directory: str) -> Settings:
        if self._fixed is not None:
            return self._fixed
        config = self.config_for_directory(directory)
        settings = self._by_config.get(config)
        if settings is None:
            settings = self._by_config[config] = (
                self._load(config) if config else self.overrides.apply(Settings())
            )
        return settings

    def config_for_directory(self, directory: str) -> str | None:
        """The nearest configuration file for files in ``directory`` (cached per folder)."""
        if directory in self._config_of_dir:
            return self._config_of_dir[directory]
        config = config_in_folder(directory, self._listed.get(directory))
        if config is None:
            parent = os.path.dirname(directory)
            config = None if parent == directory else self.config_for_directory(parent)
        self._config_of_dir[directory] = config
        return config

    def all_settings(self) -> list[Settings]:
        """Every distinct settings resolved so far."""
        return [self._fixed] if self._fixed is not None else list(self._by_config.values())

    def _load(self, config_path: str) -> Settings:
        table = load_config_file(config_path)
        return self.overrides.apply(settings_from_table(table, config_path))
