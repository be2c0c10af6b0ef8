"""得分率 on cases computed by hand."""

from decimal import Decimal

from assessments.scoring import MET, NOT_APPLICABLE, NOT_MET, Observation, Rate, rates_by, results


def obs(standard, result, *, site="s1", unit="u1", site_type="市场", item="A", content="A1"):
    return Observation(standard, result, site=site, unit=unit, site_type=site_type, item=item, content=content)


def test_a_standards_rate_is_met_over_made():
    rows = [obs(1, MET), obs(1, MET, site="s2"), obs(1, NOT_MET, site="s3")]
    rate = rates_by(rows, lambda o: o.standard)[1]
    assert (rate.made, rate.met, rate.failed) == (3, 2, 1)
    assert rate.rate == Decimal("66.7")  # 2/3 = 66.666… rounded half up


def test_not_applicable_is_left_out_of_every_figure():
    rows = [obs(1, MET), obs(1, NOT_APPLICABLE, site="s2"), obs(2, NOT_APPLICABLE)]
    figures = results(rows)
    assert figures.by_standard[1] == Rate(1, 1)
    assert 2 not in figures.by_standard  # only 不适用: not observed at all
    assert figures.overall.rate == Decimal("100.0")


def test_a_group_with_nothing_observed_has_no_rate():
    assert Rate(0, 0).rate is None
    assert Rate(0, 0, Decimal(0), Decimal(0)).rate is None
    assert results([]).overall.rate is None


def test_unweighted_groups_count_observations():
    # Unit u1: standard 1 met at two sites, standard 2 failed at one: 2/3.
    # Unit u2: standard 1 failed: 0/1. Site type 市场 holds s1 and s2 (u1), 医院 s3 (u2).
    rows = [
        obs(1, MET, site="s1"),
        obs(1, MET, site="s2"),
        obs(2, NOT_MET, site="s1", item="B", content="B1"),
        obs(1, NOT_MET, site="s3", unit="u2", site_type="医院"),
    ]
    figures = results(rows)
    assert figures.by_unit["u1"].rate == Decimal("66.7")
    assert figures.by_unit["u2"].rate == Decimal("0.0")
    assert figures.by_site_type["市场"].rate == Decimal("66.7")
    assert figures.by_item["A"].rate == Decimal("66.7")  # standard 1: 2 of 3
    assert figures.by_item["B"].rate == Decimal("0.0")
    assert figures.overall.rate == Decimal("50.0")  # 2 of 4


def test_weighted_by_score_each_standard_earns_its_score_times_its_rate():
    # Standard 1 (分值 2) observed at 4 sites, 3 met: earns 2 × 3/4 = 1.5.
    # Standard 2 (分值 1) observed at 1 site, met: earns 1 × 1/1 = 1.
    # Points 2.5 of 3 available: 83.3 %, where counting observations would give 4/5 = 80 %.
    rows = [obs(1, MET, site=f"s{i}") for i in range(3)] + [obs(1, NOT_MET, site="s9"), obs(2, MET)]
    weights = {1: Decimal("2"), 2: Decimal("1")}
    figures = results(rows, weights=weights)
    assert figures.overall.points == Decimal("2.50")
    assert figures.overall.available == Decimal("3")
    assert figures.overall.rate == Decimal("83.3")
    assert results(rows).overall.rate == Decimal("80.0")
    # A standard's own rate is never weighted.
    assert figures.by_standard[1].rate == Decimal("75.0")


def test_weighted_groups_only_count_standards_observed_in_the_group():
    # u1 saw only standard 1 (分值 3), met: 100 %. u2 saw standard 1 failed and
    # standard 2 (分值 1) met: (3×0 + 1×1) / (3 + 1) = 25 %.
    rows = [obs(1, MET), obs(1, NOT_MET, site="s2", unit="u2"), obs(2, MET, site="s2", unit="u2")]
    figures = results(rows, weights={1: 3, 2: 1})
    assert figures.by_unit["u1"].rate == Decimal("100.0")
    assert figures.by_unit["u2"].rate == Decimal("25.0")


def test_points_are_not_rounded_before_the_rate():
    # 1 × 2/3 + 1 × 1 = 1.666… points of 2: 83.3 %, where 1.67 / 2 would give 83.5 %.
    rows = [obs(1, MET), obs(1, MET, site="s2"), obs(1, NOT_MET, site="s3"), obs(2, MET)]
    overall = results(rows, weights={1: 1, 2: 1}).overall
    assert overall.rate == Decimal("83.3")
    assert overall.points_shown == Decimal("1.67")


def test_a_standard_without_a_score_weighs_nothing_in_a_weighted_system():
    rows = [obs(1, NOT_MET), obs(2, MET)]
    figures = results(rows, weights={1: None, 2: Decimal("5")})
    assert figures.overall.rate == Decimal("100.0")
    assert figures.overall.made == 2  # still counted as observed
