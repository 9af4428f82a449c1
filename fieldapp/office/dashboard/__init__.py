"""The office dashboard (Flet, web): served by `fieldapp office serve` at / beside the sync API.

    server.py    create_office_app / mount_dashboard / serve: one FastAPI app, one port
    desk.py      Desk: sessions, role-checked writes, reads, download tickets (one per process)
    live.py      LiveBoard: the live and year-end Scoreboards, refreshed event by event
    routes.py    /reports/{year}.xlsx and /templates/{kind}.xlsx (ticketed downloads)
    shell.py     the Flet main: login gate, navigation rail, top bar
    context.py   DashContext: what each screen gets
    login.py     登录
    ranking.py   排名 (with charts.py)
    community.py 社区详情
    cases.py     案件 (with case_view.py, the case dialog, and queries.py)
    entry.py     录入 (forms) and imports_view.py (Excel import)
    fund.py      奖惩基金
    widgets.py   desktop building blocks

Accounts: fieldapp/office/users.py; `fieldapp office user ...` (fieldapp/commands/office_users.py).
"""
