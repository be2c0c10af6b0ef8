"""The office writes each indicator's sentence for the year-end report, and
pairs a completed count with its assigned count for a rate."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from campaigns.tests.factories import CampaignFactory
from tasks.models import Indicator, figure, percent
from tasks.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def errors(indicator):
    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()
    return caught.value.message_dict


def test_sentence_pattern_is_written_with_the_total():
    indicator = IndicatorFactory(sentence_pattern="开展普法宣传活动{value}场")
    indicator.full_clean()
    assert indicator.sentence(Decimal("22.00")) == "开展普法宣传活动22场"
    assert indicator.sentence(Decimal("98.50")) == "开展普法宣传活动98.5场"
    assert indicator.sentence(None) == ""


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("开展普法宣传活动场", "句式中必须包含 {value}"),
        ("开展{count}场", "{count} 无法识别"),
        ("开展{value}场，{value2}人", "{value2} 无法识别"),
        ("开展{value场", "不成对的大括号"),
        ("开展{value}}场", "不成对的大括号"),
    ],
)
def test_sentence_pattern_with_other_placeholders_is_refused(pattern, message):
    indicator = IndicatorFactory.build(campaign=CampaignFactory(), sentence_pattern=pattern)
    assert message in errors(indicator)["sentence_pattern"][0]


def test_rate_needs_a_denominator_of_the_same_campaign():
    assigned = IndicatorFactory(name="国家双随机抽查任务")
    done = IndicatorFactory.build(campaign=assigned.campaign, name="完成抽查", rate_pattern="完成{numerator}/{denominator}件，完成率{rate}")
    assert "请先选择分母指标" in errors(done)["rate_pattern"][0]

    done.denominator = IndicatorFactory(name="另一活动的任务")
    assert errors(done)["denominator"] == ["分母指标必须属于同一个创建活动。"]

    done.denominator = assigned
    done.full_clean()
    done.save()
    assert done.rate_sentence(Decimal(82), Decimal(82)) == "完成82/82件，完成率100%"
    assert done.rate_sentence(Decimal(81), Decimal(83)) == "完成81/83件，完成率97.6%"
    assert done.rate_sentence(Decimal(5), None) == ""
    assert done.rate_sentence(Decimal(5), Decimal(0)) == ""


def test_rate_pattern_must_name_the_rate():
    assigned = IndicatorFactory()
    done = IndicatorFactory.build(campaign=assigned.campaign, denominator=assigned, rate_pattern="完成{numerator}件")
    assert "{rate}" in errors(done)["rate_pattern"][0]


def test_an_indicator_is_not_its_own_denominator(refused_by):
    indicator = IndicatorFactory()
    indicator.denominator = indicator
    assert "自己" in errors(indicator)["denominator"][0]
    with refused_by(Indicator, "indicator_not_own_denominator"):
        Indicator.objects.filter(pk=indicator.pk).update(denominator=indicator)


def test_a_denominator_in_use_cannot_be_deleted():
    from django.db.models import ProtectedError

    assigned = IndicatorFactory()
    IndicatorFactory(campaign=assigned.campaign, denominator=assigned)
    with pytest.raises(ProtectedError):
        assigned.delete()


@pytest.mark.parametrize(
    "value, written", [(Decimal("53364.00"), "53364"), (Decimal("100"), "100"), (Decimal("0.50"), "0.5"), (0, "0")]
)
def test_figures_are_written_without_trailing_zeros_or_separators(value, written):
    assert figure(value) == written


def test_percent_rounds_to_one_decimal():
    assert (percent(82, 82), percent(2, 3), percent(0, 7)) == ("100%", "66.7%", "0%")
