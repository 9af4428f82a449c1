"""fieldapp.photos against the real phone photos in ../shared/data/photos (no mocks)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import tempfile
import zlib
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms
from PIL.TiffImagePlugin import IFDRational

from fieldapp.domain.geo import Position, distance_m
from fieldapp.photos import (
    REJECTION_CODES,
    PhotoMetadata,
    PhotoRejected,
    StoredPhoto,
    ingest_bytes,
    ingest_file,
    keep_copy,
    photo_path,
    read_metadata,
    thumb_path,
)

PHOTOS = Path(__file__).resolve().parents[1].parent / "shared/data/photos"
EXPECTED = json.loads((PHOTOS / "expected.json").read_text())
NAMES = sorted(EXPECTED)


def files_under(directory: Path) -> list[Path]:
    return [Path(root, f) for root, _, files in os.walk(directory) for f in files]


def expected_taken_at(entry: dict) -> datetime | None:
    if entry["taken_at"] is None:
        return None
    text = entry["taken_at"] + (entry["offset"] or "")
    return datetime.strptime(text, "%Y:%m:%d %H:%M:%S%z" if entry["offset"] else "%Y:%m:%d %H:%M:%S")


def upright_size(name: str) -> tuple[int, int]:
    """Size as displayed: the EXIF orientation swaps the sides for 5..8 (HEIC comes upright)."""
    with Image.open(PHOTOS / name) as img:
        w, h = img.size
    return (h, w) if EXPECTED[name]["orientation"] in (5, 6, 7, 8) else (w, h)


def jpeg(img: Image.Image, orientation: int | None = None, gps: dict | None = None, **kw) -> bytes:
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if gps is not None:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95, exif=exif.tobytes(), **kw)
    return buf.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny real PNG whose IHDR is rewritten to claim width x height."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    data = bytearray(buf.getvalue())
    ihdr = bytes(data[12:16]) + struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr[4:]
    data[29:33] = struct.pack(">I", zlib.crc32(ihdr))
    return bytes(data)


# ---------------------------------------------------------------- the real photos


@pytest.mark.parametrize("name", NAMES)
def test_metadata_matches_expected(name):
    entry = EXPECTED[name]
    meta = read_metadata((PHOTOS / name).read_bytes())

    if entry["gps"] is None:
        assert meta.position is None
    else:
        assert meta.position is not None
        assert distance_m(meta.position, Position(*entry["gps"])) < 1.0

    assert meta.orientation == entry["orientation"]

    want = expected_taken_at(entry)
    if want is None:
        assert meta.taken_at is None
    else:
        got = datetime.fromisoformat(meta.taken_at)
        assert got.utcoffset() == want.utcoffset()  # naive stays naive, offsets are kept
        assert got == want


@pytest.mark.parametrize("name", NAMES)
def test_ingest_stores_small_upright_clean_jpeg(name, tmp_path):
    data = (PHOTOS / name).read_bytes()
    stored = ingest_bytes(data, tmp_path)

    assert stored.original_sha256 == hashlib.sha256(data).hexdigest()
    assert stored.metadata == read_metadata(data)

    path = photo_path(tmp_path, stored.sha256)
    raw = path.read_bytes()
    assert path.name == f"{hashlib.sha256(raw).hexdigest()}.jpg"
    assert stored.sha256 == hashlib.sha256(raw).hexdigest()
    assert stored.size_bytes == len(raw)
    with Image.open(path) as img:
        assert img.format == "JPEG"
        assert img.mode == "RGB"
        assert img.size == (stored.width, stored.height)
        assert max(img.size) <= 1600
        assert not img.getexif()
        for key in ("exif", "icc_profile", "xmp"):
            assert key not in img.info

    # Orientation applied and aspect ratio kept: compare with the upright original size.
    w, h = upright_size(name)
    scale = min(1.0, 1600 / max(w, h))
    assert abs(stored.width - w * scale) <= 1 and abs(stored.height - h * scale) <= 1

    with Image.open(thumb_path(tmp_path, stored.sha256)) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (stored.thumb_width, stored.thumb_height)
        assert max(thumb.size) == min(320, max(stored.width, stored.height))
        assert (thumb.width >= thumb.height) == (stored.width >= stored.height)

    assert sorted(files_under(tmp_path)) == sorted([path, thumb_path(tmp_path, stored.sha256)])


def test_12mp_iphone_mpo_with_orientation_6_is_stored_portrait(tmp_path):
    stored = ingest_file(PHOTOS / "11_o6_12mp_apple__IMG_8568.JPG", tmp_path)
    assert (stored.width, stored.height) == (1200, 1600)
    assert (stored.thumb_width, stored.thumb_height) == (240, 320)


def test_heic_is_upright_without_exif_orientation(tmp_path):
    # pillow-heif hands over the image already rotated by irot/imir (2566x3313 here).
    stored = ingest_file(PHOTOS / "15_heic_gps-west_apple__IMG_5195.HEIC", tmp_path)
    assert (stored.width, stored.height) == (1239, 1600)
    assert stored.metadata.orientation is None


def test_event_payload_is_json(tmp_path):
    stored = ingest_file(PHOTOS / "02_gps-west_o3_apple__Apple_iPhone_5.jpg", tmp_path)
    payload = json.loads(json.dumps(stored.to_event_payload()))
    assert payload == {
        "sha256": stored.sha256,
        "original_sha256": stored.original_sha256,
        "width": 1600,
        "height": 1200,
        "size_bytes": stored.size_bytes,
        "position": {"lat": stored.metadata.position.lat, "lon": stored.metadata.position.lon},
        "accuracy_m": None,
        "orientation": 3,
        "taken_at": "2012-09-29T16:11:25",
        "make": "Apple",
        "model": "iPhone 5",
    }
    assert payload["position"]["lon"] < 0  # W


def test_make_model_are_stripped():
    meta = read_metadata((PHOTOS / "04_gps-zero_o6_samsung__Samsung_GT-I9000_(Galaxy_S).jpg").read_bytes())
    assert (meta.make, meta.model) == ("SAMSUNG", "GT-I9000")
    assert read_metadata((PHOTOS / "10_gps-flir-only_flir-iphone__FLIR_iPhone_device.jpg").read_bytes()).model is None


def test_ingest_is_idempotent(tmp_path):
    data = (PHOTOS / "01_gps_apple__Apple_iPhone_4.jpg").read_bytes()
    first = ingest_bytes(data, tmp_path)
    before = {p: p.stat().st_mtime_ns for p in files_under(tmp_path)}
    second = ingest_bytes(data, tmp_path)
    assert second == first
    assert {p: p.stat().st_mtime_ns for p in files_under(tmp_path)} == before  # not rewritten
    assert len(before) == 2


def test_keep_copy_keeps_a_received_photo_as_ingest_stored_it(tmp_path):
    """A photo downloaded from the office: the same bytes under the same name, and a thumbnail
    made the way ingest makes one (so the list and detail screens show it)."""
    source, copy = tmp_path / "author", tmp_path / "colleague"
    stored = ingest_bytes((PHOTOS / "01_gps_apple__Apple_iPhone_4.jpg").read_bytes(), source)
    data = photo_path(source, stored.sha256).read_bytes()

    assert keep_copy(data, copy, stored.sha256) is True
    assert photo_path(copy, stored.sha256).read_bytes() == data
    with Image.open(thumb_path(copy, stored.sha256)) as thumb, \
            Image.open(thumb_path(source, stored.sha256)) as original:
        assert thumb.format == "JPEG" and thumb.size == original.size == (stored.thumb_width, stored.thumb_height)
    assert not [p for p in files_under(copy) if p.name.endswith(".tmp")]
    before = {p: p.stat().st_mtime_ns for p in files_under(copy)}
    keep_copy(data, copy, stored.sha256)  # again: nothing rewritten
    assert {p: p.stat().st_mtime_ns for p in files_under(copy)} == before


def test_keep_copy_refuses_bytes_that_are_not_their_name(tmp_path):
    data = (PHOTOS / "13_no-exif__img_1771_no_exif.jpg").read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    damaged = data[:100] + bytes([data[100] ^ 1]) + data[101:]
    with pytest.raises(ValueError):
        keep_copy(damaged, tmp_path, sha)
    with pytest.raises(ValueError):
        keep_copy(data, tmp_path, "../" + sha[3:])
    assert files_under(tmp_path) == []
    # bytes that are no image still are what the office holds under that name: kept, no thumbnail
    junk = b"not a photo"
    assert keep_copy(junk, tmp_path, hashlib.sha256(junk).hexdigest()) is False
    assert photo_path(tmp_path, hashlib.sha256(junk).hexdigest()).read_bytes() == junk
    assert not thumb_path(tmp_path, hashlib.sha256(junk).hexdigest()).exists()


# ---------------------------------------------------------------- synthetic images

# EXIF spec: where the stored image's top-left and top-right corners appear when displayed.
CORNERS = {
    1: ("top-left", "top-right"),
    2: ("top-right", "top-left"),
    3: ("bottom-right", "bottom-left"),
    4: ("bottom-left", "bottom-right"),
    5: ("top-left", "bottom-left"),
    6: ("top-right", "bottom-right"),
    7: ("bottom-right", "top-right"),
    8: ("bottom-left", "top-left"),
}


def corner_colour(img: Image.Image, corner: str) -> tuple[int, int, int]:
    vertical, horizontal = corner.split("-")
    x = 4 if horizontal == "left" else img.width - 5
    y = 4 if vertical == "top" else img.height - 5
    return img.getpixel((x, y))


@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_puts_corners_where_exif_says(orientation, tmp_path):
    raw = Image.new("RGB", (60, 40), "white")
    raw.paste((255, 0, 0), (0, 0, 15, 15))  # stored top-left: red
    raw.paste((0, 0, 255), (45, 0, 60, 15))  # stored top-right: blue
    stored = ingest_bytes(jpeg(raw, orientation), tmp_path)

    assert stored.metadata.orientation == orientation
    assert (stored.width, stored.height) == ((40, 60) if orientation >= 5 else (60, 40))
    red_at, blue_at = CORNERS[orientation]
    with Image.open(photo_path(tmp_path, stored.sha256)) as img:
        r, g, b = corner_colour(img, red_at)
        assert r > 200 and g < 60 and b < 60, (red_at, (r, g, b))
        r, g, b = corner_colour(img, blue_at)
        assert b > 200 and r < 60 and g < 60, (blue_at, (r, g, b))


def test_png_alpha_is_flattened_on_white(tmp_path):
    img = Image.new("RGBA", (40, 40), (0, 0, 0, 0))  # transparent *black*
    img.paste((255, 0, 0, 255), (0, 0, 20, 40))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    stored = ingest_bytes(buf.getvalue(), tmp_path)
    with Image.open(photo_path(tmp_path, stored.sha256)) as out:
        assert out.mode == "RGB"
        assert min(out.getpixel((35, 20))) > 245  # white, not black
        r, g, b = out.getpixel((5, 20))
        assert r > 200 and g < 60 and b < 60


def test_cmyk_jpeg_becomes_rgb(tmp_path):
    data = jpeg(Image.new("CMYK", (40, 30), (0, 255, 255, 0)))  # red in CMYK
    stored = ingest_bytes(data, tmp_path)
    with Image.open(photo_path(tmp_path, stored.sha256)) as out:
        assert out.mode == "RGB"
        r, g, b = out.getpixel((20, 15))
        assert r > 200 and g < 60 and b < 60


def test_display_p3_is_converted_to_srgb(tmp_path):
    # The stored JPEG carries no profile, so wide-gamut iPhone pixels must be converted.
    with Image.open(PHOTOS / "11_o6_12mp_apple__IMG_8568.JPG") as iphone:
        p3 = iphone.info["icc_profile"]
    colour = (200, 100, 50)
    data = jpeg(Image.new("RGB", (40, 30), colour), icc_profile=p3)
    want = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour), ImageCms.ImageCmsProfile(io.BytesIO(p3)), ImageCms.createProfile("sRGB")
    ).getpixel((0, 0))
    assert want[0] - colour[0] > 10  # a real difference, bigger than JPEG noise
    stored = ingest_bytes(data, tmp_path)
    with Image.open(photo_path(tmp_path, stored.sha256)) as out:
        got = out.getpixel((20, 15))
    assert all(abs(g - w) <= 4 for g, w in zip(got, want)), (got, want)


def test_large_png_is_reduced(tmp_path):
    buf = io.BytesIO()
    Image.new("RGB", (4000, 1000), "green").save(buf, "PNG")
    stored = ingest_bytes(buf.getvalue(), tmp_path)
    assert (stored.width, stored.height) == (1600, 400)
    assert (stored.thumb_width, stored.thumb_height) == (320, 80)


# ---------------------------------------------------------------- GPS edge cases

N, E = ((30.0, 15.0, 36.0), "N"), ((120.0, 30.0, 0.0), "E")  # 30.26 N, 120.5 E (Hangzhou)


def gps_meta(lat=N, lon=E, **extra) -> PhotoMetadata:
    gps = {
        ExifTags.GPS.GPSLatitude: lat[0],
        ExifTags.GPS.GPSLatitudeRef: lat[1],
        ExifTags.GPS.GPSLongitude: lon[0],
        ExifTags.GPS.GPSLongitudeRef: lon[1],
    }
    gps.update({ExifTags.GPS[name]: value for name, value in extra.items()})
    return read_metadata(jpeg(Image.new("RGB", (8, 8)), gps=gps))


def test_gps_synthetic_fix():
    assert gps_meta().position == Position(30.26, 120.5)


def test_gps_south_west_are_negative():
    pos = gps_meta((N[0], "S"), (E[0], "W")).position
    assert (pos.lat, pos.lon) == (-30.26, -120.5)


@pytest.mark.parametrize(
    "lat, lon",
    [
        ((N[0], "\x00"), E),  # the empty-block reference letter
        ((N[0], "X"), E),
        (N, (E[0], "N")),  # a latitude letter on the longitude
        (((95.0, 0.0, 0.0), "N"), E),  # out of range
        (N, ((181.0, 0.0, 0.0), "E")),
        (((0.0, 0.0, 0.0), "N"), ((0.0, 0.0, 0.0), "E")),  # null island
    ],
)
def test_gps_invalid_is_no_position(lat, lon):
    assert gps_meta(lat, lon).position is None


# ---------------------------------------------------------------- GPS accuracy (GPSHPositioningError)

HEIC_WEST = "15_heic_gps-west_apple__IMG_5195.HEIC"


@pytest.mark.parametrize("name", NAMES)
def test_accuracy_only_where_the_photo_has_one(name):
    meta = read_metadata((PHOTOS / name).read_bytes())
    if name == HEIC_WEST:  # GPSHPositioningError 250111/6444 = 38.813 m
        assert meta.accuracy_m == pytest.approx(38.8, abs=0.1)
        assert meta.position.accuracy_m == meta.accuracy_m  # the position carries it
    else:  # no GPSHPositioningError in the other photos
        assert meta.accuracy_m is None
        assert meta.position is None or meta.position.accuracy_m is None


def test_accuracy_in_the_event_payload(tmp_path):
    payload = json.loads(json.dumps(ingest_file(PHOTOS / HEIC_WEST, tmp_path).to_event_payload()))
    assert payload["accuracy_m"] == pytest.approx(38.81, abs=0.01)
    assert set(payload["position"]) == {"lat", "lon"}


def test_accuracy_synthetic():
    meta = gps_meta(GPSHPositioningError=IFDRational(3881, 100))
    assert meta.position == Position(30.26, 120.5, 38.81) and meta.accuracy_m == 38.81


def test_accuracy_without_a_position_is_dropped():
    meta = gps_meta(((0.0, 0.0, 0.0), "N"), ((0.0, 0.0, 0.0), "E"), GPSHPositioningError=IFDRational(5, 1))
    assert meta.position is None and meta.accuracy_m is None


@pytest.mark.parametrize(
    "value",
    [
        IFDRational(1, 0),  # zero denominator: Pillow reads NaN
        IFDRational(0, 0),
        IFDRational(0, 1),  # zero metres is no accuracy
    ],
)
def test_accuracy_broken_is_none_and_keeps_the_position(value, tmp_path):
    gps = {
        ExifTags.GPS.GPSLatitude: N[0],
        ExifTags.GPS.GPSLatitudeRef: N[1],
        ExifTags.GPS.GPSLongitude: E[0],
        ExifTags.GPS.GPSLongitudeRef: E[1],
        ExifTags.GPS.GPSHPositioningError: value,
    }
    data = jpeg(Image.new("RGB", (8, 8)), gps=gps)
    meta = read_metadata(data)
    assert meta.accuracy_m is None
    assert meta.position == Position(30.26, 120.5)
    assert ingest_bytes(data, tmp_path).metadata == meta  # nothing crashes on the way to storage


def jpeg_with_patched_accuracy(tiff_type: int, value: bytes) -> bytes:
    """A JPEG whose GPSHPositioningError entry is rewritten after Pillow wrote it: another
    TIFF type (10 = SRATIONAL, 2 = ASCII, 12 = DOUBLE) and 8 bytes of value (given
    little-endian), which Pillow's writer refuses to produce."""
    gps = {
        ExifTags.GPS.GPSLatitude: N[0],
        ExifTags.GPS.GPSLatitudeRef: N[1],
        ExifTags.GPS.GPSLongitude: E[0],
        ExifTags.GPS.GPSLongitudeRef: E[1],
        ExifTags.GPS.GPSHPositioningError: IFDRational(3881, 100),
    }
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    raw = bytearray(exif.tobytes())
    tiff = 6  # after b"Exif\0\0"
    order = {b"II": "<", b"MM": ">"}[bytes(raw[tiff : tiff + 2])]
    entry = raw.index(struct.pack(order + "HHI", 31, 5, 1))  # tag 31, RATIONAL, count 1
    (offset,) = struct.unpack_from(order + "I", raw, entry + 8)
    assert struct.unpack_from(order + "II", raw, tiff + offset) == (3881, 100)
    struct.pack_into(order + "HHI", raw, entry, 31, tiff_type, 8 if tiff_type == 2 else 1)
    if order == ">" and tiff_type != 2:  # swap each number of the value to big-endian
        size = 8 if tiff_type == 12 else 4
        value = b"".join(value[i : i + size][::-1] for i in range(0, 8, size))
    raw[tiff + offset : tiff + offset + 8] = value
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "JPEG", exif=bytes(raw))
    return buf.getvalue()


@pytest.mark.parametrize(
    "tiff_type, value",
    [
        (10, struct.pack("<ii", -3881, 100)),  # SRATIONAL: -38.81 m
        (10, struct.pack("<ii", 3881, -100)),
        (10, struct.pack("<ii", -1, 0)),  # negative over zero
        (5, struct.pack("<II", 7, 0)),  # RATIONAL over zero
        (2, b"38.81\x00\x00\x00"),  # text, not a number
        (12, struct.pack("<d", float("inf"))),  # DOUBLE infinity
        (12, struct.pack("<d", float("nan"))),
        (12, struct.pack("<d", -2.5)),
    ],
)
def test_accuracy_crafted_nonsense_is_none(tiff_type, value, tmp_path):
    data = jpeg_with_patched_accuracy(tiff_type, value)
    meta = read_metadata(data)
    assert meta.accuracy_m is None
    assert meta.position == Position(30.26, 120.5)  # the fix itself is still good
    stored = ingest_bytes(data, tmp_path)
    assert stored.metadata == meta and stored.to_event_payload()["accuracy_m"] is None


def test_accuracy_crafted_sensible_double_is_read():
    assert read_metadata(jpeg_with_patched_accuracy(12, struct.pack("<d", 4.5))).accuracy_m == 4.5


# ---------------------------------------------------------------- refusals


def bomb_png() -> bytes:
    return png_claiming(20_000, 20_000)  # 400 MP: Pillow raises DecompressionBombError


def warning_bomb_png() -> bytes:
    return png_claiming(10_000, 10_000)  # 100 MP: Pillow only warns; we refuse


def gif() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "GIF")
    return buf.getvalue()


def half_of(name: str) -> bytes:
    data = (PHOTOS / name).read_bytes()
    return data[: len(data) // 2]


BAD_INPUTS = {
    "empty": (lambda: b"", "empty"),
    "text": (lambda: "巡查记录：路边垃圾\n".encode() * 20, "not_an_image"),
    "truncated jpeg": (lambda: half_of("01_gps_apple__Apple_iPhone_4.jpg"), "truncated"),
    "truncated mpo": (lambda: half_of("11_o6_12mp_apple__IMG_8568.JPG"), "truncated"),
    "bomb": (bomb_png, "decompression_bomb"),
    "bomb warning": (warning_bomb_png, "decompression_bomb"),
    "too many pixels": (lambda: png_claiming(8_000, 7_000), "too_many_pixels"),
    "gif": (gif, "unsupported"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_rejected_and_nothing_written(case, tmp_path):
    make, code = BAD_INPUTS[case]
    photo_dir = tmp_path / "photos"
    with pytest.raises(PhotoRejected) as info:
        ingest_bytes(make(), photo_dir)
    assert info.value.code == code
    assert info.value.code in REJECTION_CODES
    assert str(info.value) == info.value.message and info.value.message
    assert files_under(tmp_path) == []


def test_truncated_heic_is_rejected(tmp_path):
    # libheif itself would decode it, filling the missing tiles with green.
    with pytest.raises(PhotoRejected) as info:
        ingest_bytes(half_of("15_heic_gps-west_apple__IMG_5195.HEIC"), tmp_path)
    assert info.value.code == "truncated"
    assert files_under(tmp_path) == []


def test_photo_dir_that_is_a_file_raises_and_leaves_nothing(tmp_path):
    blocker = tmp_path / "photos"
    blocker.write_bytes(b"not a directory")
    with pytest.raises(OSError):
        ingest_file(PHOTOS / "08_gps-south_kodak__Kodak_CX7530.jpg", blocker)
    assert files_under(tmp_path) == [blocker]


def test_failed_photo_write_removes_its_thumbnail(tmp_path):
    data = (PHOTOS / "08_gps-south_kodak__Kodak_CX7530.jpg").read_bytes()
    sha = ingest_bytes(data, tmp_path / "probe").sha256  # deterministic: same name next time
    photo_dir = tmp_path / "photos"
    photo_dir.mkdir()
    blocker = photo_dir / sha[:2]  # a file where the photo's shard directory should go
    blocker.write_bytes(b"")
    with pytest.raises(OSError):
        ingest_bytes(data, photo_dir)
    assert files_under(photo_dir) == [blocker]


def test_paths_refuse_bad_hashes(tmp_path):
    with pytest.raises(ValueError):
        photo_path(tmp_path, "../../etc/passwd")
    with pytest.raises(ValueError):
        thumb_path(tmp_path, "AB" * 32)


SMALL_JPEG = (PHOTOS / "08_gps-south_kodak__Kodak_CX7530.jpg").read_bytes()


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=512),
        # damaged real photos: one byte overwritten, or cut anywhere
        st.tuples(st.integers(0, len(SMALL_JPEG) - 1), st.integers(0, 255)).map(
            lambda p: SMALL_JPEG[: p[0]] + bytes([p[1]]) + SMALL_JPEG[p[0] + 1 :]
        ),
        st.integers(0, len(SMALL_JPEG)).map(lambda n: SMALL_JPEG[:n]),
    )
)
def test_only_photo_rejected_escapes(data):
    with tempfile.TemporaryDirectory() as tmp:
        try:
            stored = ingest_bytes(data, Path(tmp))
        except PhotoRejected as exc:
            assert exc.code in REJECTION_CODES
            assert files_under(Path(tmp)) == []
        else:
            assert isinstance(stored, StoredPhoto)
            assert len(files_under(Path(tmp))) == 2
