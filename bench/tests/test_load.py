"""The load test's pure parts: its arithmetic, and the report form it reads
and posts, checked against the page the server renders."""

import random

import pytest
import time_machine

from bench.load import (
    STEPS,
    Step,
    arrivals,
    attachment,
    fill_report,
    multipart,
    parse_form,
    percentile,
    step_table,
    sustained,
)
from reports.models import Report
from reports.tests.conftest import local, setting  # noqa: F401 (the fixture)


def test_percentile_is_the_nearest_rank():
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([4, 1, 3, 2], 50) == 2
    assert percentile([7], 95) == 7
    assert percentile([], 95) is None


def test_arrivals_are_evenly_spaced_over_the_step():
    planned = arrivals(5, 2)
    assert len(planned) == 10
    assert planned[0] == 0 and planned[-1] == pytest.approx(1.8)
    assert STEPS == tuple(sorted(STEPS))


def step(rate, p95, errors=0):
    return Step(rate, latencies_ms=[p95] * 20, errors=errors)


def test_the_sustained_step_is_the_last_held_before_the_first_failure():
    assert sustained([step(1, 100), step(2, 300), step(3, 1200), step(5, 200)]).rate == 2
    assert sustained([step(1, 100), step(2, 100, errors=1)]).rate == 1
    assert sustained([step(1, 1000)]) is None  # p95 must stay under 1 s
    assert sustained([]) is None
    assert len(step_table([step(1, 100), step(2, 300)])) == 3


FORM = """
<form method="post" action="/other/"><input name="x" value="no"></form>
<form method="post" action="/reports/7/edit/" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type="hidden" name="version" value="3">
  <textarea name="work_done">
old</textarea>
  <select name="task_5_status"><option value="not_started">未开始</option>
    <option value="in_progress" selected>推进中</option></select>
  <input type="number" name="task_5_percent" value="20">
  <input type="text" name="indicator_9" value="">
  <input type="checkbox" name="also_answers" value="12">
  <input type="file" name="files" multiple>
  <button type="submit" name="save">保存草稿</button>
</form>
"""


def test_the_form_is_read_from_its_own_action_and_filled_in():
    fields = parse_form(FORM, "/reports/7/edit/")
    assert [name for name, *_ in fields] == [
        "csrfmiddlewaretoken", "version", "work_done", "task_5_status", "task_5_percent", "indicator_9",
        "also_answers", "files", "save",
    ]
    assert fields[2][2] == "old"
    assert fields[3][3][0] == "in_progress"
    assert parse_form(FORM, "/nowhere/") is None
    data, figures, work_done = fill_report(fields, rng=random.Random(1), tag="甲")
    sent = dict(data)
    assert sent["csrfmiddlewaretoken"] == "tok" and sent["version"] == "3"
    assert sent["work_done"] == work_done and "甲" in work_done
    assert sent["task_5_status"] == "in_progress" and 10 <= int(sent["task_5_percent"]) <= 90
    assert figures == {"indicator_9": sent["indicator_9"]}
    assert "submit" in sent and "save" not in sent and "also_answers" not in sent and "files" not in sent


def test_the_rendered_report_form_posted_as_the_load_test_posts_it_submits_the_report(
    client, setting, django_assert_max_num_queries  # noqa: F811
):
    report = setting.report
    client.force_login(setting.liaison)
    with time_machine.travel(local(2026, 1, 12, 10, 0), tick=False):
        page = client.get(f"/reports/{report.pk}/")
        fields = parse_form(page.content.decode(), f"/reports/{report.pk}/edit/")
        assert {f"task_{task.pk}_percent" for task in setting.tasks} <= {name for name, *_ in fields}
        rng = random.Random(2)
        data, figures, work_done = fill_report(fields, rng=rng, tag="（一）")
        content = attachment(rng)
        assert 19 * 1024 < len(content) <= 20 * 1024
        body, kind = multipart(data, [("files", "材料.pdf", content)])
        with django_assert_max_num_queries(80):
            response = client.post(f"/reports/{report.pk}/edit/", body, content_type=kind)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.work_done == work_done
    assert {f"indicator_{v.indicator_id}": f"{v.value.normalize():f}" for v in report.indicator_values.all()} == figures
    assert report.attachments.get().size == len(content)
