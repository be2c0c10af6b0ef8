"""`{% queue_row %}` writes what the review queue's loop body it replaced wrote."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import timezone

from notifications.templatetags.notification_tags import chaseable
from reports.models import Report
from reports.templatetags.report_tags import queue_row
from reports.tests.factories import ReportFactory

# templates/reports/review_queue.html's row as it was, the reference.
REFERENCE = Template(
    """{% load report_tags notification_tags %}
    <li class="list-group-item d-flex gap-2 align-items-start">
      {% if bulk %}
      <div class="pt-1">
        {% if report.status == "submitted" %}
        <input class="form-check-input" type="checkbox" name="reports" value="{{ report.pk }}" aria-label="选择 {{ report.unit.display_name }}">
        {% else %}
        <input class="form-check-input invisible" type="checkbox" disabled aria-hidden="true">
        {% endif %}
      </div>
      {% endif %}
      <div class="flex-grow-1">
        <div class="d-flex flex-wrap align-items-center gap-2">
          <span class="fw-semibold">{{ report.unit.display_name }}</span>
          <span class="small">{% light report now %} {{ report.get_status_display }}</span>
          {% if report.is_late %}<span class="badge text-bg-danger" title="逾期说明：{{ report.late_reason }}">逾期</span>
          {% elif report.due_at < now and report.status == "not_started" or report.due_at < now and report.status == "draft" %}<span class="badge text-bg-danger">逾期未报</span>{% endif %}
          {% if report.version_number > 1 %}<span class="badge text-bg-info">第{{ report.version_number }}次报送</span>{% endif %}
        </div>
        <div class="small text-body-secondary">
          {{ report.period.rule.name }} {{ report.period.label }} ·
          {% if report.last_submitted_at %}报送于 {{ report.last_submitted_at|date:"n月j日 H:i" }}
          {% else %}截止 {{ report.due_at|date:"n月j日 H:i" }}{% if report.due_at < now and report.status != "exempt" %}，已超过 {{ report.due_at|timesince:now }}{% endif %}{% endif %}
        </div>
        {% if report.is_late and report.late_reason %}<div class="small text-danger">逾期说明：{{ report.late_reason|truncatechars:80 }}</div>{% endif %}
        {% with chased=chases|chase_of:report %}{% if chased %}<div class="small text-body-secondary"><i class="bi bi-megaphone" aria-hidden="true"></i> 该单位最近催报于 {{ chased.at|date:"n月j日 H:i" }}{% if chased.waiting %}，{{ chased.again_at|date:"n月j日 H:i" }} 后可再次催报{% endif %}</div>{% endif %}{% endwith %}
      </div>
      <div class="d-flex flex-column flex-sm-row gap-1">
        {% if can_act and status == "overdue" and report|chaseable:now %}{% with chased=chases|chase_of:report %}
        <button type="submit" class="btn btn-sm btn-outline-danger text-nowrap" formaction="{% url 'notifications:chase' report.pk %}"{% if chased.waiting %} disabled title="{{ chased.again_at|date:'n月j日 H:i' }} 后可再次催报"{% else %} data-confirm="确定立即向{{ report.unit.display_name }}催报吗？该单位联络员和单位负责人将马上收到通知。"{% endif %}><i class="bi bi-megaphone" aria-hidden="true"></i> 催报</button>
        {% endwith %}{% endif %}
        <a class="btn btn-sm btn-outline-primary text-nowrap" href="{% url 'reports:report_detail' report.pk %}">{% if can_act and report.status == "submitted" %}审核{% else %}查看{% endif %}</a>
      </div>
    </li>
"""
)

NOW = timezone.now()
HOUR = datetime.timedelta(hours=1)


def variants():
    yield "submitted", dict(status=Report.Status.SUBMITTED, sent=-3 * HOUR, version=1)
    yield "submitted again", dict(status=Report.Status.SUBMITTED, sent=-3 * HOUR, version=2)
    yield "late, long reason", dict(status=Report.Status.SUBMITTED, sent=5 * HOUR, version=1, reason="材料<未齐>&" * 20)
    yield "late, no reason", dict(status=Report.Status.SUBMITTED, sent=5 * HOUR, version=1, reason="")
    yield "owed, not yet due", dict(status=Report.Status.NOT_STARTED, due=2 * HOUR)
    yield "overdue draft", dict(status=Report.Status.DRAFT, due=-30 * HOUR)
    yield "overdue, chased, waiting", dict(status=Report.Status.NOT_STARTED, due=-30 * HOUR, chased=True, waiting=True)
    yield "overdue, chased, may chase again", dict(status=Report.Status.NOT_STARTED, due=-30 * HOUR, chased=True, waiting=False)
    yield "exempt, past its deadline", dict(status=Report.Status.EXEMPT, due=-30 * HOUR)
    yield "returned", dict(status=Report.Status.RETURNED, sent=-50 * HOUR, version=1, due=-30 * HOUR)


@pytest.mark.parametrize("bulk, can_act, tab", [(True, True, "submitted"), (False, True, "overdue"), (False, False, "all")])
@pytest.mark.parametrize("case", [case for case, _ in variants()])
def test_the_row_is_the_markup_of_the_template_it_replaced(db, case, bulk, can_act, tab):
    options = dict(variants())[case]
    report = ReportFactory(unit__name="区<卫健>委“办”", unit__short_name="", period__rule__name="周报")
    report.due_at = NOW + options.get("due", -HOUR if "sent" in options else HOUR)
    report.status = options["status"]
    if "sent" in options:
        report.submitted_at = report.due_at + options["sent"]
        report.late_reason = options.get("reason", "")
    report.save()
    report = Report.objects.select_related("period__rule", "unit").get(pk=report.pk)
    report.version_number = options.get("version")
    report.last_submitted_at = report.submitted_at if options.get("version") else None
    chases = {}  # as the page has them: on the overdue tab, for those who may act
    if options.get("chased") and can_act and tab == "overdue":
        at = NOW - 2 * HOUR
        chases[report.unit_id] = SimpleNamespace(at=at, waiting=options["waiting"], again_at=at + 4 * HOUR)
    context = {"report": report, "now": NOW, "bulk": bulk, "can_act": can_act, "status": tab, "chases": chases}
    expected = REFERENCE.render(Context(context))
    if can_act and tab == "overdue":
        row = queue_row(
            report, NOW, bulk=bulk, can_act=can_act, status=tab,
            chased=chases.get(report.unit_id), chaseable=chaseable(report, NOW),
        )
    else:
        row = queue_row(report, NOW, bulk=bulk, can_act=can_act, status=tab)
    assert parse_html(row) == parse_html(expected)


def test_the_cases_show_what_they_are_about(db):
    """The reference renders the parts each case is about, so the comparison above compares them."""
    report = ReportFactory(unit__name="甲单位", status=Report.Status.NOT_STARTED)
    report.due_at = NOW - 30 * HOUR
    report.save()
    report = Report.objects.select_related("period__rule", "unit").get(pk=report.pk)
    report.version_number = report.last_submitted_at = None
    at = NOW - 2 * HOUR
    chases = {report.unit_id: SimpleNamespace(at=at, waiting=True, again_at=at + 4 * HOUR)}
    html = REFERENCE.render(Context({"report": report, "now": NOW, "bulk": False, "can_act": True, "status": "overdue", "chases": chases}))
    assert "逾期未报" in html and "已超过" in html and "该单位最近催报于" in html
    assert chaseable(report, NOW) and "催报</button>" in html and "disabled" in html
