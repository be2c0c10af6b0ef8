"""On the demo data, after one more report is accepted, the same task and the
same unit show the same progress on the dashboard, the ranking, the
liaison's home, the workbook and the year-end draft (reports.progress)."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from campaigns.models import Campaign, Membership
from core.official import docx_text, render_docx
from documents.annual import build_annual_report
from reports import workbook, workflow
from reports.models import Report
from reports.progress import campaign_progress
from tasks.models import Task

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def seeded(shared_db):
    with shared_db(), time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def demo(seeded, db, time_machine):
    time_machine.move_to(NOW, tick=False)
    return Campaign.objects.get(document_number="管卫〔2016〕41号")


def percent_cell(text):
    return Decimal(text.rstrip("%"))


def test_every_page_shows_the_same_task_and_unit_progress(client, demo):
    office = Membership.objects.filter(unit=demo.office_unit, role=Membership.Role.OFFICE_STAFF).first().user
    # The unit that leads the most tasks, and a report of it awaiting review.
    lead = (
        Task.objects.filter(campaign=demo, lead_unit__isnull=False)
        .values("lead_unit").annotate(n=Count("pk")).order_by("-n", "lead_unit").first()["lead_unit"]
    )
    waiting = Report.objects.filter(period__rule__campaign=demo, unit=lead, status=Report.Status.SUBMITTED)
    waiting = waiting.order_by("period__ends_on").last()
    assert waiting is not None, "the demo has a report of the lead unit awaiting review"
    workflow.accept(report=waiting, by=office, at=NOW)
    progress = campaign_progress(campaign=demo, detail=True)
    unit_figure = progress.by_unit()[lead]
    # A task whose figure is now the one just accepted.
    just = f"{waiting.period.rule.name} {waiting.period.label}"
    task_id = next(
        t for t, unit, _ in progress.tasks if unit == lead and getattr(progress.progress.get(t), "period", "") == just
    )
    task = Task.objects.get(pk=task_id)
    task_figure = progress.progress[task_id].percent
    unit = waiting.unit
    assert task_figure > 0 and unit_figure > 0 and progress.overall > 0, "figures worth comparing"

    client.force_login(office)
    # The dashboard, for the whole campaign and for the unit.
    whole = client.get(reverse("dashboards:campaign", args=[demo.pk])).context["d"]
    assert whole.progress == progress.overall
    scoped = client.get(reverse("dashboards:campaign", args=[demo.pk]), {"unit": lead}).context["d"]
    assert scoped.progress == unit_figure
    assert f'id="figure-task-progress">{unit_figure}%<' in client.get(
        reverse("dashboards:campaign", args=[demo.pk]), {"unit": lead}
    ).content.decode()
    # The ranking of this month.
    ranked = client.get(reverse("dashboards:ranking", args=[demo.pk]), {"month": "2026-11"}).context["ranked"]
    assert next(row.progress for row in ranked if row.unit.pk == lead) == unit_figure
    # The liaison's home.
    liaison = Membership.objects.filter(unit=unit, role=Membership.Role.LIAISON).first().user
    client.force_login(liaison)
    tasks = client.get(reverse("reports:unit_home")).context["tasks"]
    assert next(t.progress_percent for t in tasks if t.pk == task_id) == task_figure

    # The workbook, opened as the office opens it.
    out = io.BytesIO()
    workbook.build(campaign=demo, out=out, at=NOW)
    out.seek(0)
    book = openpyxl.load_workbook(out)
    rows = list(book["汇总"].iter_rows(min_row=workbook.HEADER_ROW + 1, values_only=True))
    assert Decimal(str(next(row[9] for row in rows if row[0] == unit.display_name))) == unit_figure
    assert Decimal(str(rows[0][9])) == progress.overall
    rows = list(book["任务进展"].iter_rows(min_row=workbook.HEADER_ROW + 1, values_only=True))
    row = next(row for row in rows if row[0] == task.code and row[1].strip("　") == task.title)
    assert row[5] == task_figure

    # The year-end draft.
    text = docx_text(render_docx(build_annual_report(campaign=demo, year=2026, at=NOW)))
    lines = [line.split("\t") for line in text.splitlines()]
    task_row = next(cells for cells in lines if cells[:2] == [task.code, task.title])
    assert percent_cell(task_row[3]) == task_figure
    unit_row = next(cells for cells in lines if len(cells) == 4 and cells[1] == unit.display_name)
    assert percent_cell(unit_row[3]) == unit_figure
