"""The mock assessment (模拟测评) at size: 300 sites × 40 standards (12,000
observations), and 30 sites × 40 standards as the baseline in the same run.

For each size it builds an open mock assessment (its own campaign, units,
office and observer; 5 % of the observations 不达标, 2 % 不适用, the rest 达标,
from a fixed seed), then times, server side:
- `mock_results_ms_<sites>`: `mock.results` (the 得分率 by standard, item,
  content, unit and site type), the median of 5;
- `mock_page_ms_<sites>`: the mock assessment's page through the Django test
  Client as the office's clerk, the median of 5 after one warm-up, with its
  query count;
- `mock_close_ms_<sites>`: `mock.close`, once (it is a one-way step), which
  records the inspection and one ledger item per 不达标, with its query count.
The ratios 300/30 follow. Run alone: `python -m bench.assessments` (a fresh
SQLite file, or BENCH_DATABASE_URL); `make bench` runs it last but one.
Bounded: about a minute on the machine of docs/benchmarks.md.
"""

import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MANAGE = [sys.executable, str(Path(__file__).resolve().parent.parent / "manage.py")]
SIZES = (30, 300)
STANDARDS = 40
FAILED, NOT_APPLICABLE = 0.05, 0.02
RATIOS = ("mock_results", "mock_page", "mock_close")


def build(sites, *, rng):
    """An open mock assessment of `sites` sites × STANDARDS standards, every
    standard observed at every site. Returns (assessment, clerk)."""
    import datetime

    from django.utils import timezone

    from accounts.models import User
    from assessments import mock
    from assessments.models import (
        AssessmentContent,
        AssessmentItem,
        AssessmentSystem,
        MockAssessment,
        Observation,
        SampledSite,
        Site,
        SiteType,
        Standard,
    )
    from campaigns.models import Campaign, Membership, Unit

    tag = f"规模测评{sites}点位"
    office = Unit.objects.create(name=f"{tag}·区文明办", short_name="区文明办")
    units = Unit.objects.bulk_create([Unit(name=f"{tag}·第{n}街道", short_name=f"第{n}街道") for n in range(1, sites // 10 + 1)])
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title=f"{tag}：创建全国文明城市", issuing_unit=office, office_unit=office, status=Campaign.Status.ACTIVE,
        starts_on=today - datetime.timedelta(days=60), ends_on=today + datetime.timedelta(days=300),
    )
    clerk = User.objects.create_user(f"bench_mock_clerk_{sites}", password="bench-pass-123", full_name="周敏")
    observer = User.objects.create_user(f"bench_mock_observer_{sites}", password="bench-pass-123", full_name="王晓东")
    for user in (clerk, observer):
        Membership.objects.create(user=user, unit=office, role=Membership.Role.OFFICE_STAFF)
    types = SiteType.objects.bulk_create(
        [SiteType(campaign=campaign, name=name) for name in ("农贸市场", "医院", "学校", "居民小区")]
    )
    registered = Site.objects.bulk_create(
        [
            Site(campaign=campaign, site_type=types[n % 4], name=f"{types[n % 4].name}{n + 1:03d}", unit=units[n % len(units)])
            for n in range(sites)
        ]
    )
    system = AssessmentSystem.objects.create(campaign=campaign, name="全国文明城市测评体系", created_by=clerk)
    items = AssessmentItem.objects.bulk_create([AssessmentItem(system=system, position=n, name=f"测评项目{n}") for n in range(1, 5)])
    contents = AssessmentContent.objects.bulk_create(
        [AssessmentContent(item=items[n // 2], position=n % 2 + 1, name=f"测评内容{n + 1}") for n in range(8)]
    )
    standards = Standard.objects.bulk_create(
        [
            Standard(system=system, content=contents[n // 5], position=n + 1, text=f"测评标准{n + 1}：环境整洁，秩序良好。",
                     score=1 + n % 3, methods=["实地考察"])
            for n in range(STANDARDS)
        ]
    )
    Standard.site_types.through.objects.bulk_create(
        [Standard.site_types.through(standard=s, sitetype=t) for s in standards for t in types]
    )
    assessment = MockAssessment.objects.create(
        campaign=campaign, system=system, name="模拟测评", held_on=today - datetime.timedelta(days=1), created_by=clerk
    )
    mock.choose(assessment=assessment, sites=registered)
    sampled = list(SampledSite.objects.filter(assessment=assessment))
    mock.assign(assessment=assessment, sampled_sites=sampled, observer=observer)
    mock.start(assessment=assessment)
    now = timezone.now()
    rows = []
    for s in sampled:
        for standard in standards:
            roll = rng.random()
            result = "not_met" if roll < FAILED else "na" if roll < FAILED + NOT_APPLICABLE else "met"
            rows.append(
                Observation(sampled_site=s, standard=standard, result=result, observed_by=observer, observed_at=now,
                            note="地面有垃圾，未及时清扫。" if result == "not_met" else "")
            )
    Observation.objects.bulk_create(rows, batch_size=2000)
    return assessment, clerk


def measure():
    """Build both sizes and print their figures (inside `manage.py shell`)."""
    import datetime

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from assessments import mock

    rng = random.Random(20)
    for sites in SIZES:
        started = time.perf_counter()
        assessment, clerk = build(sites, rng=rng)
        print(f"mock_seed_seconds_{sites}: {time.perf_counter() - started:.1f} s")
        print(f"mock_observations_{sites}: {sites * STANDARDS} rows")
        times = []
        for _ in range(5):
            started = time.perf_counter()
            results = mock.results(assessment)
            times.append((time.perf_counter() - started) * 1000)
        assert results.overall.made > 0
        print(f"mock_results_ms_{sites}: {statistics.median(times):.0f} ms")
        client = Client(HTTP_HOST="localhost")
        client.force_login(clerk)
        url = reverse("assessments:mock_detail", args=[assessment.pk])
        assert client.get(url).status_code == 200
        times = []
        for _ in range(5):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            times.append((time.perf_counter() - started) * 1000)
        print(f"mock_page_ms_{sites}: {statistics.median(times):.0f} ms")
        print(f"mock_page_queries_{sites}: {len(queries)} queries")
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            inspection = mock.close(
                assessment=assessment, by=clerk, at=timezone.now(), deadline=timezone.localdate() + datetime.timedelta(days=15)
            )
        print(f"mock_close_ms_{sites}: {(time.perf_counter() - started) * 1000:.0f} ms")
        print(f"mock_close_queries_{sites}: {len(queries)} queries")
        print(f"mock_close_items_{sites}: {inspection.findings.count()} items")


def run(args, env):
    result = subprocess.run(MANAGE + args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def main(env=None):
    """Print the figures; `env` is the environment of bench/__main__.py's
    database (None: a fresh database of its own)."""
    if env is None:
        with tempfile.TemporaryDirectory() as scratch:
            url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch}/assessments.sqlite3"
            env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
            print(f"database: {url.split('@')[-1]}")
            run(["migrate", "--no-input"], env)
            run(["createcachetable"], env)
            return main(env)
    # The notifications of the items close() opens go nowhere: no mail is sent.
    env = {**env, "ALLOWED_HOSTS": "localhost", "EMAIL_URL": "dummymail://"}
    output = run(["shell", "-c", "from bench.assessments import measure; measure()"], env)
    lines = [line for line in output.splitlines() if re.match(r"^\w+: ", line)]
    print("\n".join(lines))
    figures = {name: float(value) for name, value in re.findall(r"^(\w+): ([\d.]+) ms$", output, re.MULTILINE)}
    for name in RATIOS:
        small, large = figures.get(f"{name}_ms_{SIZES[0]}"), figures.get(f"{name}_ms_{SIZES[1]}")
        if small and large:
            print(f"{name}_ratio_{SIZES[1]}_{SIZES[0]}: {large / small:.2f} x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
