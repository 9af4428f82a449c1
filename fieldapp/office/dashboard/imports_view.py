"""录入 › 导入文件: pick a file (FilePicker, bytes in the browser), import it all or nothing
(office/imports.py import_file on a temp copy, as the session's user), and show what was
wrong — cell and reason — or what was imported. Also the template downloads.

A phone's outbox file (.zip, sync/outbox.py) is taken exactly as that phone's sync would be.

Handles: ``import-pick``, ``message-import``, ``import-problems`` (the table of problems),
``template-superior``, ``template-survey``.
"""

from __future__ import annotations

import flet as ft

from fieldapp.office import users
from fieldapp.office.dashboard import widgets as w
from fieldapp.office.dashboard.context import DashContext
from fieldapp.text import fmt
from fieldapp.office import words as strings
from fieldapp.ui.components import Message
from sync.outbox import OutboxError

MAX_UPLOAD = 20 * 1024 * 1024
MAX_OUTBOX_UPLOAD = 100 * 1024 * 1024  # a week of photos; bigger ones: fieldapp office import-phone


def import_ok_text(report) -> str:
    """``上级考核.xlsx：已导入 4 个上级考核月度得分``: what was imported, by kind, in the office's words."""
    kinds: dict[str, int] = {}
    for event in report.events:
        kind = event.type if event.type in strings.DASH_IMPORT_WHAT else ""
        kinds[kind] = kinds.get(kind, 0) + 1
    parts = [strings.DASH_IMPORT_WHAT[k].format(n=n) for k, n in kinds.items() if k]
    if "" in kinds:
        parts.append(strings.DASH_IMPORT_OTHER.format(n=kinds[""]))
    text = strings.DASH_IMPORT_OK.format(file=report.file, what=strings.LIST_SEPARATOR.join(parts))
    if report.already:
        text += strings.DASH_IMPORT_ALREADY.format(n=report.already)
    return text


class ImportForm:
    def __init__(self, ctx: DashContext):
        self.ctx = ctx
        self.picker: ft.FilePicker | None = None
        self.message = Message("import")
        self.problems = ft.Container()
        self.pick = w.button(strings.DASH_CHOOSE_FILE, self._pick, icon=ft.Icons.UPLOAD_FILE, identifier="import-pick")
        self.control = w.card(
            w.subtitle(strings.DASH_ENTRY_IMPORT),
            w.small(strings.DASH_ENTRY_IMPORT_HINT),
            ft.Row([
                self.pick,
                w.button(f"{strings.DASH_EXPORT_TEMPLATE}：{strings.DASH_COL_SUPERIOR}", w.on(self._template, "superior"),
                         filled=False, icon=ft.Icons.DOWNLOAD, identifier="template-superior"),
                w.button(f"{strings.DASH_EXPORT_TEMPLATE}：{strings.DASH_COL_SATISFACTION}", w.on(self._template, "survey"),
                         filled=False, icon=ft.Icons.DOWNLOAD, identifier="template-survey"),
            ], spacing=12, wrap=True),
            self.message.control,
            self.problems,
        )  # fmt: skip

    def read_only(self) -> None:
        """A viewer may download the templates, not import (the server refuses it anyway)."""
        self.pick.content.disabled = True

    async def _pick(self, e=None) -> None:
        if self.picker is None:
            self.picker = ft.FilePicker()  # a service: kept referenced by this form
        files = await self.picker.pick_files(allowed_extensions=["xlsx", "jsonl", "zip"], with_data=True)
        if not files:
            return
        f = files[0]
        data = bytes(f.bytes or b"")
        self.problems.content = None
        outbox = f.name.lower().endswith(".zip")
        limit = MAX_OUTBOX_UPLOAD if outbox else MAX_UPLOAD
        if len(data) > limit:
            self.message.show(strings.DASH_ERROR.format(detail=f"{f.name} > {limit // 1024 // 1024} MB"), "error")
            self.ctx.page.update()
            return
        self.message.show(strings.DASH_IMPORTING, "info")
        self.ctx.page.update()
        try:
            if outbox:
                await self._outbox(f.name, data)
                return
            report = await self.ctx.desk.import_upload(self.ctx.token, f.name, data)
        except users.NotAllowed as exc:
            self.message.show(strings.DASH_REFUSED_READ_ONLY if exc.code == "read_only"
                              else strings.DASH_REFUSED_SESSION, "error")  # fmt: skip
            self.ctx.page.update()
            if exc.code != "read_only" and self.ctx.logged_out is not None:
                await self.ctx.logged_out(strings.DASH_SESSION_OVER)
            return
        self.show_report(report)
        self.ctx.page.update()

    async def _outbox(self, name: str, data: bytes) -> None:
        try:
            result = await self.ctx.desk.import_outbox_upload(self.ctx.token, data)
        except OutboxError as exc:
            self.message.show(f"{name}：{fmt.outbox_error(exc.code)}", "error")
        else:
            self.message.show("\n".join(fmt.outbox_imported_lines(result, name)),
                              "error" if result.rejected or result.conflict else "ok")
        self.ctx.page.update()

    def show_report(self, report) -> None:
        if report.problems:
            self.message.show(strings.DASH_IMPORT_ERRORS.format(file=report.file, n=len(report.problems)), "error")
            rows = [w.row([w.cell_text(p.where, bold=True, identifier=f"problem-{i}"), w.cell_text(p.message, width=820,
                                                                                                max_lines=4)])
                    for i, p in enumerate(report.problems, start=1)]  # fmt: skip
            self.problems.content = w.table([strings.DASH_IMPORT_WHERE, strings.DASH_IMPORT_WHY], rows,
                                            identifier="import-problems",
                                            row_height=(44, 88))  # fmt: skip
        else:
            self.message.show(import_ok_text(report), "ok")
            self.problems.content = None

    async def _template(self, kind: str) -> None:
        if self.ctx.token is None:
            return
        ticket = self.ctx.desk.ticket(self.ctx.token, "template")
        await self.ctx.launch(f"/templates/{kind}.xlsx?ticket={ticket}")
