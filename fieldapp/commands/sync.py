"""`fieldapp sync ...`: the phone's sync from the command line (sync/client.py).

    fieldapp sync --server URL [--data-dir D]             one sync run, then a summary
    fieldapp sync enrol --server URL --code CODE [--data-dir D]
    fieldapp sync status [--data-dir D]                   what is still waiting, and why
    fieldapp sync export FILE [--data-dir D]              what is still waiting, as a file for the office
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldapp.rules import DEFAULT_YEAR, load_rules

EXIT_OK, EXIT_PENDING, EXIT_STOPPED = 0, 1, 2


def register(sub) -> None:
    parser = sub.add_parser("sync", help="sync this device with the office",
                            description="Run one sync with the office (or enrol this device first).")
    _common(parser, sub=False)
    parser.add_argument("--code", help="enrol with this one-time code first")
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    parser.set_defaults(handler=_run)
    actions = parser.add_subparsers(dest="sync_command", metavar="ACTION")
    enrol = actions.add_parser("enrol", help="exchange a one-time code for this device's token")
    _common(enrol, sub=True)
    enrol.add_argument("--code", default=None)
    enrol.set_defaults(handler=_enrol)
    status = actions.add_parser("status", help="what is still waiting to be sent, and why")
    _common(status, sub=True)
    status.set_defaults(handler=_status)
    export = actions.add_parser("export", help="write what the office has not acknowledged to FILE "
                                "(carried over by cable or memory card; `fieldapp office import-phone FILE`)")
    _common(export, sub=True)
    export.add_argument("file", type=Path, metavar="FILE")
    export.set_defaults(handler=_export)


def _common(parser, *, sub: bool) -> None:
    # Sub-actions repeat the options with SUPPRESS defaults, so `sync --data-dir D enrol` and
    # `sync enrol --data-dir D` both work and neither clobbers the other.
    def default(value):
        return argparse.SUPPRESS if sub else value

    parser.add_argument("--server", default=default(None), help="the office, e.g. http://192.168.1.10:8765")
    parser.add_argument("--data-dir", type=Path, default=default(None), help="this device's data folder")
    parser.add_argument("--year", type=int, default=default(DEFAULT_YEAR), help="assessment rules year")
    parser.add_argument("--label", default=default(""), help="a name for this device at the office (enrolment)")
    parser.add_argument("--fingerprint", default=default(""),
                        help="the office certificate's fingerprint (enrolment with an https office; "
                             "printed under its QR code)")
    parser.add_argument("--invite", default=default(""),
                        help="the enrolment QR code's text (fieldapp://enrol?...): office, code and fingerprint")


def _data_dir(args) -> Path:
    if args.data_dir:
        return args.data_dir
    from fieldapp.ui.context import default_data_dir

    return default_data_dir()


def _open(args):
    from sync import phonebook

    return phonebook.open_phone(_data_dir(args), load_rules(args.year))


def _enrol(args) -> int:
    from fieldapp.ui.data import enrol_phone
    from fieldapp.text.common import SYNC_MESSAGES
    from sync.channel import SyncError

    server, code, fingerprint = args.server, args.code, getattr(args, "fingerprint", "")
    if getattr(args, "invite", ""):
        from sync.enrolqr import InviteError, parse

        try:
            invite = parse(args.invite)
        except InviteError as exc:
            print(f"error: {exc}")
            return EXIT_STOPPED
        server, code, fingerprint = invite.server_url, invite.code, invite.fingerprint
    if not server or not code:
        print("error: --server and --code (or --invite) are required to enrol")
        return EXIT_STOPPED
    with _open(args) as store:
        try:
            # As the app does: the office learns this phone's earlier actor id, new events carry the inspector's.
            info, _ = enrol_phone(store, server, code, label=args.label, fingerprint=fingerprint)
        except SyncError as exc:
            print(f"enrolment failed [{exc.code}] {SYNC_MESSAGES.get(exc.code, '')} {exc.message}".rstrip())
            return EXIT_STOPPED
    print(f"enrolled as {info['inspector']} ({', '.join(info['communities'])}), role {info['role']}, "
          f"device {info['device_id']}")
    return EXIT_OK


def _run(args) -> int:
    from fieldapp.text.common import SYNC_MESSAGES
    from sync import storage
    from sync.client import SyncClient

    if args.code or getattr(args, "invite", ""):
        code = _enrol(args)
        if code != EXIT_OK:
            return code
    data_dir = _data_dir(args)
    with _open(args) as store:
        client = SyncClient(store, data_dir / storage.PHOTO_DIR, server_url=args.server,
                            progress=None if args.quiet else _Printer())
        result = client.run()
    print(("sync done: " if result.stopped is None else f"sync stopped [{result.stopped}]: ") + result.summary())
    for issue in result.errors + result.warnings:
        where = issue.event_id or issue.sha256 or ""
        print(f"  [{issue.code}] {SYNC_MESSAGES.get(issue.code, '')} {issue.detail} {where}".rstrip())
    if result.stopped:
        return EXIT_STOPPED
    return EXIT_OK if result.ok else EXIT_PENDING


def _status(args) -> int:
    from sync.phonebook import PhoneBook

    with _open(args) as store:
        book = PhoneBook(store)
        creds = book.credentials()
        events, photos = book.pending_counts()
        print(f"enrolled: {creds['inspector'] or 'no'}  server: {creds['server_url'] or '-'}  "
              f"device: {creds['device_id'] or '-'}" + (f"  role: {creds['role']}" if creds['token'] else ""))
        print(f"pending: {events} events, {photos} photos; last sync: {store.get_meta('sync.last_sync_at') or 'never'}")
        for row in book.pending_errors():
            print(f"  {row['event_id']} [{row['code']}] {row['detail']}")
    return EXIT_OK


def _export(args) -> int:
    from fieldapp.ui import strings
    from sync import storage
    from fieldapp.durable import write_file
    from fieldapp.text import fmt
    from sync.outbox import OutboxError, export_outbox

    with _open(args) as store:
        try:
            data, exported = export_outbox(store, _data_dir(args) / storage.PHOTO_DIR)
        except OutboxError as exc:
            print(fmt.outbox_error(exc.code))
            return EXIT_STOPPED
    write_file(args.file, data)  # a half-written file on a memory card must never look whole
    print(strings.OUTBOX_EXPORTED.format(events=exported.events, photos=exported.photos, file=args.file))
    if exported.photos_missing:
        print(strings.OUTBOX_EXPORTED_MISSING.format(n=len(exported.photos_missing)))
    return EXIT_OK


class _Printer:
    """Progress on one line per phase (photos every 10 %)."""

    def __init__(self):
        self.phase = None
        self.step = -1

    def __call__(self, progress) -> None:
        if progress.phase != self.phase:
            self.phase, self.step = progress.phase, -1
            print(f"… {progress.phase}", file=sys.stderr, flush=True)
        if progress.phase == "photos" and progress.photos_total:
            step = progress.photos_done * 10 // progress.photos_total
            if step != self.step:
                self.step = step
                print(f"  photos {progress.photos_done}/{progress.photos_total}, "
                      f"{progress.bytes_done / 1e6:.1f}/{progress.bytes_total / 1e6:.1f} MB",
                      file=sys.stderr, flush=True)
        if progress.phase == "download" and progress.downloads_total:
            step = progress.downloads_done * 10 // progress.downloads_total
            if step != self.step:
                self.step = step
                print(f"  photos downloaded {progress.downloads_done}/{progress.downloads_total}",
                      file=sys.stderr, flush=True)
