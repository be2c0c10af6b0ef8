import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from evaluations.models import Evaluation, ManualAdjustment, Objection, ScoringComponent

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def test_the_demo_has_a_published_evaluation_of_last_month_with_manual_points_and_an_objection(db):
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())

    evaluation = Evaluation.objects.get(campaign__document_number="管卫〔2016〕41号")
    assert evaluation.month == datetime.date(2026, 10, 1)
    assert evaluation.status == Evaluation.Status.PUBLISHED
    assert set(ScoringComponent.objects.filter(scheme__campaign=evaluation.campaign).values_list("kind", flat=True)) == set(
        ScoringComponent.Kind.values
    )
    scores = list(evaluation.scores.order_by("rank"))
    assert len(scores) == 6
    assert ManualAdjustment.objects.filter(score__evaluation=evaluation).count() == 1
    assert Objection.objects.filter(score__evaluation=evaluation, status=Objection.Status.OPEN).count() == 1
    assert [s.rank for s in scores] == sorted(s.rank for s in scores)
    assert all(s.total == s.computed_total + s.manual_total for s in scores)
