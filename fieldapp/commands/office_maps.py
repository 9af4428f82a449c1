"""`fieldapp office tiles ...` and `fieldapp office boundaries ...`: the office's maps.

    fieldapp office tiles import FILE [--data-dir D]      keep an MBTiles / PMTiles raster archive
    fieldapp office tiles info [--data-dir D]             what the archive holds, the online source
    fieldapp office tiles online --url URL --attribution TEXT [--datum wgs84|gcj02] | --off
    fieldapp office boundaries import FILE.geojson        the communities' boundaries (checked)

Phones receive both at their next sync (sync/mapsync.py); the dashboard's 地图 shows them at once.
Every refusal is one Chinese line saying what is wrong, and nothing is kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fieldapp.office import words as S


def add_office_maps_commands(actions, office_dir) -> None:
    def with_dir(parser):
        parser.add_argument("--data-dir", type=Path, default=None,
                            help="office data folder (default $FIELDAPP_OFFICE_DIR or ~/.fieldapp/office)")
        return parser

    tiles = actions.add_parser("tiles", help="the office's map tiles: import an archive, info, online source",
                               description="Map tiles for the dashboard and the phones (docs/maps.md).")
    sub = tiles.add_subparsers(dest="tiles_command", metavar="ACTION", required=True)
    imp = with_dir(sub.add_parser("import", help="keep an MBTiles or PMTiles file of raster tiles as the office's map"))
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.set_defaults(handler=lambda args: run_tiles_import(args, office_dir))
    info = with_dir(sub.add_parser("info", help="what the office's map holds"))
    info.set_defaults(handler=lambda args: run_tiles_info(args, office_dir))
    online = with_dir(sub.add_parser("online", help="an online tile source (URL template, attribution, datum)"))
    online.add_argument("--url", default="", help="XYZ template, e.g. https://tiles.example/{z}/{x}/{y}.png")
    online.add_argument("--attribution", default="", help="the source's required credit line")
    online.add_argument("--datum", default="wgs84", help="wgs84 (or cgcs2000: 天地图) or gcj02 (高德, 腾讯)")
    online.add_argument("--off", action="store_true", help="remove the online source")
    online.set_defaults(handler=lambda args: run_tiles_online(args, office_dir))

    boundaries = actions.add_parser("boundaries", help="the communities' boundaries (GeoJSON)",
                                    description="Community boundaries beside the rules (docs/maps.md).")
    bsub = boundaries.add_subparsers(dest="boundaries_command", metavar="ACTION", required=True)
    bimp = with_dir(bsub.add_parser("import", help="check a GeoJSON file and keep it as the office's boundaries"))
    bimp.add_argument("file", type=Path, metavar="FILE")
    bimp.set_defaults(handler=lambda args: run_boundaries_import(args, office_dir))


def _names(data_dir: Path) -> dict[str, str]:
    from fieldapp.maps.boundaries import names_of
    from fieldapp.rules import RuleBook

    book = RuleBook.load(data_dir, strict=False)
    return names_of(book.by_year[y] for y in book.years)


def run_boundaries_import(args, office_dir, out=None) -> int:
    from fieldapp.maps import boundaries as bnd

    out = out or sys.stdout
    data_dir = args.data_dir or office_dir()
    try:
        checked = bnd.read_import(args.file, _names(data_dir))
        path = bnd.save(data_dir, checked)
    except bnd.BoundaryError as exc:
        print(S.CLI_BOUNDARIES_REFUSED.format(detail=exc), file=out)
        return 2
    names = "、".join(c.name for c in checked.communities.values())
    print(S.CLI_BOUNDARIES_KEPT.format(n=len(checked.communities), names=names, path=path), file=out)
    return 0


def run_tiles_import(args, office_dir, out=None) -> int:
    from fieldapp.maps import tiles as tl

    out = out or sys.stdout
    data_dir = args.data_dir or office_dir()
    try:
        info = tl.import_archive(args.file, data_dir)
    except tl.TileError as exc:
        print(S.CLI_TILES_REFUSED.format(detail=exc), file=out)
        return 2
    print(S.CLI_TILES_KEPT.format(n=info.tiles, mb=info.bytes / 1e6, zmin=info.min_zoom, zmax=info.max_zoom,
                                  fmt=info.format.upper(), path=tl.archive_path(data_dir)), file=out)
    return 0


def run_tiles_info(args, office_dir, out=None) -> int:
    from fieldapp.maps import online as onl
    from fieldapp.maps import tiles as tl

    out = out or sys.stdout
    data_dir = args.data_dir or office_dir()
    info = tl.archive_info(data_dir)
    if info is None:
        print(S.CLI_TILES_NONE, file=out)
    else:
        print(S.CLI_TILES_KEPT.format(n=info.tiles, mb=info.bytes / 1e6, zmin=info.min_zoom, zmax=info.max_zoom,
                                      fmt=info.format.upper(), path=tl.archive_path(data_dir)), file=out)
    source = onl.load(data_dir)
    if source is not None:
        print(S.CLI_TILES_ONLINE.format(url=source.url, attribution=source.attribution, datum=source.datum), file=out)
    return 0


def run_tiles_online(args, office_dir, out=None) -> int:
    from fieldapp.maps import online as onl

    out = out or sys.stdout
    data_dir = args.data_dir or office_dir()
    if args.off:
        onl.save(data_dir, None)
        print(S.CLI_TILES_ONLINE_OFF, file=out)
        return 0
    try:
        source = onl.check(args.url, args.attribution, args.datum)
    except onl.SourceError as exc:
        print(S.CLI_TILES_REFUSED.format(detail=exc), file=out)
        return 2
    onl.save(data_dir, source)
    print(S.CLI_TILES_ONLINE.format(url=source.url, attribution=source.attribution, datum=source.datum), file=out)
    return 0
