import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from evaluations.models import Evaluation, ManualAdjustment, Objection, ScoringComponent
from notifications.models import Notification

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def test_the_demo_has_a_published_evaluation_with_manual_points_and_an_objection_and_last_month_as_a_draft(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8765"  # as `make demo PORT=8765` sets it
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())

    evaluations = Evaluation.objects.filter(campaign__document_number="管卫〔2016〕41号").order_by("month")
    assert [(e.month, e.status) for e in evaluations] == [
        (datetime.date(2026, 9, 1), Evaluation.Status.PUBLISHED),
        (datetime.date(2026, 10, 1), Evaluation.Status.DRAFT),  # for the office to adjust and publish
    ]
    evaluation = evaluations[0]
    # The six components the demo has always scored with, so that its results stay as they were.
    Kind = ScoringComponent.Kind
    assert set(ScoringComponent.objects.filter(scheme__campaign=evaluation.campaign).values_list("kind", flat=True)) == {
        Kind.SUBMISSION_RATE,
        Kind.ON_TIME_RATE,
        Kind.RETURNED_REPORTS,
        Kind.TASK_PROGRESS,
        Kind.INSPECTION_SCORE,
        Kind.RECTIFICATION_ON_TIME,
    }
    scores = list(evaluation.scores.order_by("rank"))
    assert len(scores) == 6
    assert ManualAdjustment.objects.filter(score__evaluation=evaluation).count() == 1
    assert Objection.objects.filter(score__evaluation=evaluation, status=Objection.Status.OPEN).count() == 1
    assert [s.rank for s in scores] == sorted(s.rank for s in scores)
    assert all(s.total == s.computed_total + s.manual_total for s in scores)
    # The published evaluation's notices link to the server the demo runs on.
    bodies = list(Notification.objects.filter(body__contains="http").values_list("body", flat=True))
    assert bodies
    assert all("http://127.0.0.1:8765/" in body and ":8000" not in body for body in bodies)
