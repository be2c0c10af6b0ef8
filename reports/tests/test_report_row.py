"""`{% report_row %}` writes what the row template it replaced wrote (the liaison's lists)."""

import datetime

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import timezone
from django.utils.html import escape

from reports.models import Report
from reports.templatetags.report_tags import report_row
from reports.tests.factories import ReportFactory

# templates/reports/_report_row.html as it was, the reference.
REFERENCE = Template(
    """{% load report_tags %}
<a href="{{ report.get_absolute_url }}" class="list-group-item list-group-item-action d-flex justify-content-between align-items-start gap-2">
  <div class="me-auto">
    <div>{% light report now %} <strong>{{ report.period.rule.name }}</strong> {{ report.period.label }}</div>
    <div class="small text-body-secondary">{{ report.period.rule.campaign }}{% if show_unit %} · {{ report.unit.display_name }}{% endif %}</div>
    <div class="small">截止 {{ report.due_at|date:"Y年n月j日 H:i" }}{% if report.due_at != report.period.due_at %}（已延期）{% endif %}{% if report.is_late %} · <span class="text-danger">逾期报送</span>{% endif %}</div>
  </div>
  {% status_badge report %}
</a>"""
)


def variants():
    yield "open", {}
    yield "extended", {"extended": True}
    yield "late", {"status": Report.Status.SUBMITTED, "late": True}
    yield "returned", {"status": Report.Status.RETURNED}
    yield "escaping", {"name": "<专项>&“治理”"}


@pytest.mark.parametrize("show_unit", [False, True])
@pytest.mark.parametrize("case", [case for case, _ in variants()])
def test_the_row_is_the_markup_of_the_template_it_replaced(db, case, show_unit):
    options = dict(variants())[case]
    report = ReportFactory(period__rule__name=options.get("name", "周报"), unit__name="区<卫健>委", unit__short_name="")
    if options.get("extended"):
        report.due_at = report.period.due_at + datetime.timedelta(days=2)
    if "status" in options:
        report.status = options["status"]
        report.submitted_at = report.due_at + datetime.timedelta(hours=3 if options.get("late") else -3)
    report.save()
    report = Report.objects.select_related("period__rule__campaign", "unit").get(pk=report.pk)
    now = timezone.now()
    expected = REFERENCE.render(Context({"report": report, "now": now, "show_unit": show_unit}))
    assert parse_html(report_row(report, now, show_unit=show_unit)) == parse_html(expected)
    shows = {"extended": "（已延期）", "late": "逾期报送", "escaping": "&lt;专项&gt;&amp;"}
    assert shows.get(case, "") in expected
    assert (f" · {escape(report.unit.display_name)}" in expected) is show_unit
