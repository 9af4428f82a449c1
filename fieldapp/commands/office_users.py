"""`fieldapp office user add | list | disable | enable | passwd`: the dashboard's staff accounts.

    fieldapp office user add wang --role admin            # asks for the password twice
    echo "$PW" | fieldapp office user add li --role viewer --password-stdin
    fieldapp office user list
    fieldapp office user disable li                        # ends li's open sessions too

Roles: admin and staff may write (type in scores, import, confirm, verify…); viewer
may only look and export. Accounts live in office.db (fieldapp/office/users.py).
Passwords are never echoed, logged or passed as arguments (a command line is visible
to every user of the PC): they come from the terminal or from standard input.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from fieldapp.rules import DEFAULT_YEAR, load_rules


def add_office_user_commands(actions) -> None:
    """Add the `user` action (with its own sub-actions) to the `office` group's subparsers."""
    user = actions.add_parser("user", help="dashboard accounts: add, list, disable, enable, passwd",
                              description="Staff accounts of the office dashboard (served by `office serve` at /).")
    sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    def action(name: str, help: str, handler):
        parser = sub.add_parser(name, help=help, description=help)
        parser.add_argument("--data-dir", type=Path, default=None,
                            help="office data folder (default $FIELDAPP_OFFICE_DIR or ~/.fieldapp/office)")
        parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help=argparse.SUPPRESS)
        parser.set_defaults(handler=handler)
        return parser

    add = action("add", "add an account (asks for its password)", run_add)
    add.add_argument("name", metavar="NAME", help="login name: a-z 0-9 . _ - (events are by office:NAME)")
    add.add_argument("--role", required=True, choices=["admin", "staff", "viewer"],
                     help="admin/staff may write; viewer may only look and export")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    action("list", "list the accounts", run_list)

    disable = action("disable", "disable an account and end its sessions", run_disable)
    disable.add_argument("name", metavar="NAME")

    enable = action("enable", "enable a disabled account again", run_enable)
    enable.add_argument("name", metavar="NAME")

    passwd = action("passwd", "set a new password (ends the account's sessions)", run_passwd)
    passwd.add_argument("name", metavar="NAME")
    passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")


def _store(args):
    from fieldapp.commands.office_dir import default_office_dir
    from fieldapp.commands.office_records import open_office_store
    from fieldapp.office import users

    store = open_office_store(args.data_dir or default_office_dir(), load_rules(args.year))
    users.ensure_schema(store)
    return store


def read_password(from_stdin: bool, *, stdin=None, prompt=None) -> str:
    """One line of standard input, or typed twice at the terminal (never echoed)."""
    if from_stdin:
        line = (stdin or sys.stdin).readline()
        return line.rstrip("\r\n")
    prompt = prompt or getpass.getpass
    first = prompt("password: ")
    if prompt("again: ") != first:
        raise ValueError("the passwords differ")
    return first


def run_add(args, *, stdin=None, prompt=None, out=None) -> int:
    from fieldapp.office import users

    out = out or sys.stdout
    try:
        password = read_password(args.password_stdin, stdin=stdin, prompt=prompt)
        with _store(args) as store:
            user = users.add_user(store, args.name, args.role, password)
    except (users.UserError, ValueError) as exc:
        print(f"error: {exc}", file=out)
        return 2
    print(f"added {user.username} ({user.role})", file=out)
    return 0


def run_list(args, *, out=None) -> int:
    from fieldapp.office import users

    out = out or sys.stdout
    with _store(args) as store:
        rows = users.list_users(store)
    for u in rows:
        state = f"disabled {u.disabled_at[:16]}" if u.disabled_at else "active"
        print(f"{u.username:<20} {u.role:<7} created {u.created_at[:16]}  {state}", file=out)
    if not rows:
        print("no accounts: add one with `fieldapp office user add NAME --role admin`", file=out)
    return 0


def run_disable(args, *, out=None) -> int:
    from fieldapp.office import users

    out = out or sys.stdout
    try:
        with _store(args) as store:
            changed = users.disable_user(store, args.name)
    except users.UserError as exc:
        print(f"error: {exc}", file=out)
        return 2
    print(f"disabled {args.name}" if changed else f"{args.name} was already disabled", file=out)
    return 0 if changed else 1


def run_enable(args, *, out=None) -> int:
    from fieldapp.office import users

    out = out or sys.stdout
    try:
        with _store(args) as store:
            users.enable_user(store, args.name)
    except users.UserError as exc:
        print(f"error: {exc}", file=out)
        return 2
    print(f"enabled {args.name}", file=out)
    return 0


def run_passwd(args, *, stdin=None, prompt=None, out=None) -> int:
    from fieldapp.office import users

    out = out or sys.stdout
    try:
        password = read_password(args.password_stdin, stdin=stdin, prompt=prompt)
        with _store(args) as store:
            users.set_password(store, args.name, password)
    except (users.UserError, ValueError) as exc:
        print(f"error: {exc}", file=out)
        return 2
    print(f"password of {args.name} changed; its sessions ended", file=out)
    return 0
