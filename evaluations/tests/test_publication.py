import datetime
import io
from decimal import Decimal

import pytest
from docx import Document

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory
from evaluations import services
from evaluations.models import Bulletin, Evaluation, ManualAdjustment, Objection, Score
from evaluations.tests.factories import AT, MONTH, build_month
from notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(db):
    return build_month()


@pytest.fixture
def published(month):
    evaluation = services.compute_evaluation(campaign=month.campaign, month=MONTH, by=month.office, at=AT)
    services.publish_evaluation(evaluation=evaluation, by=month.office, at=AT)
    month.evaluation = Evaluation.objects.get(pk=evaluation.pk)
    return month


def score_of(month, unit):
    return Score.objects.get(evaluation=month.evaluation, unit=unit)


def test_publishing_tells_each_units_liaisons_their_score_and_rank(published):
    m = published
    head = MembershipFactory(unit=m.a, role=Membership.Role.UNIT_HEAD, user__username="head_a").user

    assert m.evaluation.status == Evaluation.Status.PUBLISHED
    assert m.evaluation.published_by == m.office
    notified = Notification.objects.filter(campaign=m.campaign)
    assert set(notified.values_list("recipient", flat=True)) == {u.pk for u in m.liaisons.values()}
    assert head.pk not in set(notified.values_list("recipient", flat=True))
    a = notified.get(recipient=m.liaisons[m.a.pk])
    assert "得分97分" in a.body and "排名第1。" in a.body and "在4个单位中" in a.body
    assert a.url == f"/evaluations/score/{score_of(m, m.a).pk}/"
    deliveries = Delivery.objects.filter(channel=Delivery.Channel.IN_APP, campaign=m.campaign)
    assert deliveries.count() == 4
    assert set(deliveries.values_list("notification", flat=True)) == set(notified.values_list("pk", flat=True))


def test_publishing_twice_is_refused(published):
    with pytest.raises(services.EvaluationError, match="已发布"):
        services.publish_evaluation(evaluation=published.evaluation, by=published.office)
    assert Notification.objects.count() == 4


def test_a_liaison_objects_within_the_window_and_the_office_answers_with_points_on_record(published):
    m = published
    b = score_of(m, m.b)
    liaison = m.liaisons[m.b.pk]

    objection = services.raise_objection(
        score=b, text="3月24日周报因系统故障未能报送，已电话报备。", by=liaison, at=AT + datetime.timedelta(days=4, hours=23)
    )
    assert Notification.objects.filter(recipient=m.office, title__contains="申诉").exists()
    with pytest.raises(services.EvaluationError, match="待答复"):
        services.raise_objection(score=b, text="补充说明。", by=liaison, at=AT + datetime.timedelta(days=4, hours=23))

    services.answer_objection(
        objection=objection, answer="经核实，系统故障属实，补加报送率分数。", points="7.5", by=m.office, at=AT + datetime.timedelta(days=5)
    )

    objection.refresh_from_db()
    assert objection.status == Objection.Status.ANSWERED and objection.answered_by == m.office
    b.refresh_from_db()
    assert b.manual_total == Decimal("7.5")
    assert b.total == b.computed_total + Decimal("7.5")
    adjustment = ManualAdjustment.objects.get(score=b)
    assert adjustment.objection == objection and "系统故障属实" in adjustment.reason
    # 65.8 + 7.5 = 73.3: still behind 丙 and 丁 (87.5), rank unchanged.
    assert b.rank == 4
    told = Notification.objects.filter(recipient=liaison, title__contains="已答复").get()
    assert "调整+7.5分" in told.body and "现为73.3分，排名第4。" in told.body


def test_an_objection_after_the_window_is_refused(published):
    m = published
    closes = m.evaluation.published_at + datetime.timedelta(days=m.scheme.objection_days)

    with pytest.raises(services.EvaluationError, match="申诉期已于"):
        services.raise_objection(
            score=score_of(m, m.b), text="不服。", by=m.liaisons[m.b.pk], at=closes + datetime.timedelta(minutes=1)
        )
    assert not Objection.objects.exists()


def test_only_the_units_own_people_object_and_only_once_published(month):
    m = month
    evaluation = services.compute_evaluation(campaign=m.campaign, month=MONTH, by=m.office, at=AT)
    b = Score.objects.get(evaluation=evaluation, unit=m.b)
    with pytest.raises(services.EvaluationError, match="发布后"):
        services.raise_objection(score=b, text="不服。", by=m.liaisons[m.b.pk], at=AT)
    services.publish_evaluation(evaluation=evaluation, by=m.office, at=AT)
    for stranger in (m.liaisons[m.a.pk], m.office, m.leader):
        with pytest.raises(services.EvaluationError, match="只有本单位"):
            services.raise_objection(score=b, text="不服。", by=stranger, at=AT)
    assert not Objection.objects.exists()


# The bulletin


def test_the_draft_bulletin_praises_the_leaders_names_the_laggards_and_lists_overdue_items(published):
    m = published

    bulletin = services.draft_bulletin(evaluation=m.evaluation, at=AT)

    assert bulletin.title == "关于2026年3月文明执法综合评定情况的通报"
    assert bulletin.ranking == [["1", "甲单位", "97.0"], ["2", "丙单位", "87.5"], ["2", "丁单位", "87.5"], ["4", "乙单位", "65.8"]]
    body = bulletin.body
    # lead_count 1: 甲 praised; lag_count 1: 乙 named, with what it lost most.
    assert "甲单位（97.0分）本月综合评定成绩突出" in body
    assert "（一）乙单位，得分65.8分，排名第4，主要失分：按时报送率失10.0分；任务进度失8.0分。" in body
    assert "名，主要失分" not in body  # 排名第4, never 排名第4名
    assert "丙单位（" not in body
    # Overdue at the end of March: 乙's item due 25 March and its February item.
    assert "乙单位：乙单位规范执法文书填写（整改期限2026年2月20日，整改中）" in body
    assert "（整改期限2026年3月25日，待整改）" in body
    assert "2026年4月20日" not in body
    assert "平均得分84.5分，最高97.0分，最低65.8分" in body
    assert services.RANKING_PLACEHOLDER in body.splitlines()


def test_a_bulletin_needs_a_published_evaluation_and_is_drafted_once(month, published):
    services.draft_bulletin(evaluation=published.evaluation, at=AT)
    with pytest.raises(services.EvaluationError, match="已起草"):
        services.draft_bulletin(evaluation=published.evaluation, at=AT)
    assert Bulletin.objects.count() == 1


def test_the_edited_bulletin_is_published_to_every_unit_and_downloads_as_docx(published):
    m = published
    head = MembershipFactory(unit=m.c, role=Membership.Role.UNIT_HEAD, user__username="head_c").user
    bulletin = services.draft_bulletin(evaluation=m.evaluation, at=AT)
    body = bulletin.body.replace("一、总体情况", "一、总体评定情况") + "\n特此通报。"
    services.edit_bulletin(bulletin=bulletin, title=bulletin.title, number="管卫办〔2026〕3号", recipients="各责任单位：", body=body)
    before = Notification.objects.count()

    services.publish_bulletin(bulletin=bulletin, by=m.office, at=AT + datetime.timedelta(days=1))

    told = Notification.objects.order_by("pk")[before:]
    assert {n.recipient_id for n in told} == {u.pk for u in m.liaisons.values()} | {head.pk}
    with pytest.raises(services.EvaluationError, match="已发布"):
        services.edit_bulletin(bulletin=bulletin, title="改", number="", recipients="", body="改")
    bulletin.refresh_from_db()
    document = Document(io.BytesIO(services.render_bulletin(bulletin)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert bulletin.title in text and "管卫办〔2026〕3号" in text
    assert "一、总体评定情况" in text and "特此通报。" in text
    assert "甲单位（97.0分）本月综合评定成绩突出" in text
    assert services.RANKING_PLACEHOLDER not in text
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [["名次", "责任单位", "得分"], ["1", "甲单位", "97.0"], ["2", "丙单位", "87.5"], ["2", "丁单位", "87.5"], ["4", "乙单位", "65.8"]]


def test_the_ranking_table_goes_to_the_end_when_its_line_was_removed(published):
    bulletin = services.draft_bulletin(evaluation=published.evaluation, at=AT)
    bulletin.body = bulletin.body.replace(services.RANKING_PLACEHOLDER, "")

    document = services.bulletin_document(bulletin, issuer="领导小组办公室")

    assert document.blocks[-2].text == "附件：综合评定排名表"
    assert document.blocks[-1].rows[0] == ["1", "甲单位", "97.0"]
    levels = [(type(b).__name__, getattr(b, "level", None)) for b in document.blocks]
    assert ("Heading", 1) in levels and ("Heading", 2) in levels


def test_the_bulletin_is_signed_by_the_leading_group_office_not_its_section(published):
    campaign = published.campaign
    campaign.short_title = ""
    campaign.title = "文明执法素养提升三年行动方案（2016—2018）"
    campaign.save()
    campaign.office_unit.name = "区卫健委组宣处"
    campaign.office_unit.save()
    bulletin = services.draft_bulletin(evaluation=published.evaluation, at=AT)

    text = "\n".join(p.text for p in Document(io.BytesIO(services.render_bulletin(bulletin))).paragraphs)

    assert "文明执法素养提升三年行动领导小组办公室" in text
    assert "组宣处" not in text
