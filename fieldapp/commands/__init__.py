"""Command groups of the CLI. Each module exposes `register(subparsers)`."""

from fieldapp.commands import app, office, photo, sync

COMMAND_GROUPS = [app.register, photo.register, sync.register, office.register]
