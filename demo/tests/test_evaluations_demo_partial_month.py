"""The evaluation demo on the partial-month campaign of the evaluations' tests."""

from demo.evaluations import seed_evaluation
from evaluations.models import Evaluation
from evaluations.tests.test_partial_month import MID, NOVEMBER, m  # noqa: F401 (m is the fixture)
from notifications.models import Notification


def test_the_demo_leaves_a_month_not_over_as_a_draft(m):  # noqa: F811 (the imported fixture)
    # October has no period: the demo falls back to November, not yet over.
    evaluation = seed_evaluation(campaign=m.campaign, office_user=m.office, now=MID)

    assert evaluation.month == NOVEMBER
    assert evaluation.status == Evaluation.Status.DRAFT
    assert evaluation.scores.filter(adjustments__isnull=False).count() == 1
    assert not Notification.objects.exists()
