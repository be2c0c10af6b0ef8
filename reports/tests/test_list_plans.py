"""The office's long lists (the review queue, 今日工作, the ledger) are paged
and read through indexes: their query counts do not grow with the rows, and
on SQLite (`EXPLAIN QUERY PLAN`, after the seed's ANALYZE) no list query
reads the whole reports table. PostgreSQL's plans at 1,000 units are printed
by `BENCH_EXPLAIN=1 make bench` (bench/scale.py)."""

import datetime
import io
import re
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from campaigns.models import Campaign
from reports.models import Report

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 12, 10, 0, tzinfo=SHANGHAI)


def seeded(units, weeks, district):
    call_command("seed_scale", units=units, tasks=20, weeks=weeks, seed=5, district=district, stdout=io.StringIO())
    campaign = Campaign.objects.order_by("-pk").first()
    office = User.objects.get(memberships__unit=campaign.office_unit_id, memberships__role="office_staff")
    return campaign, office


def pages(campaign):
    queue = reverse("reports:review_queue")
    return {
        "submitted": f"{queue}?campaign={campaign.pk}",
        "overdue": f"{queue}?campaign={campaign.pk}&status=overdue",
        "all": f"{queue}?campaign={campaign.pk}&status=all",
        "all_page_2": f"{queue}?campaign={campaign.pk}&status=all&page=2",
        "today": reverse("dashboards:today"),
        "ledger": reverse("supervision:ledger", args=[campaign.pk]),
    }


def captured(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_list_pages_take_the_same_queries_whatever_the_rows(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    counts = []
    for units, weeks, district in ((6, 3, "甲市"), (60, 12, "乙市")):
        campaign, office = seeded(units, weeks, district)
        # Enough owed reports for a second page of every tab at the larger size.
        Report.objects.filter(period__rule__campaign=campaign, pk__in=Report.objects.filter(
            period__rule__campaign=campaign).order_by("pk").values("pk")[:5]).update(
            status=Report.Status.NOT_STARTED, submitted_at=None)
        client.force_login(office)
        counts.append({name: len(captured(client, url)[1]) for name, url in pages(campaign).items()})
        if units == 60:
            response, _ = captured(client, pages(campaign)["all"])
            assert len(response.context["page"].object_list) == 50
            assert "第 1 页，共" in response.content.decode() and "下一页" in response.content.decode()
    assert counts[0] == counts[1]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "0", "-3", "99999", "1.5", ""])
def test_a_bad_page_number_shows_the_first_or_last_page(client, time_machine, page):
    time_machine.move_to(NOW, tick=False)
    campaign, office = seeded(60, 2, "")
    client.force_login(office)
    response = client.get(reverse("reports:review_queue"), {"campaign": campaign.pk, "status": "all", "page": page})
    assert response.status_code == 200
    shown = response.context["page"]
    # Django's get_page: not a number gives the first page, out of range (0 too) the last.
    assert shown.number == (shown.paginator.num_pages if page in ("0", "-3", "99999") else 1)
    today = client.get(reverse("dashboards:today"), {"awaiting_page": page, "extensions_page": page})
    assert today.status_code == 200
    ledger = client.get(reverse("supervision:ledger", args=[campaign.pk]), {"page": page})
    assert ledger.status_code == 200


@pytest.mark.django_db
def test_the_pager_keeps_the_filters(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    campaign, office = seeded(60, 2, "")
    client.force_login(office)
    response = client.get(reverse("reports:review_queue"), {"campaign": campaign.pk, "status": "all", "unit": "区"})
    html = response.content.decode()
    assert f"?campaign={campaign.pk}&amp;status=all&amp;unit=%E5%8C%BA&amp;page=2" in html
    assert "第 1 页，共 " in html and "上一页" in html


def plan(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [row[-1] for row in cursor.fetchall()]


# A read of every report (or of every entry of one of its indexes): SQLite
# says SCAN where it walks a whole table or index, SEARCH where it seeks.
WHOLE_REPORTS = re.compile(r"^SCAN reports_report\b")


@pytest.mark.django_db
def test_the_list_queries_read_the_reports_through_an_index(client, time_machine):
    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL's plans are printed by the bench")
    time_machine.move_to(NOW, tick=False)
    campaign, office = seeded(30, 12, "")
    client.force_login(office)
    for name, url in pages(campaign).items():
        _, queries = captured(client, url)
        for sql in queries:
            if not sql.startswith("SELECT") or '"reports_report"' not in sql:
                continue
            lines = plan(sql)
            assert not [line for line in lines if WHOLE_REPORTS.match(line)], (name, sql, lines)
