"""The demo data shows a living app: every community, every kind of status, photos on disk."""

from fieldapp.demo import fill_demo
from fieldapp.photos import photo_path, thumb_path


def test_demo_fills_every_community_with_cases_in_many_states(store, tmp_path, now):
    made = fill_demo(store, tmp_path / "photos", now, cases=40)
    counts = store.status_counts(now)
    assert made == 40
    assert all(sum(per.values()) >= 5 for per in counts.values())
    seen = {status for per in counts.values() for status, n in per.items() if n}
    assert {"overdue", "rectified_on_time", "open"} <= seen
    for row in store.cases(now, limit=100):
        assert photo_path(tmp_path / "photos", row.thumb).exists()
        assert thumb_path(tmp_path / "photos", row.thumb).exists()
    assert store.survey_count() == 30
