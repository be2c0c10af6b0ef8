"""`make bench`: measurements on city-scale data, one `name: value unit` line each.

Runs against a fresh SQLite file by default, or against BENCH_DATABASE_URL
(an empty PostgreSQL database, for example). Record the figures, the machine
and the date in docs/benchmarks.md; tests never assert times.
"""

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import assessments, load, scale

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def run(args, env):
    started = time.perf_counter()
    result = subprocess.run(MANAGE + args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - started, result.stdout


SWEEP = """
import time
from django.db import connection
from django.test.utils import CaptureQueriesContext
from notifications import reminders
started = time.perf_counter()
with CaptureQueriesContext(connection) as queries:
    claimed = reminders.sweep()
print(f"reminder_sweep_seconds: {time.perf_counter() - started:.2f} s")
print(f"reminder_sweep_queries: {len(queries)} queries")
print(f"reminder_sweep_reminders: {len(claimed)} reminders")
"""


# Bare openpyxl, no database: the rows of the workbook just built, read back
# first and then timed while written in write-only mode. The workbook's own
# time over this is what our code adds on top of openpyxl.
FLOOR = """
import sys, time
import openpyxl
source = openpyxl.load_workbook(sys.argv[1], read_only=True)
sheets = [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)]) for ws in source]
started = time.perf_counter()
book = openpyxl.Workbook(write_only=True)
for title, rows in sheets:
    ws = book.create_sheet(title)
    for row in rows:
        ws.append(row)
book.save(sys.argv[2])
print(f"openpyxl_floor_seconds: {time.perf_counter() - started:.2f} s")
print(f"openpyxl_floor_cells: {sum(len(row) for _, rows in sheets for row in rows)} cells")
"""


def measured(args, env):
    """Run a command; its wall time, its own peak RSS in MiB and its output."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{stdout}\n{stderr}")
    return seconds, stdout


def workbook_figures(env, scratch, campaign_id, last_month):
    """Each build in a process of its own, run through a tiny wrapper that
    reports the build process's own peak RSS (the seed's would mix in otherwise)."""
    wrapper = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=sys.stdout);"
        "print(f'peak_mib: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}')"
    )
    results = {}
    for name, dates in (("workbook", []), ("workbook_month", ["--from", last_month[0], "--to", last_month[1]])):
        out = f"{scratch}/{name}.xlsx"
        _, output = measured(
            [sys.executable, "-c", wrapper, *MANAGE, "build_report", "--campaign", campaign_id, *dates, "--out", out],
            env,
        )
        figures = dict(re.findall(r"^(\w+): ([\d.]+)$", output, re.MULTILINE))
        results[name] = (float(figures["build_seconds"]), float(figures["peak_mib"]), out, figures)
    return results


CAMPAIGN = """
from campaigns.models import Campaign
from django.utils import timezone
from reports.exports import previous_month
first, last = previous_month(timezone.localdate())
print(Campaign.objects.latest("pk").pk, first, last)
"""

DASHBOARD = """
import statistics, time
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from accounts.models import User
from campaigns.models import Campaign
campaign = Campaign.objects.order_by("-pk").first()
admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench_admin", "", "bench-pass-123")
client = Client(HTTP_HOST="localhost")
client.force_login(admin)
url = reverse("dashboards:campaign", args=[campaign.pk])
# Every look adds the body up (the sharing between viewers is bench.scale's dashboard_shared).
override_settings(DASHBOARD_SHARED_SECONDS=0).enable()
client.get(url)
times = []
for _ in range(5):
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    times.append((time.perf_counter() - started) * 1000)
print(f"dashboard_ms: {statistics.median(times):.0f} ms")
print(f"dashboard_queries: {len(queries)} queries")
# The first view after a report changed: the figures are added up again.
times = []
for _ in range(5):
    Campaign.figures_changed(campaign_id=campaign.pk)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    times.append((time.perf_counter() - started) * 1000)
print(f"dashboard_cold_ms: {statistics.median(times):.0f} ms")
print(f"dashboard_cold_queries: {len(queries)} queries")
"""


# The copy-paste check on the report page of the last week's report of one
# unit, whose text was copied from another unit's report of 13 weeks earlier
# (both re-sent through the workflow's indexing); the baseline is the same
# page in the same run with the check switched off.
SIMILARITY = """
import datetime, statistics, time
from unittest import mock
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from accounts.models import User
from campaigns.models import Campaign
from reports import access, similarity
from reports.models import Report, ReportVersion, TextFingerprint
from reports.views import unit as unit_views
campaign = Campaign.objects.order_by("-pk").first()
admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench_admin", "", "bench-pass-123")
sent = Report.objects.filter(period__rule__campaign=campaign, period__rule__cadence="weekly", status="submitted", due_at__lt=timezone.now()).select_related("period__rule")
copy = sent.order_by("-due_at").first()
source = sent.exclude(unit=copy.unit_id).filter(due_at__lt=copy.due_at - datetime.timedelta(weeks=13)).order_by("-due_at").first()
text = ("本周组织执法人员对城东片区十二家餐饮单位开展夜间突击检查，重点查看后厨卫生和从业人员健康证明，"
        "当场责令三家单位整改油烟净化设施。\\n" + source.work_done)
for report in (source, copy):
    report.work_done = text
    report.save(update_fields=["work_done"])
    similarity.index_report(report, at=report.submitted_at)
# The seed writes no versions; the office reviews the version sent.
ReportVersion.objects.create(report=copy, number=1, submitted_by=admin, submitted_at=copy.submitted_at, work_done=text)
print(f"fingerprint_rows: {TextFingerprint.objects.filter(campaign=campaign).count()} rows")
visible = access.visible_reports(admin)
times = []
for _ in range(7):
    started = time.perf_counter()
    found = similarity.similar_reports(report=copy, text=text, visible=visible, at=copy.submitted_at)
    times.append((time.perf_counter() - started) * 1000)
assert [m.report.pk for m in found] == [source.pk], found
print(f"similarity_ms: {statistics.median(times):.1f} ms")
client = Client(HTTP_HOST="localhost")
client.force_login(admin)
url = reverse("reports:report_detail", args=[copy.pk])
def page_ms():
    client.get(url)
    times = []
    for _ in range(7):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200
    return statistics.median(times), len(queries), response.content.decode()
with mock.patch.object(unit_views, "_similar", lambda *args: None):
    baseline, baseline_queries, html = page_ms()
assert "文字雷同提示" not in html
checked, queries, html = page_ms()
assert "<mark>" in html
print(f"report_page_ms: {baseline:.0f} ms")
print(f"report_page_queries: {baseline_queries} queries")
print(f"report_page_checked_ms: {checked:.0f} ms")
print(f"report_page_checked_queries: {queries} queries")
print(f"similarity_ratio: {checked / baseline:.2f} x")
"""


def similarity_figures(env, campaign_id):
    seconds, output = run(["index_report_texts", "--campaign", campaign_id], env)
    reports = re.search(r"^indexed_reports: (\d+)$", output, re.MULTILINE).group(1)
    print(f"fingerprint_index_seconds: {seconds:.1f} s")
    print(f"fingerprint_indexed_reports: {reports} reports")
    _, output = run(["shell", "-c", SIMILARITY], {**env, "ALLOWED_HOSTS": "localhost"})
    print("\n".join(line for line in output.splitlines() if re.match(r"^\w+: ", line)))


def plan_import_figures():
    """The plan parser against the corpus of real plans; no database, a second or so."""
    from imports.tests.corpus.score import score_all

    results = score_all()
    correct = sum(c for c, _, _ in results.values())
    total = sum(t for _, t, _ in results.values())
    print(f"plan_import_fields_correct: {correct}/{total} fields")


def main():
    plan_import_figures()
    with tempfile.TemporaryDirectory() as scratch:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch}/bench.sqlite3"
        env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
        print(f"database: {url.split('@')[-1]}")
        run(["migrate", "--no-input"], env)
        run(["createcachetable"], env)
        seconds, output = run(["seed_scale", "--units", "300", "--tasks", "600", "--weeks", "156"], env)
        counts = dict(re.findall(r"^(\w+): (\d+)$", output, re.MULTILINE))
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"seed_scale_seconds: {seconds:.1f} s")
        print(f"seed_scale_peak_mib: {peak_mib:.0f} MiB")
        for name in ("reports", "task_progress", "indicator_values"):
            if name in counts:
                print(f"seed_scale_{name}: {counts[name]} rows")
        _, output = run(["shell", "-c", SWEEP], {**env, "EMAIL_URL": "dummymail://"})
        print("\n".join(line for line in output.splitlines() if re.match(r"^\w+: ", line)))
        _, output = run(["shell", "-c", DASHBOARD], {**env, "ALLOWED_HOSTS": "localhost"})
        print("\n".join(line for line in output.splitlines() if re.match(r"^\w+: ", line)))
        _, output = run(["shell", "-c", CAMPAIGN], env)
        campaign_id, date_from, date_to = output.split()[-3:]
        similarity_figures(env, campaign_id)
        results = workbook_figures(env, scratch, campaign_id, (date_from, date_to))
        for name, (seconds, peak, _, figures) in results.items():
            print(f"{name}_seconds: {seconds:.2f} s")
            print(f"{name}_peak_mib: {peak:.0f} MiB")
            if name == "workbook":
                print(f"workbook_detail_rows: {figures.get('rows_明细', '?')} rows")
        _, output = measured([sys.executable, "-c", FLOOR, results["workbook"][2], f"{scratch}/floor.xlsx"], env)
        print(output.strip())
        floor = float(re.search(r"openpyxl_floor_seconds: ([\d.]+)", output).group(1))
        print(f"workbook_ratio: {results['workbook'][0] / floor:.2f} x")
        # Its own campaigns, 30 and 300 sites, after the figures above that
        # read the latest campaign as the 300-unit one.
        assessments.main(env)
        # Last: it seeds a 1,000-unit campaign next to the 300-unit one the
        # figures above read as the latest.
        scale.main(env)
    # The deadline-hour load test, on its own data (bench/load.py).
    load.main()


if __name__ == "__main__":
    main()
