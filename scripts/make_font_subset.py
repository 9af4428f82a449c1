#!/usr/bin/env python3
"""Cut Noto Sans SC Regular down to the characters the phone app needs.

Flutter's web renderer ignores system fonts, so Chinese text shows as empty boxes
unless the app bundles a CJK font. The full Noto Sans SC TTF is 10.5 MB; this keeps:

* every character of GB2312 (levels 1 and 2: 6 763 hanzi, plus its symbols,
  full-width forms, kana, Greek, Cyrillic, box drawing…), found by decoding all of
  its double-byte code points;
* CJK Symbols and Punctuation, Halfwidth and Fullwidth Forms, General Punctuation;
* ASCII and Latin-1;
* a few common symbols (→ ✓ ✗ · — … ℃ №);
* every non-ASCII character in ``fieldapp/ui/**/*.py``, ``fieldapp/text/*.py`` and ``fieldapp/office/*.py``
  (above all the words: ``ui/strings.py``, ``text/common.py``, ``office/words.py``)
  and in the text files of ``assets/rules/``.

Usage (dev-only dependency: ``pip install fonttools``)::

    python scripts/make_font_subset.py                 # fetch the font with `npm pack`
    python scripts/make_font_subset.py --source NotoSansSC_400Regular.ttf

Output: ``assets/fonts/NotoSansSC-Subset.ttf``. The result is deterministic for a
given source font and character set.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "assets" / "fonts" / "NotoSansSC-Subset.ttf"
NPM_PACKAGE = "@expo-google-fonts/noto-sans-sc@0.4.3"
NPM_FONT_PATH = "package/400Regular/NotoSansSC_400Regular.ttf"
SCANNED_SOURCES = [
    (REPO / "fieldapp" / "ui", "*.py"),
    (REPO / "fieldapp" / "text", "*.py"),
    (REPO / "fieldapp" / "office", "*.py"),
    (REPO / "assets" / "rules", "*"),
]
# ✗ ✔ ✘ ✕ are NOT in Noto Sans SC: use ✓ and × (they are) in the UI.
EXTRA_SYMBOLS = "→←↑↓✓✗·—–…℃№×÷±°※★☆●○■□▲△◆◇⚠①②③④⑤⑥⑦⑧⑨⑩"
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
MAX_BYTES = 5 * 1024 * 1024


def gb2312_chars() -> set[str]:
    """All characters of GB2312: decode every double-byte code point (rows A1–F7)."""
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def scanned_chars() -> set[str]:
    """Non-ASCII characters used in the UI source and the rules files."""
    chars: set[str] = set()
    for folder, pattern in SCANNED_SOURCES:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob(pattern)):
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            chars.update(c for c in text if ord(c) > 0x7F and c.isprintable())
    return chars


def wanted_chars() -> set[str]:
    chars = gb2312_chars() | scanned_chars() | set(EXTRA_SYMBOLS)
    for lo, hi in RANGES:
        chars.update(chr(cp) for cp in range(lo, hi + 1))
    return chars


def fetch_from_npm(workdir: Path) -> Path:
    """`npm pack` the Expo Google Fonts package and extract the Regular TTF."""
    subprocess.run(["npm", "pack", NPM_PACKAGE, "--silent"], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    tarball = next(workdir.glob("*.tgz"))
    with tarfile.open(tarball) as tar:
        member = tar.getmember(NPM_FONT_PATH)
        member.name = "NotoSansSC_400Regular.ttf"
        tar.extract(member, workdir, filter="data")
    return workdir / "NotoSansSC_400Regular.ttf"


def absent(source: Path, chars: set[str]) -> list[str]:
    """The characters of `chars` that the font has no glyph for."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(source, lazy=True).getBestCmap()
    return sorted(c for c in chars if ord(c) not in cmap and not c.isspace())


def make_subset(source: Path, out: Path, chars: set[str]) -> int:
    """Write the subset of `source` covering `chars` to `out`; return the glyph count."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]   # keep ccmp, locl, vert, kern… (small for CJK)
    options.name_IDs = ["*"]          # keep copyright / licence records (OFL)
    options.name_languages = ["*"]
    options.hinting = False           # Flutter web does not use TrueType hinting
    options.notdef_outline = True
    options.recalc_timestamp = False  # reproducible output
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    subset.save_font(font, str(tmp), options)
    tmp.replace(out)
    return len(font.getGlyphOrder())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path,
                        help="NotoSansSC Regular TTF (default: fetch %s with npm)" % NPM_PACKAGE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    chars = wanted_chars()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or fetch_from_npm(Path(tmp))
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        glyphs = make_subset(source, args.out, chars)
        used_absent = absent(source, scanned_chars())
        extra_absent = absent(source, set(EXTRA_SYMBOLS))

    size = args.out.stat().st_size
    print(f"source  {source.name} sha256={digest}")
    print(f"wanted  {len(chars)} characters; {glyphs} glyphs kept")
    if extra_absent:
        print(f"note    symbols the font lacks (do not use them): {''.join(extra_absent)}")
    print(f"wrote   {args.out} ({size:,} bytes, {size / 1048576:.2f} MiB)")
    if used_absent:
        print("ERROR: the UI or the rules use characters the font lacks (they would show"
              f" as boxes): {''.join(used_absent)}", file=sys.stderr)
        return 1
    if size > MAX_BYTES:
        print(f"ERROR: larger than {MAX_BYTES:,} bytes", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
