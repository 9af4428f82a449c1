"""`fieldapp office bulletin` (the 通报 PDFs) and `fieldapp office export cases` (case lists).

    fieldapp office bulletin --year 2022 [--month 2022-06 | --as-of DATE] --out DIR
    fieldapp office export cases --year 2022 [--community C1] [--status S] --format xlsx|csv|geojson [--out FILE]

The bulletin writes the sub-district's PDF and one per community (office/bulletin.py) into
DIR, each file atomically as it is finished. The export writes one file (office/export.py);
without --out it goes to the current folder, named like the dashboard's download.
``FIELDAPP_NOW`` (an ISO time with offset) freezes the clock, as for `office serve`.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from fieldapp.rules import DEFAULT_YEAR
from fieldapp.office import words as S


def add_office_bulletin_commands(actions) -> None:
    def common(parser):
        parser.add_argument("--data-dir", type=Path, default=None,
                            help="office data folder (default $FIELDAPP_OFFICE_DIR or ~/.fieldapp/office)")
        parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="assessment year")

    bulletin = actions.add_parser(
        "bulletin", help="the 通报: one PDF for the sub-district and one per community, with the evidence",
        description="Write the 通报 of a year (judged at its end, or at --as-of) or of a month (--month: its "
        "superior scores and cases, the ranking as of its end): the sub-district's PDF and one per community "
        "with every deduction and bonus and its photos.",
    )  # fmt: skip
    common(bulletin)
    bulletin.add_argument("--month", default=None, metavar="YYYY-MM", help="a monthly bulletin")
    bulletin.add_argument("--as-of", default=None, metavar="DATE", help="evaluation date YYYY-MM-DD")
    bulletin.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the PDFs")
    bulletin.set_defaults(handler=run_bulletin)

    export = actions.add_parser(
        "export", help="case lists for others' systems (xlsx, CSV in UTF-8 with a BOM, GeoJSON)",
        description="One row per case of the year with its community, category, source, place, position, dates, "
        "status, deadline, on-time and photo names.",
    )  # fmt: skip
    export.add_argument("what", choices=("cases",), help="what to export")
    common(export)
    export.add_argument("--community", default=None, metavar="CODE", help="only this community's cases")
    export.add_argument("--status", default=None, metavar="STATUS",
                        help="open_all, overdue, due_today, due_soon, open, rectified, rectified_on_time, "
                             "rectified_late, voided, all (default all)")  # fmt: skip
    export.add_argument("--format", choices=("xlsx", "csv", "geojson"), default=None,
                        help="default: --out's suffix, else xlsx")
    export.add_argument("--out", type=Path, default=None, metavar="FILE")
    export.set_defaults(handler=run_export)


def _office(args, out):
    from fieldapp.commands.office_dir import default_office_dir
    from fieldapp.commands.office_records import _rules

    data_dir = args.data_dir or default_office_dir()
    return data_dir, _rules(args.year, out, data_dir)


def run_bulletin(args, *, now=None, out=None) -> int:
    from fieldapp.commands.office_notice import now_from_env
    from fieldapp.commands.office_records import open_office_store
    from fieldapp.durable import write_file
    from fieldapp.office import bulletin
    from sync.storage import office_photo_dir

    out = out or sys.stdout
    data_dir, rules = _office(args, out)
    if rules is None:
        return 2
    if args.month and args.as_of:
        print(S.CLI_BULLETIN_MONTH_AND_AS_OF, file=out)
        return 2
    now = now or now_from_env()
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        print(S.RECORD_NOT_DATE.format(field="--as-of", value=S.RECORD_VALUE.format(value=args.as_of)), file=out)
        return 2
    try:
        period = bulletin.bulletin_period(rules, month=args.month, as_of=as_of, now=now)
    except ValueError:
        print(S.CLI_BULLETIN_BAD_MONTH.format(year=rules.year, value=args.month), file=out)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    today = now.astimezone(rules.tz).date()
    with open_office_store(data_dir, rules) as store:
        names = bulletin.write_pack(store, rules, period, office_photo_dir(data_dir),
                                    lambda name, data: write_file(args.out / name, data), today=today)  # fmt: skip
    print(S.CLI_BULLETIN_WRITTEN.format(n=len(names), dir=args.out), file=out)
    for name in names:
        print(f"  {name}", file=out)
    return 0


def run_export(args, *, now=None, out=None) -> int:
    from fieldapp.commands.office_notice import now_from_env
    from fieldapp.commands.office_records import open_office_store
    from fieldapp.durable import write_file
    from fieldapp.office import export

    out = out or sys.stdout
    data_dir, rules = _office(args, out)
    if rules is None:
        return 2
    if args.community is not None and args.community not in {c.code for c in rules.communities}:
        codes = S.SEPARATOR.join(f"{c.code} {c.name}" for c in rules.communities)
        print(S.CLI_NOTICE_NO_COMMUNITY.format(code=args.community, codes=codes), file=out)
        return 2
    if args.status is not None and args.status not in export.STATUSES:
        print(S.CLI_EXPORT_BAD_STATUS.format(value=args.status, choices=", ".join(export.STATUSES)), file=out)
        return 2
    fmt = args.format or (args.out.suffix.lower().lstrip(".") if args.out else "") or "xlsx"
    if fmt == "json":
        fmt = "geojson"
    if fmt not in export.FORMATS:
        print(S.CLI_EXPORT_BAD_FORMAT.format(suffix=fmt), file=out)
        return 2
    with open_office_store(data_dir, rules) as store:
        data, n = export.export_cases(store, rules, now or now_from_env(), fmt, year=rules.year,
                                      community=args.community, status=args.status)  # fmt: skip
    path = args.out or Path(export.file_name(rules, fmt, community=args.community, status=args.status))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, data)
    print(S.CLI_EXPORT_WRITTEN.format(n=n, path=path), file=out)
    return 0
