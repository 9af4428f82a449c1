"""Command groups of the CLI. Each module exposes `register(subparsers)`."""

from fieldapp.commands import photo

COMMAND_GROUPS = [photo.register]
