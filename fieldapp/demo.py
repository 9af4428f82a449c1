"""Fill a store with a living sample: cases across the communities in every state, with photos.

Used by trial mode (试用, fieldapp/ui/trial.py: `--demo`, or 先试用 on the first-run screen) in a
data folder of its own, so that a newcomer sees a working app, and by benchmarks. Every event
carries a trial id (``trial-…``), which no office takes.
Photos are drawn here (a street scene in flat colours), so nothing is fetched.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

from fieldapp.casework import Casework
from fieldapp.domain import commands as cmd
from fieldapp.domain.geo import Position
from fieldapp.maps.sample import QUADRANTS
from fieldapp.store import Store

CENTRE = Position(34.7466, 113.6253)  # an office somewhere in Henan
NOTES = {
    "Z1": ["垃圾桶满溢未清运", "路口积存生活垃圾"],
    "Z2": ["楼道堆放杂物", "背街小巷卫生死角"],
    "Z3": ["菜市场污水横流", "摊位周边垃圾散落"],
    "Z4": ["排水沟淤积", "河道漂浮垃圾"],
    "Z5": ["建筑渣土乱堆", "渣土车撒漏"],
    "L1": ["屋顶违章搭建", "围墙外私搭棚子"],
    "L2": ["电线杆小广告", "墙面乱涂乱画"],
    "L3": ["店外占道经营", "人行道杂物乱放"],
    "L4": ["非机动车乱停", "机动车占用盲道"],
    "L5": ["乱倒污水", "随手乱扔垃圾"],
}
#: The sample's inspectors: trial ids (sync.protocol.is_trial_id: never taken by an office) and
#: the names the screens show for them (kept as the trial store's people directory).
SAMPLE_PEOPLE = {"trial-inspector-1": "王明（示例）", "trial-inspector-2": "李娜（示例）",
                 "trial-inspector-3": "赵强（示例）"}
PLACES = ["建设路", "人民路", "文化街", "新华路", "解放路", "东风巷", "金水路", "菜市场北口"]


def scene_photo(rng: random.Random, after: bool = False) -> bytes:
    """A 1200×900 JPEG: sky, road, a building, and (before) a heap of rubbish."""
    img = Image.new("RGB", (1200, 900), (135, 180, 225))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 560, 1200, 900], fill=(110, 110, 115))
    x = rng.randint(50, 600)
    d.rectangle([x, 200, x + 420, 560], fill=(rng.randint(150, 220), rng.randint(120, 180), 120))
    for wx in range(x + 30, x + 400, 90):
        d.rectangle([wx, 250, wx + 50, 320], fill=(60, 80, 110))
    if not after:
        hx = rng.randint(100, 900)
        for _ in range(25):
            cx, cy = hx + rng.randint(-90, 90), 640 + rng.randint(-40, 60)
            r = rng.randint(15, 45)
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(rng.randint(40, 120), rng.randint(60, 100), 40))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def near(rng: random.Random, metres: float, community: str | None = None) -> Position:
    """A fix within `metres` of the centre; with `community`, inside that community's area of the
    sample boundaries (fieldapp/maps/sample.py: the quadrant beside the two main roads)."""
    north, east = rng.uniform(-metres, metres), rng.uniform(-metres, metres)
    quadrant = QUADRANTS.get(community or "")
    if quadrant is not None:  # folded into the quadrant, kept 30 m off the roads that part them
        east = quadrant[0] * (30 + abs(east) * 0.95)
        north = quadrant[1] * (30 + abs(north) * 0.95)
    return Position(
        CENTRE.lat + north / 111_000,
        CENTRE.lon + east / 91_300,
        round(rng.uniform(4, 25), 1),
    )


def fill_demo(store: Store, photo_dir: Path, now: datetime, *, cases: int = 48, seed: int = 2022) -> int:
    """Register `cases` cases over the last three weeks; returns how many were made."""
    rng = random.Random(seed)
    rules = store.rules
    inspectors = [cmd.Actor(actor, f"trial-phone-{i}") for i, actor in enumerate(SAMPLE_PEOPLE, start=1)]
    made = 0
    for i in range(cases):
        found = now - timedelta(days=rng.randint(0, 21), hours=rng.randint(0, 8))
        clock = {"now": found}
        who = inspectors[i % len(inspectors)]
        work = Casework(store, photo_dir, who, lambda: clock["now"])
        category = rng.choice(rules.categories).code
        days = rng.choice([2, 3, 5, 7, 10, 14, 21, 30])
        community = rules.communities[i % len(rules.communities)].code
        saved = work.register(
            community=community,
            category=category,
            photos=[scene_photo(rng)],
            note=rng.choice(NOTES.get(category, ["发现问题"])),
            place=f"{rng.choice(PLACES)}{rng.randint(1, 200)}号",
            position=near(rng, 800, community),
            deadline=found.astimezone(rules.tz).date() + timedelta(days=days),
            unannounced=rng.random() < 0.3,
        )
        made += 1
        fate = rng.random()
        if fate < 0.45:  # rectified, sometimes late
            clock["now"] = min(found + timedelta(days=rng.randint(0, days + 4), hours=2), now)
            work.recheck(saved.case_id, rectified=True, photos=[scene_photo(rng, after=True)], note="已清理")
        elif fate < 0.55:
            clock["now"] = min(found + timedelta(days=1), now)
            work.recheck(saved.case_id, rectified=False, photos=[scene_photo(rng)], note="仍未整改")
        elif fate < 0.6:
            work.void(saved.case_id, "重复登记")
    clock = {"now": now}
    survey = Casework(store, photo_dir, inspectors[0], lambda: clock["now"])
    for i in range(30):
        survey.answer_survey(rules.communities[i % 4].code, rng.choice(["满意", "满意", "基本满意", "不满意"]))
    return made
