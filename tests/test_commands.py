"""What an inspector or the office may ask for, and the clear refusals."""

from datetime import date, timedelta

import pytest

from fieldapp.domain import commands as cmd
from fieldapp.domain.geo import Position
from fieldapp.domain.projection import project_case


def register(rules, who, now, **kw):
    kw.setdefault("community", "C1")
    kw.setdefault("category", "L1")
    kw.setdefault("place", "建设路12号")
    return cmd.register_case(rules, who, now, **kw)


def test_default_deadline_comes_from_the_source(rules, inspector, office, now):
    d = register(rules, inspector, now).data
    assert d.deadline == date(2022, 6, 4)  # D: 3 days from 1 June (local)
    a = register(rules, office, now, source="A").data
    assert a.deadline == date(2022, 6, 8)  # A: 7 days


@pytest.mark.parametrize(
    "kw, code",
    [
        ({"deadline": date(2022, 5, 31)}, "deadline_in_past"),
        ({"community": "C9"}, "unknown_community"),
        ({"category": "X1"}, "unknown_category"),
        ({"source": "Q"}, "unknown_source"),
        ({"place": "  ", "position": None}, "no_location"),
        ({"note": "长" * 3000}, "invalid"),
    ],
)
def test_bad_registrations_are_refused_with_a_reason(rules, inspector, now, kw, code):
    with pytest.raises(cmd.CommandError) as err:
        register(rules, inspector, now, **kw)
    assert err.value.code == code


def test_today_is_an_allowed_deadline_in_local_time(rules, inspector, now):
    # 23:30 UTC on 1 June is already 2 June in Shanghai: 1 June is then in the past.
    late_evening = now.replace(hour=23, minute=30)
    assert register(rules, inspector, late_evening, deadline=date(2022, 6, 2)).data.deadline == date(2022, 6, 2)
    with pytest.raises(cmd.CommandError, match="past"):
        register(rules, inspector, late_evening, deadline=date(2022, 6, 1))


def test_position_alone_is_enough(rules, inspector, now):
    e = register(rules, inspector, now, place="", position=Position(34.7, 113.6, 12))
    assert e.data.position.accuracy_m == 12


def test_actions_on_a_closed_case_are_refused(rules, inspector, office, now):
    reg = register(rules, inspector, now)
    s = project_case([reg], rules.tz)
    done = cmd.recheck(s, inspector, now + timedelta(hours=2), rectified=True)
    closed = project_case([reg, done], rules.tz)
    with pytest.raises(cmd.CommandError) as err:
        cmd.recheck(closed, inspector, now, rectified=True)
    assert err.value.code == "already_rectified"
    voided = project_case([reg, cmd.void(s, inspector, now, reason="录错了")], rules.tz)
    for action in (
        lambda: cmd.recheck(voided, inspector, now, rectified=True),
        lambda: cmd.void(voided, inspector, now, reason="again"),
        lambda: cmd.change_deadline(voided, rules, office, now, deadline=date(2022, 7, 1), reason="x"),
    ):
        with pytest.raises(cmd.CommandError) as err:
            action()
        assert err.value.code == "case_voided"


def test_reasons_are_required(rules, inspector, office, now):
    s = project_case([register(rules, inspector, now)], rules.tz)
    with pytest.raises(cmd.CommandError, match="reason"):
        cmd.void(s, inspector, now, reason=" ")
    with pytest.raises(cmd.CommandError, match="reason"):
        cmd.change_deadline(s, rules, office, now, deadline=date(2022, 7, 1), reason="")


def test_recheck_times_must_be_plausible(rules, inspector, now):
    s = project_case([register(rules, inspector, now)], rules.tz)
    with pytest.raises(cmd.CommandError) as err:
        cmd.recheck(s, inspector, now, rectified=True, checked_at=now + timedelta(days=1))
    assert err.value.code == "time_in_future"
    with pytest.raises(cmd.CommandError) as err:
        cmd.recheck(s, inspector, now, rectified=True, checked_at=now - timedelta(days=1))
    assert err.value.code == "before_found"


def test_only_a_and_b_cases_can_be_exempted(rules, inspector, office, now):
    d_case = project_case([register(rules, inspector, now)], rules.tz)
    with pytest.raises(cmd.CommandError) as err:
        cmd.exempt(d_case, rules, office, now, reason="拆迁")
    assert err.value.code == "not_exemptible"
    a_case = project_case([register(rules, office, now, source="A")], rules.tz)
    assert cmd.exempt(a_case, rules, office, now, reason="拆迁").data.reason == "拆迁"


def test_survey_answers_are_checked(rules, inspector, now):
    e = cmd.answer_survey(rules, inspector, now, community="C3", answer="基本满意", comment="路面干净多了")
    assert (e.data.community, e.data.answer) == ("C3", "基本满意")
    with pytest.raises(cmd.CommandError) as err:
        cmd.answer_survey(rules, inspector, now, community="C3", answer="还行")
    assert err.value.code == "unknown_answer"
