"""`fieldapp office import | template | score`: the office's records and the year's ranking.

The `office` group itself (serve, enrol, devices, revoke…) is fieldapp/commands/office.py;
it adds these actions with `add_office_record_commands(actions)`.

    fieldapp office import FILE [--dry-run] [--user NAME]     JSON Lines or an .xlsx template
    fieldapp office template DIR                               write the two .xlsx templates
    fieldapp office score --year 2022 [--as-of DATE] [--json] [--xlsx FILE]
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from fieldapp.commands.office_dir import ENV_OFFICE_DIR, default_office_dir
from fieldapp.domain.rules import RulesError
from fieldapp.rules import DEFAULT_YEAR, load_rules
from fieldapp.office import words as S

ENV_OFFICE_USER = "FIELDAPP_OFFICE_USER"


def open_office_store(data_dir: Path, rules):
    """The office Store (office.db in the data folder), with the sync tables when sync is installed."""
    try:
        from sync.storage import open_office
    except ImportError:  # pragma: no cover
        from fieldapp.store import Store

        return Store(Path(data_dir) / "office.db", rules)
    return open_office(data_dir, rules)


def _as_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def add_office_record_commands(actions) -> None:
    """Add import, template and score to the `office` group's subparsers."""

    def common(parser, year_help="assessment rules year"):
        parser.add_argument("--data-dir", type=Path, default=None,
                            help=f"office data folder (default ${ENV_OFFICE_DIR}, else the app data folder's office/)")
        parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help=year_help)  # fmt: skip

    imp = actions.add_parser(
        "import", help="import office records (JSON Lines or an .xlsx template), all or nothing",
        description="Check every record of FILE, then import all of them in one transaction - or nothing, "
        "listing each bad line/cell and why. Formats: docs/import-format.md.",
    )  # fmt: skip
    imp.add_argument("file", type=Path, metavar="FILE", help=".jsonl (one record per line) or .xlsx (a template)")
    imp.add_argument("--user", default=None,
                     help=f"who imports: events are written by office:USER (default ${ENV_OFFICE_USER} or the login name)")  # fmt: skip
    imp.add_argument("--dry-run", action="store_true", help="check only, import nothing")
    common(imp, "rules year the records are checked against")
    imp.set_defaults(handler=run_import)

    tpl = actions.add_parser("template", help="write the .xlsx import templates (superior scores; survey tallies)")
    tpl.add_argument("dir", type=Path, metavar="DIR")
    tpl.add_argument("--year", type=int, default=DEFAULT_YEAR, help="assessment year (rules and template)")
    tpl.set_defaults(handler=run_template)

    score = actions.add_parser(
        "score", help="the communities' scores and ranking for a year",
        description="Score the year from the office database. Evaluated at the end of --as-of (local time), "
        "else now, but never after the year's end.",
    )  # fmt: skip
    common(score)
    score.add_argument("--as-of", type=_as_date, default=None, metavar="DATE",
                       help="evaluation date YYYY-MM-DD (deadlines up to and including it have passed)")  # fmt: skip
    score.add_argument("--json", action="store_true", help="print the full result, every line item, as JSON")
    score.add_argument("--xlsx", type=Path, default=None, metavar="FILE", help="also write the report workbook")
    score.set_defaults(handler=run_score)


def _rules(year: int, out, data_dir: Path | None = None):
    """The rules of `year`: the office's own file (<office dir>/rules/<year>.toml) first, else the shipped one."""
    try:
        return load_rules(year, data_dir)
    except RulesError as exc:
        print(S.CLI_NO_RULES.format(year=year, detail=exc), file=out)
        return None


def _user(args) -> str:
    user = args.user or os.environ.get(ENV_OFFICE_USER) or getpass.getuser()
    return user if user.startswith("office:") else f"office:{user}"


def run_import(args, *, now: datetime | None = None, out=None) -> int:
    from fieldapp.office.imports import import_file

    out = out or sys.stdout
    rules = _rules(args.year, out, args.data_dir or default_office_dir())
    if rules is None:
        return 2
    if not args.file.is_file():
        print(S.CLI_NO_FILE.format(file=args.file), file=out)
        return 2
    with open_office_store(args.data_dir or default_office_dir(), rules) as store:
        report = import_file(store, args.file, actor=_user(args), now=now, dry_run=args.dry_run)
    print(report.summary(), file=out)
    return 0 if report.ok else 1


def run_template(args, *, out=None) -> int:
    from fieldapp.office.imports import write_templates

    out = out or sys.stdout
    rules = _rules(args.year, out)
    if rules is None:
        return 2
    for path in write_templates(args.dir, rules, args.year):
        print(path, file=out)
    return 0


def run_score(args, *, now: datetime | None = None, out=None) -> int:
    from fieldapp.domain.scoring import evaluation_instant, score_year
    from fieldapp.office.report import format_table, to_json, write_xlsx
    from fieldapp.ui.names import Names

    out = out or sys.stdout
    rules = _rules(args.year, out, args.data_dir or default_office_dir())
    if rules is None:
        return 2
    at = evaluation_instant(rules, args.as_of, now or datetime.now(timezone.utc))
    with open_office_store(args.data_dir or default_office_dir(), rules) as store:
        result = score_year(rules, store.events(), at)
        names = Names.of_office(store)  # the xlsx's 登记人 by name
    if args.json:
        print(json.dumps(to_json(result, rules), ensure_ascii=False, indent=2), file=out)
    else:
        print(format_table(result, rules), file=out)
    if args.xlsx:
        path = write_xlsx(result, rules, args.xlsx, names)
        print(S.CLI_REPORT_WRITTEN.format(path=path), file=sys.stderr if args.json else out)
    return 0
