"""The rules file: the 2022 plan loads; a broken file fails naming the field."""

import tomllib
from decimal import Decimal

import pytest

from fieldapp.domain.rules import RulesError, parse_rules
from fieldapp.rules import load_rules_file, rules_path


def test_2022_plan_has_what_the_plan_says(rules):
    assert rules.year == 2022
    assert len(rules.communities) == 4
    groups = [c.group for c in rules.categories]
    assert groups.count("五脏") == 5 and groups.count("五乱") == 5
    a, b, c, d, e = (rules.source(x) for x in "ABCDE")
    assert (a.base, a.further, b.base, b.further) == (2, 2, 1, 1)
    assert (c.base, c.further, d.base, d.further, e.base) == (0, Decimal("0.5"), 0, Decimal("0.1"), Decimal("0.1"))
    assert a.exemptible and b.exemptible and not c.exemptible
    assert {x.code: x.points for x in rules.bonuses} == {"M1": 5, "M2": 3, "M3": 1, "P1": 3, "P2": 2, "P3": 1}
    assert (rules.weights.superior, rules.weights.office, rules.weights.satisfaction) == (
        Decimal("0.4"), Decimal("0.2"), Decimal("0.4"))
    assert rules.satisfied_answers == {"满意", "基本满意"}
    assert rules.recurrence_radius_m == 30 and rules.recurrence_deduction == 2
    assert {r.name: r.deposit for r in rules.fund_roles}["办事处书记"] == 500
    assert rules.time_zone == "Asia/Shanghai"


def _plan():
    return tomllib.loads(rules_path(2022).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "breakage, field",
    [
        (lambda d: d["weights"].pop("office"), "weights.office: missing"),
        (lambda d: d["weights"].update(office=0.3), "weights: superior + office + satisfaction"),
        (lambda d: d.update(time_zone="Mars/Olympus"), "time_zone: unknown time zone"),
        (lambda d: d["sources"][3].update(further="lots"), "sources[3].further: expected a number"),
        (lambda d: d["sources"][0].update(base=-1), "sources[0].base: expected a number ≥ 0"),
        (lambda d: d["sources"].pop(4), "sources: missing code(s) E"),
        (lambda d: d["communities"][1].update(code="C1"), "communities[1].code: duplicate code 'C1'"),
        (lambda d: d["categories"][2].update(group="六乱"), "categories[2].group"),
        (lambda d: d["categories"][0].pop("name"), "categories[0].name: missing"),
        (lambda d: d["satisfaction"].update(counted_as_satisfied=["很好"]), "satisfaction.counted_as_satisfied"),
        (lambda d: d["fund"]["roles"][0].update(deposit=True), "fund.roles[0].deposit"),
        (lambda d: d.update(due_soon_days=1.5), "due_soon_days: expected an integer"),
    ],
)
def test_a_broken_rules_file_names_the_field(breakage, field):
    data = _plan()
    breakage(data)
    with pytest.raises(RulesError) as err:
        parse_rules(data)
    assert field in str(err.value)


def test_not_toml_or_missing_file_names_the_file(tmp_path):
    bad = tmp_path / "2099.toml"
    bad.write_text("year = = 2099", encoding="utf-8")
    with pytest.raises(RulesError, match="2099.toml: not valid TOML"):
        load_rules_file(bad)
    with pytest.raises(RulesError, match="not found"):
        load_rules_file(tmp_path / "nope.toml")


def test_office_can_rename_a_community(tmp_path):
    text = rules_path(2022).read_text(encoding="utf-8").replace('name = "第一社区"', 'name = "环北社区"')
    path = tmp_path / "2022.toml"
    path.write_text(text, encoding="utf-8")
    assert load_rules_file(path).community("C1").name == "环北社区"
