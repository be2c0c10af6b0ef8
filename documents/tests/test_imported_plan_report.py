"""A campaign imported from another plan, with no sentence patterns written:
every indicator with data still speaks in the year-end report."""

import datetime
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F

from campaigns.tests.factories import UnitFactory
from core.official import docx_text, render_docx
from documents.annual import build_annual_report
from documents.wording import indicator_sentence
from imports.services import create_draft_campaign
from reports.models import IndicatorValue, Report
from reports.services import generate_periods
from tasks.models import Indicator

from .conftest import NOW

pytestmark = pytest.mark.django_db

PLAN = Path(__file__).resolve().parents[2] / "imports" / "tests" / "plans" / "jiankang-chengshi-2021.txt"


def imported_campaign():
    out = StringIO()
    call_command("import_plan", str(PLAN), "--dry-run", "--json", stdout=out)
    proposal = json.loads(out.getvalue())
    office = UnitFactory(name="东湖区健康城市建设领导小组办公室", parent=UnitFactory(name="东湖区人民政府"))
    return create_draft_campaign(proposal=proposal, unit_matches={}, by=None, office_unit=office).campaign


def test_every_indicator_with_data_speaks_without_patterns():
    campaign = imported_campaign()
    indicators = list(campaign.indicators.order_by("position", "pk"))
    assert len(indicators) >= 5, "the plan's targets become indicators"
    assert not any(indicator.sentence_pattern or indicator.rate_pattern for indicator in indicators)
    year = campaign.starts_on.year
    rule = campaign.reporting_rules.first()
    generate_periods(rule=rule, through=datetime.date(year, 12, 31))
    reports = list(Report.objects.filter(period__rule=rule, period__ends_on__year=year).order_by("period__ends_on", "pk"))
    assert reports, "the imported rule owes reports in its first year"
    accepted = reports[:4]
    Report.objects.filter(pk__in=[report.pk for report in accepted]).update(
        status=Report.Status.ACCEPTED, submitted_at=F("due_at") - datetime.timedelta(hours=2)
    )
    # The last indicator gets no figure: it is not written as 0.
    IndicatorValue.objects.bulk_create(
        IndicatorValue(report=report, indicator=indicator, value=Decimal(number), allow_negative=False)
        for number, report in enumerate(accepted, start=1)
        for indicator in indicators[:-1]
    )
    text = docx_text(render_docx(build_annual_report(campaign=campaign, year=year, at=NOW)))

    # Four accepted reports carry 1, 2, 3 and 4: a sum of 10, an average of 2.5.
    totals = {Indicator.Aggregation.SUM: Decimal("10"), Indicator.Aggregation.AVERAGE: Decimal("2.5")}
    assert {indicator.aggregation for indicator in indicators} <= set(totals)
    for indicator in indicators[:-1]:
        sentence = indicator_sentence(indicator, totals[indicator.aggregation])
        assert sentence and sentence in text, indicator.name
    prose = text.split("\t")[0]
    assert indicator_sentence(indicators[-1], Decimal(0)) not in prose
