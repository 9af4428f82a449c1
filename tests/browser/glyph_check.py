"""Helpers for the glyph-stability tests (issue 12 §1; docs/fonts.md).

`FontWatch` records what a page asks the network for; `label_crops` screenshots the
page once it has settled and cuts out the boxes of fixed labels (found by their
accessibility nodes). A render with a dropped or overlapped glyph differs from the
first render in those pixels.

Imported by tests/browser/test_glyphs.py and tests/office/test_dashboard_glyphs.py
(``from glyph_check import ...``).
"""

from __future__ import annotations

import io
import json
import os
import re
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO / "tests" / "screenshots"   # git-ignored
FLET_WEB = Path(__import__("flet_web").__file__).resolve().parent / "web"
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
#: Loads compared per check (the issue asks ≥ 20); GLYPH_RENDERS=100 makes a stress run (docs/fonts.md).
RENDERS = int(os.environ.get("GLYPH_RENDERS", 20))
#: One stray CDN request Flet makes even with no_cdn (an animation runtime): not a font.
KNOWN_STRAY = ("cdn.jsdelivr.net/npm/@rive-app/",)


class FontWatch:
    """Every request and failed response of a page, with the font-related ones picked out."""

    def __init__(self, page, local_prefix: str):
        self.local = local_prefix
        self.requests: list[str] = []
        self.bad: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: r.status >= 400 and self.bad.append(f"{r.status} {r.url}"))
        page.on("requestfailed", lambda r: self.requests.append(r.url))

    def problems(self) -> list[str]:
        """Font requests that failed or left the machine, any 4xx/5xx answer, and any font
        fallback fetch: text laid out with a family lacking its characters (docs/fonts.md)."""
        out = list(self.bad)
        out += [f"font fallback fetched {url}" for url in self.requests if "fallback=" in url]
        for url in self.requests:
            if url.startswith(self.local) or url.startswith("data:") or url.startswith("blob:"):
                continue
            if any(s in url for s in KNOWN_STRAY):
                continue
            out.append(f"non-local request {url}")
        return out

    def font_requests(self) -> list[str]:
        return [u for u in self.requests if urlparse(u).path.lower().endswith(FONT_SUFFIXES)
                or "fallback=" in u or "fonts.g" in u]


def node_boxes(page, locators: dict) -> dict[str, dict]:
    """Bounding boxes (CSS px) of accessibility nodes: name -> {x, y, width, height}.

    `locators` maps a name to a CSS selector or to ``f(page) -> Locator``."""
    boxes = {}
    for name, target in locators.items():
        loc = (target(page) if callable(target) else page.locator(target)).first
        loc.wait_for(state="attached", timeout=15_000)
        box = loc.bounding_box()
        view = page.viewport_size
        assert box and box["width"] > 2 and box["height"] > 2, f"{name}: no box ({box})"
        assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= view["width"] \
            and box["y"] + box["height"] <= view["height"], f"{name} is not on screen: {box}"
        boxes[name] = box
    return boxes


def settled(page, clip: dict | None = None, timeout: float = 15.0, interval: float = 0.1) -> bytes:
    """A screenshot taken once two consecutive ones are identical."""
    deadline = time.monotonic() + timeout
    previous = page.screenshot(clip=clip, animations="disabled")
    while True:
        time.sleep(interval)
        current = page.screenshot(clip=clip, animations="disabled")
        if current == previous:
            return current
        if time.monotonic() > deadline:
            raise AssertionError(f"screen still changing after {timeout} s")
        previous = current


def label_crops(page, boxes: dict[str, dict], scale: float) -> dict:
    """Settled pixels of each box (PIL RGB images, device pixels)."""
    from PIL import Image

    deadline = time.monotonic() + 15
    while True:
        shot = Image.open(io.BytesIO(settled(page))).convert("RGB")
        crops = {}
        for name, b in boxes.items():
            left, top = round(b["x"] * scale), round(b["y"] * scale)
            right, bottom = round((b["x"] + b["width"]) * scale), round((b["y"] + b["height"]) * scale)
            crops[name] = shot.crop((left, top, right, bottom))
        # Flutter may show a still, empty frame before its first real paint: wait for ink
        blank = [n for n, c in crops.items() if min(c.convert("L").getextrema()[0], 255) > 128]
        if not blank:
            return crops
        if time.monotonic() > deadline:
            raise AssertionError(f"labels never drawn: {blank}")
        time.sleep(0.2)


def differing(reference: dict, current: dict, save_as: str = "") -> list[str]:
    """Names whose pixels differ; with `save_as`, both versions go to tests/screenshots/."""
    names = sorted(k for k in reference
                   if k not in current or reference[k].tobytes() != current[k].tobytes())
    if names and save_as:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        for k in names:
            safe = re.sub(r"[^\w.\-]+", "_", k)
            reference[k].save(SCREENSHOT_DIR / f"FAILED-{save_as}-{safe}-first.png")
            if k in current:
                current[k].save(SCREENSHOT_DIR / f"FAILED-{save_as}-{safe}-now.png")
    return names


def check_render(reference: dict | None, crops: dict, problems: list[str], n: int, name: str) -> dict:
    """One render judged: no font or network problem, and (after the first, which becomes the
    reference and is returned) the same pixels as the first render for every label."""
    assert not problems, f"render {n}: font/network problems:\n" + "\n".join(problems[:20])
    if reference is None:
        return crops
    bad = differing(reference, crops, save_as=f"glyphs-{name}-{n}")
    assert not bad, f"render {n}: pixels of {bad} differ from the first render"
    return reference


# --- the overrides of Flet's web files (assets/index.html, assets/assets/FontManifest.json) ---

def expected_font_manifest() -> list:
    """Flet's own FontManifest.json plus the bundled CJK family (fieldapp.ui.theme)."""
    from fieldapp.text.theme import FONT_ASSET, FONT_FAMILY

    manifest = json.loads((FLET_WEB / "assets" / "FontManifest.json").read_text(encoding="utf-8"))
    return manifest + [{"family": FONT_FAMILY, "fonts": [{"asset": f"../{FONT_ASSET}"}]}]
