"""`fieldapp photo ...` (implemented with fieldapp.photos)."""


def register(sub) -> None:
    sub.add_parser("photo", help="photo tools")
