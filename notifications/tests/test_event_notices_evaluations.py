"""The evaluation's events (an objection answered, a bulletin published) are
told through notifications.events like the lower apps' moves: once each, with
an e-mail as each person chose."""

import pytest

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory
from evaluations import services
from evaluations.models import Score
from evaluations.tests.factories import AT, MONTH, build_month
from notifications import events
from notifications.models import Delivery, EventKind, EventNotice, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db):
    m = build_month()
    m.head_b = MembershipFactory(unit=m.b, role=Membership.Role.UNIT_HEAD, user__username="head_b").user
    for user in [*m.liaisons.values(), m.head_b, m.office]:
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    evaluation = services.compute_evaluation(campaign=m.campaign, month=MONTH, by=m.office, at=AT)
    m.evaluation = services.publish_evaluation(evaluation=evaluation, by=m.office, at=AT)
    return m


def test_an_answered_objection_tells_the_units_liaisons_and_heads_once(published):
    m = published
    score = Score.objects.get(evaluation=m.evaluation, unit=m.b)
    objection = services.raise_objection(score=score, text="第4期因系统故障未能报送。", by=m.liaisons[m.b.pk], at=AT)

    services.answer_objection(objection=objection, answer="经核实属实，加2分。", points="2", by=m.office, at=AT)

    notices = EventNotice.objects.filter(kind=EventKind.OBJECTION_ANSWERED)
    assert set(notices.values_list("recipient", flat=True)) == {m.liaisons[m.b.pk].pk, m.head_b.pk}
    notice = Notification.objects.get(recipient=m.head_b)
    assert notice.title == f"{m.campaign}：2026年3月综合评定申诉已答复"
    assert "办公室答复：经核实属实，加2分。" in notice.body and "本单位得分调整+2分" in notice.body
    emails = Delivery.objects.filter(channel=Delivery.Channel.EMAIL, subject=notice.title)
    assert set(emails.values_list("address", flat=True)) == {f"liaison{m.b.pk}@example.gov.cn", "head_b@example.gov.cn"}


def test_a_published_bulletin_tells_every_unit_of_the_evaluation_once_and_as_each_chose(published):
    m = published
    quiet = m.liaisons[m.a.pk]
    events.save_preferences(user=quiet, email_kinds=set(), daily_digest=False)
    bulletin = services.draft_bulletin(evaluation=m.evaluation, at=AT)

    services.publish_bulletin(bulletin=bulletin, by=m.office, at=AT)

    told = EventNotice.objects.filter(kind=EventKind.BULLETIN_PUBLISHED)
    assert sorted(told.values_list("recipient", flat=True)) == sorted([*(u.pk for u in m.liaisons.values()), m.head_b.pk])
    assert Notification.objects.filter(title=f"通报：{bulletin.title}").count() == 5
    emailed = Delivery.objects.filter(channel=Delivery.Channel.EMAIL, subject=f"通报：{bulletin.title}")
    assert quiet.pk not in set(emailed.values_list("recipient", flat=True)) and emailed.count() == 4
    assert not Notification.objects.filter(recipient=m.office, title__startswith="通报").exists()
