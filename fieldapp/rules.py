"""Load an assessment year's rules file from assets/rules/ (or any path)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from fieldapp.domain.rules import Rules, RulesError, parse_rules

RULES_DIR = Path(__file__).resolve().parent.parent / "assets" / "rules"
DEFAULT_YEAR = 2022


def rules_path(year: int = DEFAULT_YEAR) -> Path:
    return RULES_DIR / f"{year}.toml"


def load_rules_file(path: str | Path) -> Rules:
    """Parse a TOML rules file; a broken file raises RulesError naming the file and field."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"{path}: rules file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: not valid TOML: {exc}") from None
    try:
        return parse_rules(data)
    except RulesError as exc:
        raise RulesError(f"{path}: {exc}") from None


@lru_cache(maxsize=8)
def load_rules(year: int = DEFAULT_YEAR) -> Rules:
    return load_rules_file(rules_path(year))
