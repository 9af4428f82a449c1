"""The rules of each assessment year: load, check, copy, and keep them per year (`RuleBook`).

Where rules files live:

- shipped with the app: ``assets/rules/<year>.toml`` (the 2022 plan: the default);
- an office's own: ``<office data dir>/rules/<year>.toml`` (``fieldapp office rules new``
  writes a copy there to edit); they win over the shipped file of the same year;
- a phone's: ``<phone data dir>/rules/<year>.toml``, the office's files received at sync
  (sync/rulesync.py), likewise winning over the shipped ones.

A file is checked when it is loaded: a broken one raises `RulesError` naming the file and
the field (its ``year`` must be the year its name says). `RuleBook.load(data_dir)` is every
year's rules of a data folder; `for_year(y)` the rules of one year (a case's registration
year), `current(now)` the rules of the clock's year or None — the screens then say plainly
that the year has no rules, and `nearest(y)` is what they fall back on meanwhile.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from fieldapp.domain.rules import Rules, RulesError, parse_rules

log = logging.getLogger(__name__)

RULES_DIR = Path(__file__).resolve().parent.parent / "assets" / "rules"
DEFAULT_YEAR = 2022
#: The folder of a data folder (office or phone) holding its own rules files.
RULES_SUBDIR = "rules"
#: The years a rules file may be for (a guard against a typo like 20226).
MIN_YEAR, MAX_YEAR = 2000, 2999
_YEAR_FILE = re.compile(r"(\d{4})\.toml")
_YEAR_LINE = re.compile(r"^(year\s*=\s*)(\d+)", re.MULTILINE)
_TITLE_LINE = re.compile(r'^(title\s*=\s*)(".*")\s*$', re.MULTILINE)


def rules_dir(data_dir: str | Path) -> Path:
    """The folder of a data folder's own rules files (``<data dir>/rules``)."""
    return Path(data_dir) / RULES_SUBDIR


def rules_path(year: int = DEFAULT_YEAR, data_dir: str | Path | None = None) -> Path:
    """The file the rules of `year` come from: the data folder's own if it has one, else the shipped one."""
    if data_dir is not None:
        own = rules_dir(data_dir) / f"{year}.toml"
        if own.is_file():
            return own
    return RULES_DIR / f"{year}.toml"


def parse_rules_text(text: str, where: str = "rules", year: int | None = None) -> Rules:
    """Parse and check the text of a rules file; `year`: the year it must be for.
    A broken text raises RulesError naming `where` and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{where}: not valid TOML: {exc}") from None
    try:
        rules = parse_rules(data)
    except RulesError as exc:
        raise RulesError(f"{where}: {exc}") from None
    if not MIN_YEAR <= rules.year <= MAX_YEAR:
        raise RulesError(f"{where}: year: expected a year {MIN_YEAR}–{MAX_YEAR}, got {rules.year}")
    if year is not None and rules.year != year:
        raise RulesError(f"{where}: year: the file is for {year} but says year = {rules.year}")
    return rules


def _year_of_name(path: Path) -> int | None:
    m = _YEAR_FILE.fullmatch(path.name)
    return int(m.group(1)) if m else None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(f"{path}: rules file not found") from None
    except UnicodeDecodeError as exc:
        raise RulesError(f"{path}: not valid TOML: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise RulesError(f"{path}: cannot be read: {exc.strerror or type(exc).__name__}") from None


def load_rules_file(path: str | Path) -> Rules:
    """Parse a TOML rules file; a broken file raises RulesError naming the file and field.
    A file named ``<year>.toml`` must say that year."""
    path = Path(path)
    return parse_rules_text(_read_text(path), str(path), _year_of_name(path))


@lru_cache(maxsize=8)
def _shipped(year: int) -> Rules:
    return load_rules_file(RULES_DIR / f"{year}.toml")


def load_rules(year: int = DEFAULT_YEAR, data_dir: str | Path | None = None) -> Rules:
    """The rules of `year`: the data folder's own file first (an office's, or what a phone
    received at sync), else the one shipped in assets/rules/. RulesError if there is none."""
    path = rules_path(year, data_dir)
    if path.parent == RULES_DIR:
        return _shipped(year)
    return load_rules_file(path)


def digest_of(texts: Mapping[int, str]) -> str:
    """One hash of a set of rules files (year and text): what the office sends in /hello."""
    h = hashlib.sha256()
    for year in sorted(texts):
        body = texts[year].encode("utf-8")
        h.update(f"{year}:{len(body)}:".encode())
        h.update(body)
    return h.hexdigest()


@dataclass(frozen=True)
class RuleBook:
    """The rules of every year a data folder knows (shipped, overlaid by its own files)."""

    by_year: Mapping[int, Rules]
    texts: Mapping[int, str]

    @classmethod
    def load(cls, data_dir: str | Path | None = None, *, strict: bool = True) -> "RuleBook":
        """Every year's rules: assets/rules/*.toml, then ``<data_dir>/rules/*.toml`` over them.
        A broken file raises RulesError (`strict`, the office: it must be fixed) or is left out
        with a log line (a phone: it goes on with what it has)."""
        files: dict[int, Path] = {}
        for folder in (RULES_DIR, rules_dir(data_dir) if data_dir is not None else None):
            if folder is None or not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                year = _year_of_name(path)
                if year is not None and path.is_file():
                    files[year] = path
        by_year: dict[int, Rules] = {}
        texts: dict[int, str] = {}
        for year, path in sorted(files.items()):
            try:
                text = _read_text(path)
                by_year[year] = parse_rules_text(text, str(path), year)
            except RulesError:
                if strict:
                    raise
                log.warning("rules file %s is broken: left out", path, exc_info=True)
                continue
            texts[year] = text
        if not by_year:
            raise RulesError(f"{RULES_DIR}: no rules file")
        return cls(by_year, texts)

    @classmethod
    def of(cls, *rules: Rules) -> "RuleBook":
        """A book of given rules (tests, tools); no file texts."""
        return cls({r.year: r for r in rules}, {})

    # --- which year ---------------------------------------------------------------

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.by_year))

    def has(self, year: int) -> bool:
        return year in self.by_year

    def for_year(self, year: int) -> Rules:
        """The rules of `year`; RulesError if there are none (`nearest` falls back)."""
        try:
            return self.by_year[year]
        except KeyError:
            raise RulesError(f"no rules for {year}") from None

    def nearest(self, year: int) -> Rules:
        """The rules of `year`, else of the latest year before it, else of the earliest one."""
        if year in self.by_year:
            return self.by_year[year]
        earlier = [y for y in self.by_year if y < year]
        return self.by_year[max(earlier) if earlier else min(self.by_year)]

    @property
    def tz(self) -> ZoneInfo:
        return self.by_year[self.years[-1]].tz

    def year_at(self, now: datetime) -> int:
        """The assessment year `now` falls in (local time)."""
        return now.astimezone(self.tz).year

    def current(self, now: datetime) -> Rules | None:
        """The rules of the year `now` is in, or None when that year has none."""
        return self.by_year.get(self.year_at(now))

    def fallback(self, now: datetime) -> Rules:
        """The current year's rules, else the nearest year's (what a phone works with meanwhile)."""
        return self.nearest(self.year_at(now))

    @property
    def digest(self) -> str:
        return digest_of(self.texts)


# --- the office's own files: new, list, check ---------------------------------------------


def copy_text(text: str, year: int, from_year: int) -> str:
    """A rules file's text made into `year`'s: its ``year`` line set, the title's year changed."""
    if not _YEAR_LINE.search(text):
        raise RulesError("year: missing")
    text = _YEAR_LINE.sub(lambda m: f"{m.group(1)}{year}", text, count=1)
    return _TITLE_LINE.sub(lambda m: m.group(1) + m.group(2).replace(str(from_year), str(year)), text, count=1)


def write_text_atomic(path: Path, text: str) -> None:
    from fieldapp.durable import write_file

    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, text.encode("utf-8"))


def new_year_file(data_dir: str | Path, year: int, from_year: int) -> Path:
    """``<data dir>/rules/<year>.toml``: a copy of `from_year`'s rules (the data folder's or the
    shipped ones) to edit. Refused if the file exists (FileExistsError), or (RulesError) if the
    year is out of range or the copy would not load."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise RulesError(f"year: expected a year {MIN_YEAR}–{MAX_YEAR}, got {year}")
    dest = rules_dir(data_dir) / f"{year}.toml"
    if dest.exists():
        raise FileExistsError(str(dest))
    source = rules_path(from_year, data_dir)
    load_rules_file(source)  # the original must be sound
    text = copy_text(_read_text(source), year, from_year)
    parse_rules_text(text, str(dest), year)
    write_text_atomic(dest, text)
    return dest


def store_received(data_dir: str | Path, texts: Mapping[int, str]) -> list[int]:
    """Keep rules files received from the office in ``<data dir>/rules`` (a phone).

    Every text is checked first: if one is broken, RulesError and nothing is written. Each
    file is then replaced atomically; a text equal to the file's is not rewritten. Returns
    the years written."""
    for year, text in texts.items():
        parse_rules_text(text, f"{year}.toml", year)
    folder = rules_dir(data_dir)
    written = []
    for year, text in sorted(texts.items()):
        path = folder / f"{year}.toml"
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except (OSError, UnicodeDecodeError):
            pass
        write_text_atomic(path, text)
        written.append(year)
    return written


def folder_stamp(data_dir: str | Path) -> tuple:
    """Changes whenever a file in ``<data dir>/rules`` is written (a rename changes the folder)."""
    try:
        st = os.stat(rules_dir(data_dir))
    except OSError:
        return ()
    return (st.st_mtime_ns, st.st_ino)


def describe(book: RuleBook, data_dir: str | Path | None) -> Iterable[tuple[int, str, Path]]:
    """(year, title, file) for every year of `book`, oldest first."""
    for year in book.years:
        yield year, book.by_year[year].title, rules_path(year, data_dir)
