"""`fieldapp office rules new | list | check`: the office's rules for each assessment year.

    fieldapp office rules new --year 2023 --from 2022 [--data-dir D]   a copy to edit: <D>/rules/2023.toml
    fieldapp office rules list [--data-dir D]                          every year the office has rules for
    fieldapp office rules check FILE                                   is FILE a sound rules file?

The office's own files (``<office dir>/rules/<year>.toml``) win over the shipped ones
(assets/rules/); phones receive them at their next sync (docs/sync.md, "Rules").
"""

from __future__ import annotations

import sys
from pathlib import Path

from fieldapp.domain.rules import RulesError
from fieldapp.rules import DEFAULT_YEAR, RuleBook, describe, load_rules_file, new_year_file, rules_dir
from fieldapp.office import words as S


def add_office_rules_command(actions, office_dir) -> None:
    """Add `rules` (new, list, check) to the `office` group's subparsers; `office_dir()` is the default folder."""
    rules = actions.add_parser("rules", help="the rules of each assessment year: new, list, check",
                               description="The office's rules files, one per assessment year.")
    sub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)

    def with_dir(parser):
        parser.add_argument("--data-dir", type=Path, default=None,
                            help="office data folder (default $FIELDAPP_OFFICE_DIR or ~/.fieldapp/office)")
        return parser

    new = with_dir(sub.add_parser("new", help="write a copy of a year's rules for another year, to edit"))
    new.add_argument("--year", type=int, required=True, help="the new year")
    new.add_argument("--from", dest="from_year", type=int, default=DEFAULT_YEAR,
                     help=f"the year to copy (default {DEFAULT_YEAR})")
    new.set_defaults(handler=lambda args: run_new(args, office_dir))

    ls = with_dir(sub.add_parser("list", help="the years with rules, and where each file is"))
    ls.set_defaults(handler=lambda args: run_list(args, office_dir))

    check = sub.add_parser("check", help="check a rules file; a broken one is refused naming the field")
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(handler=run_check)


def run_new(args, office_dir, out=None) -> int:
    out = out or sys.stdout
    data_dir = args.data_dir or office_dir()
    try:
        path = new_year_file(data_dir, args.year, args.from_year)
    except FileExistsError as exc:
        print(S.CLI_RULES_NEW_EXISTS.format(year=args.year, path=exc), file=out)
        return 2
    except RulesError as exc:
        print(S.CLI_RULES_NEW_REFUSED.format(year=args.year, detail=exc), file=out)
        return 2
    print(S.CLI_RULES_NEW_WRITTEN.format(year=args.year, source=args.from_year, path=path), file=out)
    return 0


def run_list(args, office_dir, out=None) -> int:
    out = out or sys.stdout
    data_dir = args.data_dir or office_dir()
    try:
        book = RuleBook.load(data_dir)
    except RulesError as exc:
        print(S.CLI_RULES_BROKEN.format(detail=exc), file=out)
        return 2
    own = rules_dir(data_dir)
    for year, title, path in describe(book, data_dir):
        where = S.CLI_RULES_OWN if path.parent == own else S.CLI_RULES_SHIPPED
        print(f"{year}\t{title}\t{where}\t{path}", file=out)
    return 0


def run_check(args, out=None) -> int:
    out = out or sys.stdout
    try:
        rules = load_rules_file(args.file)
    except RulesError as exc:
        print(S.CLI_RULES_BROKEN.format(detail=exc), file=out)
        return 2
    print(S.CLI_RULES_OK.format(file=args.file, year=rules.year, title=rules.title,
                                communities=len(rules.communities), categories=len(rules.categories)), file=out)
    return 0
