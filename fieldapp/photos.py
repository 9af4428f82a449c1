"""Photo intake: read EXIF, then store a small, upright, metadata-free JPEG by content hash.

Read from EXIF: the GPS position with its horizontal accuracy (GPSHPositioningError, metres),
DateTimeOriginal (+ OffsetTimeOriginal), Orientation, Make and Model.

Pillow only (plus pillow-heif for iPhone HEIC). The stored copy is what gets synced,
so it is shrunk to ≤ 1600 px, converted to sRGB and stripped of EXIF (GPS included):
the position travels in the event payload, not inside the file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import math
import numbers
import os
import re
import struct
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pillow_heif
from PIL import ExifTags, Image, ImageCms, ImageFile

from fieldapp.domain.geo import Position
from fieldapp.durable import fsync_dir, write_file

pillow_heif.register_heif_opener()

MAX_SIDE = 1600  # long side of the stored photo, px
THUMB_SIDE = 320  # long side of the thumbnail, px
JPEG_QUALITY = 80
MAX_PIXELS = 50_000_000  # refuse larger photos before decoding them (a 50 MP RGB image is 150 MB)
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "HEIF", "WEBP"})

REJECTION_CODES = (
    "empty",
    "not_an_image",
    "truncated",
    "too_many_pixels",
    "decompression_bomb",
    "unsupported",
)

# EXIF orientation -> the transpose that makes the image upright (same table as ImageOps.exif_transpose).
_T = Image.Transpose
_UPRIGHT = {
    2: _T.FLIP_LEFT_RIGHT,
    3: _T.ROTATE_180,
    4: _T.FLIP_TOP_BOTTOM,
    5: _T.TRANSPOSE,
    6: _T.ROTATE_270,
    7: _T.TRANSVERSE,
    8: _T.ROTATE_90,
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")


class PhotoRejected(ValueError):
    """The bytes are not a photo we accept; `code` is one of REJECTION_CODES."""

    def __init__(self, code: str, message: str):
        assert code in REJECTION_CODES, code
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PhotoMetadata:
    position: Position | None = None  # its accuracy_m from GPSHPositioningError, if the photo has one
    orientation: int | None = None  # raw EXIF value (HEIC: the value before pillow-heif reset it)
    taken_at: str | None = None  # ISO 8601; with offset only when OffsetTimeOriginal says so
    make: str | None = None
    model: str | None = None

    @property
    def accuracy_m(self) -> float | None:
        """Horizontal accuracy of the EXIF position in metres (GPSHPositioningError), if known."""
        return None if self.position is None else self.position.accuracy_m


@dataclass(frozen=True)
class StoredPhoto:
    sha256: str  # of the stored JPEG = its file name
    original_sha256: str  # of the bytes we were given
    width: int
    height: int
    thumb_width: int
    thumb_height: int
    size_bytes: int
    metadata: PhotoMetadata

    def to_event_payload(self) -> dict:
        m = self.metadata
        return {
            "sha256": self.sha256,
            "original_sha256": self.original_sha256,
            "width": self.width,
            "height": self.height,
            "size_bytes": self.size_bytes,
            "position": None if m.position is None else {"lat": m.position.lat, "lon": m.position.lon},
            "accuracy_m": m.accuracy_m,
            "orientation": m.orientation,
            "taken_at": m.taken_at,
            "make": m.make,
            "model": m.model,
        }


# ---------------------------------------------------------------- paths


def photo_path(photo_dir: Path, sha256: str) -> Path:
    return Path(photo_dir) / _check_sha(sha256)[:2] / f"{sha256}.jpg"


def photo_file(photo_dir: str, sha256: str) -> str:
    """`photo_path` as a plain string, for loops over many photos (no pathlib, no check:
    the caller has checked `sha256` is 64 hex digits)."""
    return os.path.join(photo_dir, sha256[:2], sha256 + ".jpg")


def thumb_path(photo_dir: Path, sha256: str) -> Path:
    return Path(photo_dir) / "thumbs" / _check_sha(sha256)[:2] / f"{sha256}.jpg"


def _check_sha(sha256: str) -> str:
    # The hash may come from a synced event: never let it build a path outside photo_dir.
    if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"not a lowercase hex sha256: {sha256!r}")
    return sha256


# ---------------------------------------------------------------- public API


def read_metadata(data: bytes) -> PhotoMetadata:
    """EXIF of a photo, read from the header only (pixels are not decoded)."""
    with _open(data) as img:
        return _metadata(img)


def ingest_file(path: Path, photo_dir: Path) -> StoredPhoto:
    return ingest_bytes(Path(path).read_bytes(), photo_dir)


def ingest_bytes(data: bytes, photo_dir: Path) -> StoredPhoto:
    """Normalise a photo and store it (plus a thumbnail) under photo_dir, named by its sha256.

    Raises PhotoRejected for input we refuse (nothing is written then) and OSError if
    storing fails (nothing is left behind then either). Safe to repeat: the same input
    gives the same bytes, hence the same name, and an existing file is not rewritten.
    """
    data = bytes(data)
    with _open(data) as img:
        if img.format == "HEIF" and not _boxes_complete(data):
            # libheif decodes a cut HEIC "successfully", painting the missing tiles green.
            raise PhotoRejected("truncated", "The HEIC file is truncated.")
        photo = _render(img)
        metadata = _metadata(img)  # after load: a PNG may keep its eXIf chunk after the pixels
    thumb = _thumbnail(photo)
    photo_bytes, thumb_bytes = _jpeg(photo), _jpeg(thumb)
    sha = hashlib.sha256(photo_bytes).hexdigest()
    _store(photo_dir, sha, photo_bytes, thumb_bytes)
    return StoredPhoto(
        sha256=sha,
        original_sha256=hashlib.sha256(data).hexdigest(),
        width=photo.width,
        height=photo.height,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
        size_bytes=len(photo_bytes),
        metadata=metadata,
    )


def keep_copy(data: bytes, photo_dir: Path, sha256: str) -> bool:
    """Keep a photo another device stored (received through the office) under its name, with
    the thumbnail the list and detail screens show, made as `ingest_bytes` makes it (from the
    stored photo: upright, sRGB, <= MAX_SIDE, so rendering it again changes nothing but the
    JPEG generation of the thumbnail).

    The bytes are kept exactly as received, and only if they hash to `sha256` (ValueError
    otherwise; nothing is written). Bytes that are not a photo we can decode are still kept
    (they are what the office holds under that name) but get no thumbnail: the screens show
    their placeholder. Returns whether a thumbnail was made. Written like an ingest: thumbnail
    first, then the photo, each atomically; an existing file is not rewritten. OSError if
    storing fails (nothing of this call is left behind then).
    """
    data = bytes(data)
    if hashlib.sha256(data).hexdigest() != _check_sha(sha256):
        raise ValueError("the bytes do not hash to the photo's name")
    try:
        with _open(data) as img:
            thumb_bytes = _jpeg(_thumbnail(_render(img)))
    except PhotoRejected:
        _write_atomic(photo_dir, photo_path(photo_dir, sha256), data)
        return False
    _store(photo_dir, sha256, data, thumb_bytes)
    return True


def perceptual_hash(data: bytes) -> str | None:
    """A 64-bit perceptual hash (imagehash's DCT ``phash``) of a stored photo, as 16 hex digits.

    Pictures that look alike have hashes a few bits apart (fieldapp.domain.evidence compares
    them), whatever their JPEG encoding or size. Meant for stored photos (upright, sRGB): the
    JPEG is decoded at reduced size (draft mode), as the hash looks at 32x32 pixels anyway.
    None if the bytes cannot be decoded, or imagehash is not installed (a phone build without
    it): then nothing is called "nearly the same".
    """
    try:
        import imagehash
    except ImportError:  # pragma: no cover - a dependency; logged where it matters
        return None
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.draft("L", (128, 128))
            return str(imagehash.phash(img.convert("L")))
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def stored_perceptual_hash(photo_dir: Path, sha256: str) -> str | None:
    """`perceptual_hash` of a stored photo, None if this device does not have it."""
    try:
        return perceptual_hash(photo_path(photo_dir, sha256).read_bytes())
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------- decoding


def _open(data: bytes) -> Image.Image:
    """Image.open (header only) with every failure turned into PhotoRejected."""
    if not data:
        raise PhotoRejected("empty", "The file is empty.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. damaged EXIF tags read while sniffing for MPO
            # Pillow only *warns* between MAX_IMAGE_PIXELS and twice that; we refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoRejected("decompression_bomb", f"The image declares an absurd size ({exc}).") from exc
    except Image.UnidentifiedImageError as exc:
        raise PhotoRejected("not_an_image", "The file is not an image.") from exc
    except Exception as exc:  # a plugin choking on a damaged header
        raise PhotoRejected("not_an_image", f"The image header is unreadable ({exc}).") from exc
    if img.format == "PNG" and "exif" not in img.info:
        # Pillow only sees an eXIf chunk that follows the pixels after decoding them all.
        exif = _png_chunk(data, b"eXIf")
        if exif:
            img.info["exif"] = exif
    if img.format not in ACCEPTED_FORMATS:
        img.close()
        raise PhotoRejected(
            "unsupported", f"{img.format} images are not accepted; use JPEG, HEIC, PNG or WebP."
        )
    return img


def _png_chunk(data: bytes, kind: bytes) -> bytes | None:
    pos = 8  # after the signature; each chunk is length, type, data, CRC
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == kind:
            return data[pos + 8 : pos + 8 + length]
        if data[pos + 4 : pos + 8] == b"IEND":
            break
        pos += 12 + length
    return None


def _boxes_complete(data: bytes) -> bool:
    """True if the top-level ISOBMFF boxes (ftyp, meta, mdat...) exactly fill the file."""
    pos = 0
    while pos + 8 <= len(data):
        size = struct.unpack(">I", data[pos : pos + 4])[0]
        if size == 1:  # 64-bit size follows the type
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0] if pos + 16 <= len(data) else 0
        elif size == 0:  # the last box runs to the end of the file
            return True
        if size < 8:
            return False
        pos += size
    return pos == len(data)


def _render(img: Image.Image) -> Image.Image:
    """Decode to an upright sRGB image of at most MAX_SIDE px."""
    w, h = img.size
    if w * h > MAX_PIXELS:
        raise PhotoRejected(
            "too_many_pixels",
            f"The photo has {w * h / 1e6:.1f} megapixels ({w}x{h}); the limit is {MAX_PIXELS // 1_000_000}.",
        )
    target = _fit(img.size, MAX_SIDE)
    # Speed: a draft box with the photo's own aspect ratio lets libjpeg decode at 1/2, 1/4
    # or 1/8 scale (DCT scaling) while staying >= target on both sides. No-op for other formats.
    img.draft("RGB", target)
    # A truncated JPEG must fail on load, not come back half grey.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        img.load()
    except Exception as exc:
        raise PhotoRejected("truncated", f"The image data is truncated or damaged ({exc}).") from exc
    # HEIC: libheif already applied irot/imir and pillow-heif reset the EXIF tag, so no transpose.
    upright = None if img.format == "HEIF" else _UPRIGHT.get(_orientation(img))
    try:
        out = _flatten(img)
        if out.size != target:
            # After a JPEG draft the remaining factor is < 2, where bicubic is as good as Lanczos
            # (> 40 dB against a full-size Lanczos reference) and faster. PNG/HEIC/WebP have no
            # draft: reducing_gap first shrinks them by an integer factor with a cheap box filter.
            out = out.resize(target, Image.Resampling.BICUBIC, reducing_gap=3.0)
        out = _to_srgb(out, img.info.get("icc_profile"))
        return out.transpose(upright) if upright is not None else out  # cheap on the small image
    except Exception as exc:
        raise PhotoRejected("unsupported", f"Cannot convert this image ({img.mode}): {exc}.") from exc


def _thumbnail(photo: Image.Image) -> Image.Image:
    """The list/detail thumbnail of a stored photo (<= THUMB_SIDE px)."""
    # From the already reduced photo, never the original: a 5x step, box-reduced first.
    return photo.resize(_fit(photo.size, THUMB_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    w, h = size
    scale = min(1.0, side / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def _flatten(img: Image.Image) -> Image.Image:
    """A mode that resizes well: RGB, L or CMYK (the colour profile is dealt with later)."""
    if img.mode.startswith("I;16"):  # 16-bit grey PNG: convert("L") would clip, not scale
        return img.convert("I").point(lambda v: v / 256, "L")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info:
        # A JPEG has no alpha: transparent pixels become white (black would hide the content).
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if img.mode in ("1", "P"):  # Pillow resizes these with NEAREST only
        return img.convert("RGB")
    return img


def _to_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """Pixels as sRGB: the stored JPEG has no ICC profile, so e.g. iPhone Display P3 must be converted."""
    transform = _to_srgb_transform(icc, img.mode) if icc else None
    if transform is not None:
        try:
            if img.mode == "RGB":
                ImageCms.applyTransform(img, transform, inPlace=True)  # img is our own copy
                return img
            return ImageCms.applyTransform(img, transform)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a mismatched profile is no reason to refuse the photo
    return img if img.mode == "RGB" else img.convert("RGB")


@functools.lru_cache(maxsize=16)
def _to_srgb_transform(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    """Cached: a phone puts the same profile (e.g. Display P3) in every photo."""
    if mode not in ("RGB", "CMYK", "L"):
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "sRGB" in ImageCms.getProfileDescription(profile):
            return None  # already sRGB: skip the ~30 ms per-pixel pass
        return ImageCms.buildTransform(profile, _SRGB, mode, "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a broken profile: treat the pixels as sRGB


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    # No exif/icc_profile arguments: Pillow then writes none, so GPS never leaves in the file.
    img.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()


# ---------------------------------------------------------------- metadata


def _exif(img: Image.Image) -> Image.Exif:
    # PngImageFile.getexif() would decode the whole image looking for a late eXIf chunk;
    # _open already found it if there is one.
    if img.format == "PNG" and "exif" not in img.info:
        return Image.Exif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns about every damaged tag; we just skip them
            return img.getexif()
    except Exception:  # corrupt EXIF: keep the photo, lose the metadata
        return Image.Exif()


def _ifd(exif: Image.Exif, ifd: int) -> dict:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return exif.get_ifd(ifd)
    except Exception:
        return {}


def _orientation(img: Image.Image) -> int | None:
    if img.format == "HEIF" and img.info.get("original_orientation") is not None:
        return img.info["original_orientation"]
    value = _exif(img).get(ExifTags.Base.Orientation)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _metadata(img: Image.Image) -> PhotoMetadata:
    exif = _exif(img)
    sub = _ifd(exif, ExifTags.IFD.Exif)
    return PhotoMetadata(
        position=_position(_ifd(exif, ExifTags.IFD.GPSInfo)),
        orientation=_orientation(img),
        taken_at=_taken_at(sub.get(ExifTags.Base.DateTimeOriginal), sub.get(ExifTags.Base.OffsetTimeOriginal)),
        make=_text(exif.get(ExifTags.Base.Make)),
        model=_text(exif.get(ExifTags.Base.Model)),
    )


def _text(value) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    return value.strip("\x00 \t\r\n") or None


def _taken_at(value, offset) -> str | None:
    text = _text(value)
    if text is None:
        return None
    try:
        # DateTimeOriginal is local time without zone; "0000:00:00 00:00:00" and blanks fail here.
        when = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    match = _OFFSET.fullmatch(_text(offset) or "")
    if match:
        sign = -1 if match[1] == "-" else 1
        delta = timedelta(hours=int(match[2]), minutes=int(match[3]))
        if delta < timedelta(hours=24):
            when = when.replace(tzinfo=timezone(sign * delta))
    return when.isoformat()


def _position(gps: dict) -> Position | None:
    """Signed decimal degrees, or None for a missing, empty, NaN, 0/0 or out-of-range fix;
    with the fix's accuracy (GPSHPositioningError) when the photo gives a sensible one."""
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "N", "S")
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "E", "W")
    if lat is None or lon is None:
        return None
    try:
        # refuses out of range and "null island" 0,0
        return Position(lat, lon, _accuracy(gps.get(ExifTags.GPS.GPSHPositioningError)))
    except ValueError:
        return None


def _accuracy(value) -> float | None:
    """GPSHPositioningError (one rational, metres) or None for a missing or senseless value:
    not a number, NaN (Pillow's x/0), infinite, zero or negative (a crafted SRATIONAL)."""
    if isinstance(value, tuple) and len(value) == 1:
        (value,) = value
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return None
    try:
        metres = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if not math.isfinite(metres) or metres <= 0:
        return None
    return round(metres, 2)  # centimetres: GPS accuracy is never finer


def _degrees(value, ref, positive: str, negative: str) -> float | None:
    ref = _text(ref)
    ref = ref.upper() if ref else None
    if ref not in (positive, negative):
        return None
    if isinstance(value, numbers.Real):  # some writers store plain decimal degrees
        value = (value,)
    if not isinstance(value, tuple) or not 1 <= len(value) <= 3:
        return None
    try:
        # (deg, min, sec) rationals; phones also write (deg, decimal minutes, 0).
        parts = [float(part) for part in value]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not all(math.isfinite(p) and p >= 0 for p in parts):
        return None  # Pillow turns 0/0 into NaN
    degrees = sum(p / 60**i for i, p in enumerate(parts))
    return -degrees if ref == negative else degrees


# ---------------------------------------------------------------- storage


TEMP_DIR = ".tmp"  # photo writes in progress: one folder, so a start-up sweep lists only it
STALE_TEMP_SECONDS = 60.0  # older than this, a temp file's writer is gone (an ingest takes < 1 s)


def temp_dir(photo_dir: Path) -> Path:
    return Path(photo_dir) / TEMP_DIR


def sweep_temp_files(photo_dir: Path, *, older_than: float = STALE_TEMP_SECONDS,
                     now: float | None = None) -> int:
    """At start: remove the temp files of photo writes cut by a crash (never renamed into
    place, so no event names them): those in the photo folder's temp folder older than
    `older_than` seconds (a writer in another process may be busy with a fresh one). One
    small folder is listed, however many photos there are. Returns how many went."""
    cutoff = (time.time() if now is None else now) - older_than
    removed = 0
    try:
        with os.scandir(temp_dir(photo_dir)) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):  # gone meanwhile
                    if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                        os.unlink(entry.path)
                        removed += 1
    except (FileNotFoundError, NotADirectoryError):
        pass
    return removed


def _store(photo_dir: Path, sha: str, photo_bytes: bytes, thumb_bytes: bytes) -> None:
    """Thumbnail first, photo last: a photo file on disk always has its thumbnail."""
    thumb_created = _write_atomic(photo_dir, thumb_path(photo_dir, sha), thumb_bytes)
    try:
        _write_atomic(photo_dir, photo_path(photo_dir, sha), photo_bytes)
    except BaseException:
        if thumb_created:
            with contextlib.suppress(OSError):
                thumb_path(photo_dir, sha).unlink()
        raise


def _write_atomic(photo_dir: Path, path: Path, data: bytes) -> bool:
    """Write atomically (fieldapp.durable, its temp file in `temp_dir`); False if the
    (content-addressed) file exists already."""
    if path.exists():
        return False
    _make_dirs(path.parent)
    _make_dirs(temp_dir(photo_dir))
    write_file(path, data, temp_dir=temp_dir(photo_dir))
    return True


def _make_dirs(directory: Path) -> None:
    if directory.is_dir():
        return
    _make_dirs(directory.parent)
    with contextlib.suppress(FileExistsError):  # a concurrent ingest made it; a file there fails below
        directory.mkdir()
    if not directory.is_dir():
        raise NotADirectoryError(f"not a directory: {directory}")
    fsync_dir(directory.parent)  # make the new directory entry durable too

