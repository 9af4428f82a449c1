"""Who the office's documents come from: its name, taken from the rules file's title.

The rules name the office only inside their title ("环北办事处2022年度“整脏治乱”目标考核方案"):
`office_name` takes the part up to and including the first 办事处 / 街道办事处 / 街道 / 管委会,
else the part before the year, else the whole title. (An `office_name` key in the rules
file would say it outright; the rules parser is the domain's, fieldapp/domain/rules.py.)
"""

from __future__ import annotations

import re

from fieldapp.domain.rules import Rules

_OFFICE = re.compile(r"^\s*(.+?(?:街道办事处|办事处|街道|管委会|管理委员会))")
_YEAR = re.compile(r"\d{4}\s*年")


def office_name(rules: Rules) -> str:
    title = rules.title.strip()
    named = getattr(rules, "office_name", None)  # if the rules file ever says it outright
    if isinstance(named, str) and named.strip():
        return named.strip()
    m = _OFFICE.match(title)
    if m:
        return m.group(1).strip()
    before_year = _YEAR.split(title, maxsplit=1)[0].strip()
    return before_year or title
