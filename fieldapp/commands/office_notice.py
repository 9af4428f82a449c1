"""`fieldapp office notice`: a community's 督办通知单 as a PDF or an .xlsx file.

    fieldapp office notice --community C1 [--out FILE] [--format pdf|xlsx]

Without --out the file goes to the current folder, named like the dashboard's download
(督办通知单-第一社区-2022-06-01.pdf). Without --format the --out suffix decides, else PDF.
``FIELDAPP_NOW`` (an ISO time with offset) freezes the date, as for `office serve`.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from fieldapp.rules import DEFAULT_YEAR
from fieldapp.office import words as S

ENV_NOW = "FIELDAPP_NOW"
FORMATS = ("pdf", "xlsx")


def add_office_notice_command(actions) -> None:
    notice = actions.add_parser(
        "notice", help="a community's 督办通知单 (overdue and nearly due cases) as PDF or .xlsx",
        description="Write the 督办通知单 of one community: its open cases that are overdue or due within "
        "the rules' due_soon_days, each with its before photo, place, deadline and days left or overdue.",
    )  # fmt: skip
    notice.add_argument("--community", required=True, metavar="CODE", help="community code, e.g. C1")
    notice.add_argument("--out", type=Path, default=None, metavar="FILE",
                        help="where to write it (default: the current folder, named by community and date)")
    notice.add_argument("--format", choices=FORMATS, default=None, help="pdf or xlsx (default: --out's suffix, else pdf)")
    notice.add_argument("--data-dir", type=Path, default=None,
                        help="office data folder (default $FIELDAPP_OFFICE_DIR or ~/.fieldapp/office)")
    notice.add_argument("--year", type=int, default=DEFAULT_YEAR, help="assessment rules year")
    notice.set_defaults(handler=run_notice)


def now_from_env() -> datetime:
    value = os.environ.get(ENV_NOW)
    if value:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            return moment
    return datetime.now(timezone.utc)


def run_notice(args, *, now: datetime | None = None, out=None) -> int:
    from fieldapp.commands.office_dir import default_office_dir
    from fieldapp.commands.office_records import _rules, open_office_store
    from fieldapp.office import notice as notices
    from sync.storage import office_photo_dir

    out = out or sys.stdout
    rules = _rules(args.year, out)
    if rules is None:
        return 2
    if args.community not in {c.code for c in rules.communities}:
        codes = S.SEPARATOR.join(f"{c.code} {c.name}" for c in rules.communities)
        print(S.CLI_NOTICE_NO_COMMUNITY.format(code=args.community, codes=codes), file=out)
        return 2
    fmt = args.format or (args.out.suffix.lower().lstrip(".") if args.out else "") or "pdf"
    if fmt not in FORMATS:
        print(S.CLI_NOTICE_BAD_FORMAT.format(suffix=fmt), file=out)
        return 2
    data_dir = args.data_dir or default_office_dir()
    with open_office_store(data_dir, rules) as store:
        notice = notices.gather(store, rules, args.community, now or now_from_env())
    photos = office_photo_dir(data_dir)
    if fmt == "pdf":
        from fieldapp.office.notice_pdf import notice_pdf

        data = notice_pdf(notice, photos)
    else:
        from fieldapp.office.notice_xlsx import notice_xlsx

        data = notice_xlsx(notice, photos)
    path = args.out or Path(notices.file_name(notice, fmt))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(S.CLI_NOTICE_WRITTEN.format(path=path, community=notice.community, summary=notice.summary), file=out)
    return 0
