"""`fieldapp office ...`: run the office sync server, enrol and revoke phones (sync/).

The record actions (import, template, score) come from fieldapp/commands/office_records.py.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from fieldapp.domain.events import DEVICE_ROLES, INSPECTOR
from fieldapp.commands.office_dir import ENV_OFFICE_DIR, default_office_dir
from fieldapp.rules import DEFAULT_YEAR, load_rules



def register(sub) -> None:
    office = sub.add_parser("office", help="the office: sync server, phones, records, scores")
    actions = office.add_subparsers(dest="office_command", metavar="ACTION", required=True)

    def action(name: str, help: str, handler):
        parser = actions.add_parser(name, help=help, description=help)
        parser.add_argument("--data-dir", type=Path, default=None,
                            help=f"office data folder (default ${ENV_OFFICE_DIR} or ~/.fieldapp/office)")
        parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="assessment rules year")
        parser.set_defaults(handler=handler)
        return parser

    serve = action("serve", "run the sync API (/api/v1) and the office dashboard (/) until interrupted", _serve)
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to bind (default 127.0.0.1; give the office PC's LAN address for phones)")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.add_argument("--no-dashboard", action="store_true", help="serve the sync API only")
    serve.add_argument("--cert", type=Path, default=None,
                       help="the office's own TLS certificate (PEM, chain leaf first; phones pin its last "
                            "certificate); default: one made once by the office's own CA in <office dir>/tls")
    serve.add_argument("--key", type=Path, default=None, help="the private key of --cert (PEM)")
    serve.add_argument("--insecure-http", action="store_true",
                       help="serve plain HTTP, without TLS: for tests on one machine only (everything in clear)")
    serve.add_argument("--photo-grace-days", type=float, default=7.0,
                       help="remove uploaded photos that no record names after this many days (default 7)")
    serve.add_argument("--photo-quota-mb", type=float, default=512.0,
                       help="per phone: at most this many MB of uploaded photos that no record names yet")
    serve.set_defaults(year=None)  # the dashboard's first year: the current one (see _serving_rules)
    serve.add_argument("--demo", action="store_true",
                       help="fill an EMPTY office folder with a sample half-year of 2022 first (one with data is left alone)")

    enrol = action("enrol", "make a one-time enrolment code for an inspector's or community staff's phone",
                   _enrol)
    enrol.add_argument("name", metavar="NAME", help="the person's id (the actor on their events)")
    enrol.add_argument("--communities", required=True, help="comma-separated community codes, e.g. C1,C2")
    enrol.add_argument("--role", default=INSPECTOR,
                       help=f"what the phone is enrolled as: {' or '.join(DEVICE_ROLES)} (default {INSPECTOR}); "
                            "community staff report rectifications and ask for exemption")
    enrol.add_argument("--hours", type=float, default=24, help="the code expires after this many hours")
    enrol.add_argument("--url", default=None,
                       help="the office address phones use (default: the one `office serve` last answered on)")
    enrol.add_argument("--no-qr", action="store_true", help="print the code and text only, without the QR code")

    devices = action("devices", "list enrolled phones", _devices)
    devices.add_argument("--json", action="store_true", help="one JSON object per line")

    revoke = action("revoke", "revoke a phone: its next request is refused", _revoke)
    revoke.add_argument("device", metavar="DEVICE", help="device id, as `devices` lists it")

    action("conflicts", "events a phone sent with an id the office holds with other content", _conflicts)

    receive = action("import-phone", "take a phone's outbox file (fieldapp sync export / the app's 导出到文件) "
                     "as if it had synced", _import_phone)
    receive.add_argument("files", type=Path, nargs="+", metavar="FILE")

    backup = action("backup", "copy the office database consistently and its photos incrementally into a "
                    "folder (safe while serving; the folder holds the office's CA key: keep it safe)", _backup)
    backup.add_argument("dest", type=Path, metavar="DIR")

    restore = action("restore", "replace the office database by a backup folder's and put back its photos "
                     "(server stopped); phones then resend what it lacks", _restore)
    restore.add_argument("backup", type=Path, metavar="DIR")

    try:  # the office's records (import, template, score) are another module's actions
        from fieldapp.commands.office_records import add_office_record_commands
    except ModuleNotFoundError:
        return
    add_office_record_commands(actions)
    from fieldapp.commands.office_users import add_office_user_commands  # `office user add/list/disable`

    add_office_user_commands(actions)
    from fieldapp.commands.office_notice import add_office_notice_command  # `office notice` (督办通知单)

    add_office_notice_command(actions)
    from fieldapp.commands.office_rules import add_office_rules_command  # `office rules new/list/check`

    add_office_rules_command(actions, default_office_dir)
    from fieldapp.commands.office_bulletin import add_office_bulletin_commands  # `office bulletin`, `export cases`

    add_office_bulletin_commands(actions)
    from fieldapp.commands.office_maps import add_office_maps_commands  # `office tiles`, `office boundaries`

    add_office_maps_commands(actions, default_office_dir)


def _dir(args) -> Path:
    return args.data_dir or default_office_dir()


def _serve(args) -> int:
    from fieldapp.office.dashboard.server import serve  # the sync API with the dashboard mounted at /

    data_dir = _dir(args)
    rules = _serving_rules(data_dir, args.year)
    if rules is None:
        return 2
    if args.demo:
        from fieldapp.office.dashboard.sample import fill_sample_office_if_empty

        if fill_sample_office_if_empty(data_dir, load_rules(DEFAULT_YEAR, data_dir)):
            print(f"fieldapp office: filled {data_dir} with sample records (2022, as of 1 June)", flush=True)
    from sync import tls as T
    from sync.protocol import Limits

    cert = None
    if not args.insecure_http:
        try:
            cert = T.office_certificate(data_dir, [args.host], cert_file=args.cert, key_file=args.key)
        except (OSError, ValueError) as exc:
            print(f"error: TLS certificate: {exc}", flush=True)
            return 2
    elif args.cert or args.key:
        print("error: --insecure-http serves without a certificate: drop --cert/--key", flush=True)
        return 2
    url = _serving_url(args.host, args.port, cert is not None)
    T.remember_serving(data_dir, url, cert)
    print(f"fieldapp office: {data_dir} on {url}/api/v1"
          + ("" if args.no_dashboard else f", dashboard {url}/"), flush=True)
    if cert is None:
        print("fieldapp office: WARNING plain HTTP (--insecure-http): tokens, photos and passwords cross "
              "the network in clear", flush=True)
    else:
        print(f"fieldapp office: TLS certificate fingerprint (SHA-256) {cert.fingerprint}", flush=True)
    serve(data_dir, rules, host=args.host, port=args.port, log_level=args.log_level,
          dashboard=not args.no_dashboard, tls=cert, photo_grace_days=args.photo_grace_days,
          limits=Limits(max_unnamed_bytes=max(1, int(args.photo_quota_mb * 1024 * 1024))))
    return 0


def _serving_url(host: str, port: int, secure: bool) -> str:
    """The address phones and browsers use: the LAN address when bound to all of them."""
    from sync.tls import lan_address

    if host in ("0.0.0.0", "::", ""):
        host = lan_address()
    return f"{'https' if secure else 'http'}://{host}:{port}"


def _serving_rules(data_dir: Path, year: int | None):
    """The year the dashboard opens on: `--year`, else the current year if the office has its
    rules, else the latest year before it that has (the dashboard then says the current year has
    none). Every rules file is checked first: a broken one stops the office, naming the field."""
    from fieldapp.domain.rules import RulesError
    from fieldapp.office.dashboard.server import domain_clock
    from fieldapp.rules import RuleBook
    from fieldapp.office import words as S

    try:
        book = RuleBook.load(data_dir)
        return book.for_year(year) if year else book.fallback(domain_clock()())
    except RulesError as exc:
        print(S.CLI_NO_RULES.format(year=year or "", detail=exc), flush=True)
        return None


def _import_phone(args) -> int:
    from fieldapp.text import fmt
    from sync import storage
    from sync.outbox import OutboxError, import_outbox

    failed = 0
    with storage.open_office(_dir(args), load_rules(args.year)) as store:
        for path in args.files:
            try:
                result = import_outbox(_dir(args), store, path)
            except (OutboxError, OSError) as exc:
                failed += 1
                code = exc.code if isinstance(exc, OutboxError) else "not_outbox"
                print(f"{path.name}: {fmt.outbox_error(code)}")
                continue
            print("\n".join(fmt.outbox_imported_lines(result, path.name)))
    return 1 if failed else 0


def _enrol(args) -> int:
    from datetime import timedelta

    from sync import auth, storage

    communities = [c.strip() for c in args.communities.split(",") if c.strip()]
    if args.role not in DEVICE_ROLES:  # checked before the office folder is opened (and made)
        print(f"error: unknown role {args.role!r}; a phone is enrolled as one of: {', '.join(DEVICE_ROLES)}")
        return 2
    with storage.open_office(_dir(args), load_rules(args.year)) as store:
        try:
            code, expires = auth.create_code(store, args.name, communities, role=args.role,
                                             ttl=timedelta(hours=args.hours))
        except ValueError as exc:
            print(f"error: {exc}")
            return 2
    from sync import enrolqr, tls as T

    serving = T.serving(_dir(args))  # what `office serve` last answered on, and its certificate's pin
    url = (args.url or serving.get("url") or "").rstrip("/")
    print(f"enrolment code for {args.name} as {args.role} ({', '.join(communities)}): {code}")
    print(f"single use; expires {expires.isoformat(timespec='minutes')}")
    if not url:
        print("(no QR code: run `fieldapp office serve` once, or give --url)")
        return 0
    fingerprint = serving.get("fingerprint") or "" if url.startswith("https://") else ""
    text = enrolqr.payload(url, code, fingerprint)
    if not args.no_qr:
        print(enrolqr.terminal_qr(text), end="")
    print(f"office {url}" + (f"   certificate fingerprint {T.short_fingerprint(fingerprint)}" if fingerprint else ""))
    print(text)
    return 0


def _devices(args) -> int:
    from dataclasses import asdict

    from sync import auth, storage

    with storage.open_office(_dir(args), load_rules(args.year)) as store:
        rows = auth.devices(store)
    for d in rows:
        if args.json:
            print(json.dumps(asdict(d), ensure_ascii=False))
        else:
            state = f"revoked {d.revoked_at[:16]}" if d.revoked_at else "active"
            seen = d.last_seen_at[:16] if d.last_seen_at else "never"
            print(f"{d.device_id}  {d.inspector:<16} {d.role:<10} {','.join(d.communities):<12} {d.label:<16} "
                  f"enrolled {d.enrolled_at[:16]}  last seen {seen}  {state}")
    if not rows and not args.json:
        print("no devices enrolled")
    return 0


def _revoke(args) -> int:
    from sync import auth, storage

    with storage.open_office(_dir(args), load_rules(args.year)) as store:
        if auth.revoke(store, args.device):
            print(f"revoked {args.device}")
            return 0
        known = auth.get_device(store, args.device)
    print(f"{args.device}: {'already revoked' if known else 'no such device'}")
    return 1


def _conflicts(args) -> int:
    from sync import storage

    with storage.open_office(_dir(args), load_rules(args.year)) as store:
        rows = storage.conflicts(store)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    return 0


def _backup(args) -> int:
    from sync.backup import backup

    try:
        done = backup(_dir(args), load_rules(args.year), args.dest)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    print(f"backed up to {args.dest}: office.db (up to seq {done.max_seq}), {done.photos_copied} new photos "
          f"({done.bytes_copied / 1e6:.1f} MB) of {done.photos_total}; the folder holds the office's CA key: "
          "keep it as safe as the office PC")
    return 0


def _restore(args) -> int:
    from sync.backup import restore

    if not args.backup.exists():
        print(f"error: {args.backup} does not exist")
        return 2
    try:
        server_id, photos = restore(_dir(args), load_rules(args.year), args.backup)
    except (OSError, ValueError, sqlite3.DatabaseError) as exc:
        print(f"error: {args.backup}: {exc}")
        return 2
    print(f"restored {args.backup} ({photos} photos put back); new server id {server_id}: "
          "phones will resend what it lacks")
    return 0
