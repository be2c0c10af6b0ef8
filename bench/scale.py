"""The scale figures: the office's and the liaison's pages at 300 and at
1,000 units (600 tasks, 156 weeks each), in one database, and how they grow.

`main(env)` seeds what the database lacks: the 300-unit campaign (the one
`bench/__main__.py` seeds, reused when it is there) and a 1,000-unit one
under its own district prefix, so the two share no unit, office or person.
Each page is timed server side through the Django test Client, the median of
5 after one warm-up, and printed as `name: value ms`; the ratios 1,000/300
follow. BENCH_EXPLAIN=1 prints the query plans of the list pages at 1,000
units (`explain …` lines). Run alone: `python -m bench.scale` (a fresh
SQLite file, or BENCH_DATABASE_URL).
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MANAGE = [sys.executable, str(Path(__file__).resolve().parent.parent / "manage.py")]

SIZES = (300, 1000)
TASKS, WEEKS = 600, int(os.environ.get("BENCH_SCALE_WEEKS", 156))  # fewer weeks: a quick try-out
# The 300-unit campaign is the one bench/__main__.py seeds (no prefix).
DISTRICTS = {300: "", 1000: "乙市"}

FIND = """
from campaigns.models import Campaign
from demo.scale import OFFICE
for units, district in {districts!r}.items():
    campaign = (
        Campaign.objects.filter(title__startswith=f"规模测试：{{district}}创建", title__contains=f"（{{units}}个单位·{tasks}项任务·{weeks}周")
        .order_by("pk").first()
    )
    print(f"campaign_{{units}}: {{campaign.pk if campaign else 0}}")
"""

# One campaign's pages, as its own office clerk and as the liaison of the
# unit that leads the most tasks. Prints `<name>_<units>: value ms`.
PAGES = """
import os, statistics, time
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from accounts.models import User
from campaigns.models import Campaign, Membership
from reports.models import Report
campaign = Campaign.objects.get(pk=int(os.environ["SCALE_CAMPAIGN"]))
units = os.environ["SCALE_UNITS"]
explain = os.environ.get("BENCH_EXPLAIN") == "1" and units == "1000"
office = User.objects.filter(memberships__unit=campaign.office_unit_id, memberships__role="office_staff").order_by("pk").first()
lead = (
    campaign.tasks.values("lead_unit").annotate(n=Count("pk")).order_by("-n", "lead_unit").first()["lead_unit"]
)
liaison = User.objects.filter(memberships__unit=lead, memberships__role="liaison").order_by("pk").first()
report = (
    Report.objects.filter(period__rule__campaign=campaign, unit=lead, period__rule__cadence="weekly", submitted_at__isnull=False)
    .order_by("-due_at").first()
)


def timed(client, url, before=None):
    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(5):
        if before:
            before()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times), queries


def show(name, url, client, before=None):
    ms, queries = timed(client, url, before)
    print(f"{name}_ms_{units}: {ms:.1f} ms")
    print(f"{name}_queries_{units}: {len(queries)} queries")
    if explain:
        plans(name, queries)


def plans(name, queries):
    # The slowest statements of the page, each with its plan's top lines.
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]
    for number, query in enumerate(slowest, 1):
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
                lines = [row[0] for row in cursor.fetchall()]
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                lines = [row[-1] for row in cursor.fetchall()]
        print(f"explain {name}_{units} #{number} ({float(query['time']) * 1000:.1f} ms): {sql[:160]}")
        for line in lines[:14]:
            print(f"explain     {line}")


staff = Client(HTTP_HOST="localhost")
staff.force_login(office)
dashboard = reverse("dashboards:campaign", args=[campaign.pk])
# Warm and cold: each look adds the body up (cold: the cached figures emptied
# first). Shared: the look of a second viewer within DASHBOARD_SHARED_SECONDS.
with override_settings(DASHBOARD_SHARED_SECONDS=0):
    show("dashboard_warm", dashboard, staff)
    show("dashboard_cold", dashboard, staff, before=lambda: Campaign.figures_changed(campaign_id=campaign.pk))
with override_settings(DASHBOARD_SHARED_SECONDS=60):
    show("dashboard_shared", dashboard, staff)
show("review_queue", reverse("reports:review_queue") + f"?campaign={campaign.pk}", staff)
show("review_queue_overdue", reverse("reports:review_queue") + f"?campaign={campaign.pk}&status=overdue", staff)
show("today_work", reverse("dashboards:today"), staff)
show("report_page", reverse("reports:report_detail", args=[report.pk]), staff)
unit = Client(HTTP_HOST="localhost")
unit.force_login(liaison)
show("liaison_home", reverse("reports:unit_home"), unit)
if units == "1000":
    ms, _ = timed(Client(HTTP_HOST="localhost"), reverse("login"))
    print(f"login_page_ms: {ms:.1f} ms")
"""

def run(args, env):
    result = subprocess.run(MANAGE + args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


RATIOS = ("dashboard_cold", "dashboard_warm", "review_queue", "today_work", "liaison_home", "report_page")


def figures(output):
    return {name: float(value) for name, value in re.findall(r"^(\w+): ([\d.]+) ms$", output, re.MULTILINE)}


def main(env=None):
    """Seed what is missing and print the scale figures; `env` is the
    environment of bench/__main__.py's database (None: a database of its own)."""
    if env is None:
        with tempfile.TemporaryDirectory() as scratch:
            url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch}/scale.sqlite3"
            env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
            print(f"database: {url.split('@')[-1]}")
            run(["migrate", "--no-input"], env)
            run(["createcachetable"], env)
            return main(env)
    env = {**env, "ALLOWED_HOSTS": "localhost"}
    found = {}
    for units in SIZES:
        output = run(["shell", "-c", FIND.format(districts=DISTRICTS, tasks=TASKS, weeks=WEEKS)], env)
        found = dict(re.findall(r"^campaign_(\d+): (\d+)$", output, re.MULTILINE))
        if found[str(units)] != "0":
            continue
        started = time.perf_counter()
        run(
            ["seed_scale", "--units", str(units), "--tasks", str(TASKS), "--weeks", str(WEEKS), "--district", DISTRICTS[units]],
            env,
        )
        print(f"seed_scale_seconds_{units}: {time.perf_counter() - started:.1f} s")
    output = run(["shell", "-c", FIND.format(districts=DISTRICTS, tasks=TASKS, weeks=WEEKS)], env)
    found = dict(re.findall(r"^campaign_(\d+): (\d+)$", output, re.MULTILINE))
    results = {}
    for units in SIZES:
        output = run(["shell", "-c", PAGES], {**env, "SCALE_CAMPAIGN": found[str(units)], "SCALE_UNITS": str(units)})
        for line in output.splitlines():
            if re.match(r"^\w+: ", line) or line.startswith("explain "):
                print(line)
        results.update(figures(output))
    for name in RATIOS:
        small, large = results.get(f"{name}_ms_300"), results.get(f"{name}_ms_1000")
        if small and large:
            print(f"{name}_ratio_1000_300: {large / small:.2f} x")
    if results.get("login_page_ms"):
        print(f"liaison_home_logins: {results['liaison_home_ms_1000'] / results['login_page_ms']:.1f} x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
