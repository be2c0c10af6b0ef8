"""得分率: the arithmetic of a mock assessment (模拟测评), with no database.

An observation is one standard (测评标准) checked at one sampled site: 达标 (met),
不达标 (not met) or 不适用 (the standard does not apply at that site; such an
observation is left out of every figure, as the 操作手册 leaves it out).

- **A standard's 得分率** is its observations met over its observations made.
- **A group's 得分率** (a 测评项目, a 测评内容, a responsible unit, a 点位类型, the
  whole assessment) is, when the system does not weigh by 分值, the
  observations met over the observations made in the group; when it weighs by
  分值 (the national way: each standard earns its 分值 times its 得分率), it is
  the points earned over the points available:

      Σ 分值(s) × met(s, group) / made(s, group)
      ──────────────────────────────────────────   over the standards s observed in the group
      Σ 分值(s)

  so a standard observed at many sites does not outweigh one observed at few.
  A standard without a 分值 weighs 0 in a weighted system.
- A group where nothing was observed has no 得分率 (None), never 0 %.
- **Over several assessments** (a unit's 模拟测评得分率 in an evaluation), the
  assessments' rates are pooled (`pooled`): points earned over points
  available, each summed over the assessments.

Rates are Decimals in percent with one decimal, rounded half up, from unrounded points.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MET = "met"
NOT_MET = "not_met"
NOT_APPLICABLE = "na"

TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Observation:
    """What the arithmetic needs of one observation."""

    standard: object  # the standard's key (its id)
    result: str  # MET, NOT_MET or NOT_APPLICABLE
    site: object = None
    unit: object = None  # the site's responsible unit
    site_type: object = None
    item: object = None  # the standard's 测评项目
    content: object = None  # the standard's 测评内容


@dataclass(frozen=True)
class Rate:
    made: int  # observations made (不适用 left out)
    met: int
    points: Decimal = None  # weighted systems: points earned (full precision; `points_shown` rounds)
    available: Decimal = None  # weighted systems: points available

    @property
    def rate(self):
        """得分率 in percent, one decimal; None when nothing was observed."""
        if self.available is not None:
            if not self.available:
                return None
            return (self.points * 100 / self.available).quantize(TENTH, ROUND_HALF_UP)
        if not self.made:
            return None
        return (Decimal(self.met) * 100 / self.made).quantize(TENTH, ROUND_HALF_UP)

    @property
    def points_shown(self):
        return None if self.points is None else self.points.quantize(HUNDREDTH, ROUND_HALF_UP)

    @property
    def failed(self):
        return self.made - self.met

    @property
    def fraction(self):
        """(earned, available) the rate divides: points in a weighted system,
        observations met and made otherwise."""
        if self.available is not None:
            return self.points, self.available
        return Decimal(self.met), Decimal(self.made)


def pooled(rates):
    """One Rate of several assessments' Rates of a group (a unit's over the
    mock assessments of a month): the earned over the available, summed, so
    that each assessment counts by what was observed in it. An unweighted
    assessment's observations count one point each beside a weighted one's."""
    rates = list(rates)
    made = sum(r.made for r in rates)
    met = sum(r.met for r in rates)
    if all(r.available is None for r in rates):
        return Rate(made, met)
    return Rate(made, met, sum((r.fraction[0] for r in rates), Decimal(0)), sum((r.fraction[1] for r in rates), Decimal(0)))


def _weighted(counts, weights):
    """A group's Rate from {standard: [made, met]} with 分值 weights."""
    made = sum(m for m, _ in counts.values())
    met = sum(k for _, k in counts.values())
    points = Decimal(0)
    available = Decimal(0)
    for standard, (standard_made, standard_met) in counts.items():
        if not standard_made:
            continue
        weight = Decimal(weights.get(standard) or 0)
        points += weight * standard_met / standard_made
        available += weight
    # Points keep their full precision: rounding them first would move the rate (2.67 / 2 is 83.5 %, not 83.3 %).
    return Rate(made, met, points, available)


def rates_by(observations, key, *, weights=None):
    """{group: Rate} for the groups `key(observation)` names (None: left out).

    `weights` ({standard: 分值}) makes the rates weighted, see above."""
    groups = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for observation in observations:
        if observation.result == NOT_APPLICABLE:
            continue
        group = key(observation)
        if group is None:
            continue
        counts = groups[group][observation.standard]
        counts[0] += 1
        counts[1] += observation.result == MET
    result = {}
    for group, counts in groups.items():
        if weights is not None:
            result[group] = _weighted(counts, weights)
        else:
            result[group] = Rate(sum(m for m, _ in counts.values()), sum(k for _, k in counts.values()))
    return result


@dataclass
class Results:
    overall: Rate
    by_standard: dict
    by_item: dict
    by_content: dict
    by_unit: dict
    by_site_type: dict


def results(observations, *, weights=None):
    """Every 得分率 a mock assessment publishes, in one pass per grouping."""
    observations = list(observations)
    whole = rates_by(observations, lambda o: True, weights=weights)
    return Results(
        overall=whole.get(True, Rate(0, 0, *((Decimal(0), Decimal(0)) if weights is not None else ()))),
        by_standard=rates_by(observations, lambda o: o.standard),
        by_item=rates_by(observations, lambda o: o.item, weights=weights),
        by_content=rates_by(observations, lambda o: o.content, weights=weights),
        by_unit=rates_by(observations, lambda o: o.unit, weights=weights),
        by_site_type=rates_by(observations, lambda o: o.site_type, weights=weights),
    )
