"""`fieldapp photo ...` (implemented with fieldapp.photos)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from fieldapp.photos import PhotoRejected, ingest_bytes


def register(sub) -> None:
    photo = sub.add_parser("photo", help="photo tools")
    actions = photo.add_subparsers(dest="photo_command", metavar="ACTION", required=True)
    inspect = actions.add_parser(
        "inspect",
        help="run the real photo intake on files and print one JSON line per file",
        description="Ingest each FILE into a throw-away directory and report what the app would store. "
        "Exit code 1 if any file is refused.",
    )
    inspect.add_argument("files", nargs="+", metavar="FILE", type=Path)
    inspect.set_defaults(handler=inspect_files)


def inspect_files(args) -> int:
    refused = False
    with tempfile.TemporaryDirectory(prefix="fieldapp-photo-") as tmp:
        for path in args.files:
            line = _inspect(path, Path(tmp))
            refused |= not line["ok"]
            print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if refused else 0


def _inspect(path: Path, photo_dir: Path) -> dict:
    try:
        data = path.read_bytes()
    except OSError as exc:  # missing file, a directory, no permission
        error = f"cannot read the file: {exc.strerror or exc}"
        return {"file": str(path), "ok": False, "error": error, "code": "unreadable"}
    try:
        stored = ingest_bytes(data, photo_dir)
    except PhotoRejected as exc:
        return {"file": str(path), "ok": False, "error": exc.message, "code": exc.code}
    payload = stored.to_event_payload()
    return {
        "file": str(path),
        "ok": True,
        "position": payload["position"],
        "accuracy_m": payload["accuracy_m"],  # metres, from GPSHPositioningError; null if unknown
        "orientation": payload["orientation"],
        "taken_at": payload["taken_at"],
        "width": payload["width"],
        "height": payload["height"],
    }

