"""The 通报 pack for a big year: time against the .xlsx report, and bounded memory.

    .venv/bin/python bench/bulletin.py [--cases 10000]

An office folder with a year of N cases (default 10,000) in the four communities, every one
of them a deduction line (D cases past their deadline: half never rectified, half rectified
late with an after photo; one in 20 an A case, verified and exempted), 2 photos each (20,000
for 10,000 cases) of which the office has only the thumbnails (320 px JPEGs, each different).
Then, in this process:

- baseline: score the year and write the `.xlsx` report (`office score --xlsx`);
- the pack: score the year and write every PDF of the 通报 (`office bulletin --out DIR`), each
  file written atomically as it is finished;
- the pack again under tracemalloc: its peak of Python memory, beside the total size of the
  PDFs it wrote (memory is bounded by one volume of `MAX_CASES_PER_FILE` cases, not the year).

Prints the times, their ratio, the peak memory and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image  # noqa: E402

from fieldapp.domain.events import (  # noqa: E402
    CaseExempted,
    CaseRechecked,
    CaseRegistered,
    CaseVerified,
    PhotoAdded,
    new_event,
    new_id,
)
from fieldapp.domain.geo import Position  # noqa: E402
from fieldapp.domain.scoring import evaluation_instant, score_year  # noqa: E402
from fieldapp.durable import write_file  # noqa: E402
from fieldapp.office import bulletin  # noqa: E402
from fieldapp.office.report import write_xlsx  # noqa: E402
from fieldapp.photos import thumb_path  # noqa: E402
from fieldapp.rules import load_rules  # noqa: E402
from sync.storage import office_photo_dir, open_office  # noqa: E402

UTC = timezone.utc


def thumbnail_bytes(rng: random.Random) -> bytes:
    """A 320×240 JPEG unlike any other (coarse noise over a colour wash: ~10–20 KB, like a scene's)."""
    small = Image.frombytes("RGB", (40, 30), rng.randbytes(40 * 30 * 3))
    wash = Image.new("RGB", (40, 30), tuple(rng.randrange(256) for _ in range(3)))
    img = Image.blend(small, wash, 0.5).resize((320, 240), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def fill(data_dir: Path, rules, cases: int) -> int:
    rng = random.Random(11)
    photo_dir = office_photo_dir(data_dir)
    communities = [c.code for c in rules.communities]
    categories = [c.code for c in rules.categories]
    events, photos = [], 0
    with open_office(data_dir, rules) as store:
        for i in range(cases):
            found = datetime(2022, 1, 3, 2, tzinfo=UTC) + timedelta(minutes=(i * 50) % (340 * 24 * 60))
            at = found + timedelta(minutes=5)
            source = "A" if i % 20 == 0 else "D"
            case_id = new_id()
            reg = CaseRegistered(case_id, communities[i % len(communities)], categories[i % len(categories)], source,
                                 f"样例问题 {i}", f"建设路{i % 300}号", Position(34.26 + rng.random() / 100,
                                 108.95 + rng.random() / 100, 8.0), found, found.date() + timedelta(days=3), False)
            events.append(new_event(reg, actor="inspector-1", device="phone-1", now=at))
            shas = []
            for stage in ("before", "after"):
                data = thumbnail_bytes(rng)
                sha = "%064x" % rng.getrandbits(256)
                path = thumb_path(photo_dir, sha)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                shas.append(sha)
                photos += 1
            events.append(new_event(PhotoAdded(case_id, shas[0], shas[0], "before", 1600, 1200, 300_000, None, None),
                                    actor="inspector-1", device="phone-1", now=at))
            if i % 2:
                checked = found + timedelta(days=5)
                events.append(new_event(CaseRechecked(case_id, "rectified", checked, "已清理", (shas[1],)),
                                        actor="inspector-1", device="phone-1", now=checked))
            else:
                events.append(new_event(PhotoAdded(case_id, shas[1], shas[1], "before", 1600, 1200, 300_000, None, None),
                                        actor="inspector-1", device="phone-1", now=at))
            if source == "A":
                events.append(new_event(CaseVerified(case_id, "属实"), actor="office:wang", device="office", now=at))
                events.append(new_event(CaseExempted(case_id, "拆迁范围内"), actor="office:wang", device="office",
                                        now=at))
            if len(events) > 5000:
                store.append(events, assign_server_seq=True)
                events = []
        if events:
            store.append(events, assign_server_seq=True)
    return photos


def xlsx_run(data_dir: Path, rules, at, out: Path) -> float:
    start = time.perf_counter()
    with open_office(data_dir, rules) as store:
        result = score_year(rules, store.events(), at)
    write_xlsx(result, rules, out)
    return time.perf_counter() - start


def pack_run(data_dir: Path, rules, period, out: Path) -> tuple[float, list[str], int]:
    sizes = []

    def sink(name: str, data: bytes) -> None:
        sizes.append(len(data))
        write_file(out / name, data)

    start = time.perf_counter()
    with open_office(data_dir, rules) as store:
        names = bulletin.write_pack(store, rules, period, office_photo_dir(data_dir), sink, today=date(2023, 1, 5))
    return time.perf_counter() - start, names, sum(sizes)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    rules = load_rules(2022)
    with tempfile.TemporaryDirectory(prefix="fieldapp-bench-bulletin-") as tmp:
        data_dir = Path(tmp) / "office"
        t = time.perf_counter()
        photos = fill(data_dir, rules, args.cases)
        print(f"year: {args.cases} cases, {photos} photos (thumbnails only); made in {time.perf_counter() - t:.1f} s")
        at = evaluation_instant(rules, as_of=date(2022, 12, 31))
        period = bulletin.bulletin_period(rules, as_of=date(2022, 12, 31))
        xlsx_s = xlsx_run(data_dir, rules, at, Path(tmp) / "report.xlsx")
        out = Path(tmp) / "pack"
        out.mkdir()
        pack_s, names, total = pack_run(data_dir, rules, period, out)
        print(f"report .xlsx (score + write):        {xlsx_s:6.2f} s")
        print(f"通报 pack (score + {len(names)} PDFs, {total / 1e6:.0f} MB): {pack_s:6.2f} s")
        print(f"ratio pack / xlsx report: {pack_s / xlsx_s:.1f}x")
        for f in out.iterdir():
            f.unlink()
        tracemalloc.start()
        pack_run(data_dir, rules, period, out)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak Python memory while writing the pack (tracemalloc): {peak / 1e6:.0f} MB "
              f"= {peak / total:.2f} of the PDFs' {total / 1e6:.0f} MB; largest file "
              f"{max(f.stat().st_size for f in out.iterdir()) / 1e6:.0f} MB")  # fmt: skip
        print(f"peak RSS of this process (everything above): {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
