"""A phase's summary and the campaign's final summary: the year-end report's
engine over another span."""

import datetime
import re
from decimal import Decimal

import pytest

from campaigns.models import Phase
from core.official import docx_text, render_docx
from documents.drafting import Kind, build_document, scopes
from reports.models import IndicatorValue, Report

from .conftest import NOW

pytestmark = pytest.mark.django_db


def accepted_sum(world, key, first, last):
    return sum(
        IndicatorValue.objects.filter(
            indicator=world.indicators[key],
            report__status=Report.Status.ACCEPTED,
            report__period__ends_on__range=(first, last),
        ).values_list("value", flat=True),
        Decimal(0),
    )


def number(value):
    return f"{Decimal(value).normalize():f}"


def test_a_phase_summary_counts_the_phase_only(world):
    phase = Phase.objects.create(
        campaign=world.campaign, order=1, name="集中整治", starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2025, 9, 30),
    )
    text = docx_text(render_docx(build_document(Kind.PHASE, campaign=world.campaign, phase=phase, at=NOW)))

    assert text.startswith("关于卫生监督执法专项行动第一阶段（集中整治）工作情况的总结")
    assert "2025年4月1日至2025年9月30日" in text
    events = accepted_sum(world, "events", phase.starts_on, phase.ends_on)
    year = accepted_sum(world, "events", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert events != year
    assert f"本阶段，开展普法宣传活动{number(events)}场" in text
    assert re.search(r"^[一二三四五六七八九十]+、下一阶段工作安排$", text, re.M)
    assert world.campaign.leading_group_office in text


def test_the_final_summary_covers_the_whole_campaign(world):
    text = docx_text(render_docx(build_document(Kind.FINAL, campaign=world.campaign, at=NOW)))
    campaign = world.campaign
    events = accepted_sum(world, "events", campaign.starts_on, campaign.ends_on)
    assert text.startswith("关于卫生监督执法专项行动工作情况的总结报告")
    assert f"活动开展以来，开展普法宣传活动{number(events)}场" in text
    assert re.search(r"^[一二三四五六七八九十]+、巩固提升和长效机制建设打算$", text, re.M)


def test_scopes_offer_the_years_dated_phases_and_the_final_summary(world):
    Phase.objects.create(campaign=world.campaign, order=1, name="动员部署", spans_whole_campaign=True)
    dated = Phase.objects.create(
        campaign=world.campaign, order=2, name="集中整治", starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2025, 9, 30),
    )
    found = scopes(world.campaign)
    assert [(s.kind, s.year, s.phase) for s in found] == [
        (Kind.ANNUAL, 2025, None), (Kind.ANNUAL, 2026, None), (Kind.PHASE, None, dated), (Kind.FINAL, None, None),
    ]
    assert [s.label for s in found] == ["2025年度情况报告", "2026年度情况报告", "第二阶段（集中整治）总结", "活动总结报告"]
