import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from pytest_django.asserts import assertContains, assertNotContains

from evaluations import services
from evaluations.models import Bulletin, Evaluation, ManualAdjustment, Objection, Score
from evaluations.tests.factories import AT, MONTH, Month, build_month

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(AT + datetime.timedelta(hours=1), tick=False)


@pytest.fixture
def month(db):
    return build_month()


def score_of(evaluation, unit):
    return Score.objects.get(evaluation=evaluation, unit=unit)


def test_the_office_computes_adjusts_publishes_and_downloads_the_bulletin(client, month):
    m = month
    client.force_login(m.office)

    response = client.post(reverse("evaluations:compute", args=[m.campaign.pk]), {"month": "2026-03"}, follow=True)

    evaluation = Evaluation.objects.get(campaign=m.campaign, month=MONTH)
    assertContains(response, "已计算2026年3月各单位得分")
    assertContains(response, "甲单位")
    d = score_of(evaluation, m.d)
    response = client.post(
        reverse("evaluations:adjust", args=[d.pk]), {"points": "1", "reason": "承办全区现场会。"}, follow=True
    )
    assertContains(response, "承办全区现场会。")
    assertContains(response, "本月督导检查2次，平均得分75分（百分制），权重10，得7.5分")
    assert score_of(evaluation, m.d).rank == 2 and score_of(evaluation, m.c).rank == 3

    client.post(reverse("evaluations:publish", args=[evaluation.pk]))
    response = client.post(reverse("evaluations:bulletin_draft", args=[evaluation.pk]), follow=True)
    bulletin = Bulletin.objects.get(evaluation=evaluation)
    data = {"title": bulletin.title, "number": "管卫办〔2026〕3号", "recipients": "各责任单位：", "body": bulletin.body + "\n特此通报。"}
    client.post(reverse("evaluations:bulletin", args=[bulletin.pk]), data)
    client.post(reverse("evaluations:bulletin_publish", args=[bulletin.pk]))
    download = client.get(reverse("evaluations:bulletin_download", args=[bulletin.pk]))

    evaluation.refresh_from_db()
    bulletin.refresh_from_db()
    assert evaluation.status == Evaluation.Status.PUBLISHED
    assert bulletin.status == Bulletin.Status.PUBLISHED and bulletin.number == "管卫办〔2026〕3号"
    assert download.status_code == 200
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "特此通报。" in text and "甲单位（97.0分）" in text and "乙单位，得分65.8分" in text
    rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert rows[1:] == [["1", "甲单位", "97.0"], ["2", "丁单位", "88.5"], ["3", "丙单位", "87.5"], ["4", "乙单位", "65.8"]]


def test_a_bad_month_or_bad_points_say_why_and_change_nothing(client, month):
    client.force_login(month.office)

    response = client.post(reverse("evaluations:compute", args=[month.campaign.pk]), {"month": "三月"}, follow=True)
    assertContains(response, "请按“2026-01”的格式选择评定月份。")
    assert not Evaluation.objects.exists()

    evaluation = services.compute_evaluation(campaign=month.campaign, month=MONTH, by=month.office, at=AT)
    a = score_of(evaluation, month.a)
    response = client.post(reverse("evaluations:adjust", args=[a.pk]), {"points": "2", "reason": ""}, follow=True)
    assertContains(response, "请填写加减分的理由。")
    assert not ManualAdjustment.objects.exists()


@pytest.fixture
def published(month):
    evaluation = services.compute_evaluation(campaign=month.campaign, month=MONTH, by=month.office, at=AT)
    month.evaluation = services.publish_evaluation(evaluation=evaluation, by=month.office, at=AT)
    return month


def test_a_liaison_sees_the_ranking_and_only_the_own_breakdown(client, published):
    m = published
    liaison = m.liaisons[m.b.pk]
    client.force_login(liaison)

    ranking = client.get(reverse("evaluations:detail", args=[m.evaluation.pk]))
    own = client.get(reverse("evaluations:score", args=[score_of(m.evaluation, m.b).pk]))
    other = client.get(reverse("evaluations:score", args=[score_of(m.evaluation, m.a).pk]))

    assert ranking.status_code == 200
    assertContains(ranking, "甲单位")
    assertNotContains(ranking, reverse("evaluations:score", args=[score_of(m.evaluation, m.a).pk]))
    assertNotContains(ranking, "计算得分")
    assertContains(own, "应报4期，已报3期，报送率75%，权重30，得22.5分")
    assertContains(own, "提出申诉")
    assert other.status_code == 404


def test_a_liaison_sees_nothing_of_a_draft(client, month):
    evaluation = services.compute_evaluation(campaign=month.campaign, month=MONTH, by=month.office, at=AT)
    client.force_login(month.liaisons[month.b.pk])

    assert client.get(reverse("evaluations:detail", args=[evaluation.pk])).status_code == 404
    assert client.get(reverse("evaluations:score", args=[score_of(evaluation, month.b).pk])).status_code == 404


def test_a_liaison_objects_on_the_page_and_not_for_another_unit(client, published):
    m = published
    client.force_login(m.liaisons[m.b.pk])
    own, other = score_of(m.evaluation, m.b), score_of(m.evaluation, m.a)

    response = client.post(reverse("evaluations:objection_raise", args=[own.pk]), {"text": "3月24日系统故障。"}, follow=True)
    refused = client.post(reverse("evaluations:objection_raise", args=[other.pk]), {"text": "甲单位分数偏高。"})

    assertContains(response, "申诉已提交")
    assert refused.status_code == 404
    assert list(Objection.objects.values_list("score", flat=True)) == [own.pk]


def test_after_the_window_the_page_refuses_the_objection_in_chinese(client, published, time_machine):
    m = published
    time_machine.move_to(AT + datetime.timedelta(days=6), tick=False)
    client.force_login(m.liaisons[m.b.pk])
    own = score_of(m.evaluation, m.b)

    page = client.get(reverse("evaluations:score", args=[own.pk]))
    response = client.post(reverse("evaluations:objection_raise", args=[own.pk]), {"text": "不服。"}, follow=True)

    assertNotContains(page, "提交申诉")
    assertContains(response, "申诉期已于")
    assert not Objection.objects.exists()


def test_only_the_office_computes_publishes_and_writes_bulletins(client, published):
    m = published
    a = score_of(m.evaluation, m.a)
    for user in (m.leader, m.liaisons[m.a.pk]):
        client.force_login(user)
        assert client.post(reverse("evaluations:compute", args=[m.campaign.pk]), {"month": "2026-03"}).status_code == 403
        assert client.post(reverse("evaluations:adjust", args=[a.pk]), {"points": "1", "reason": "x"}).status_code in (403, 404)
        assert client.post(reverse("evaluations:bulletin_draft", args=[m.evaluation.pk])).status_code == 403
    assert not ManualAdjustment.objects.exists() and not Bulletin.objects.exists()


def test_the_office_answers_an_objection_on_its_page(client, published):
    m = published
    objection = services.raise_objection(score=score_of(m.evaluation, m.b), text="系统故障。", by=m.liaisons[m.b.pk], at=AT)
    client.force_login(m.office)

    page = client.get(reverse("evaluations:objections", args=[m.campaign.pk]))
    response = client.post(
        reverse("evaluations:objection_answer", args=[objection.pk]), {"answer": "经核实属实。", "points": "2"}, follow=True
    )

    assertContains(page, "系统故障。")
    assertContains(response, "经核实属实。")
    assert score_of(m.evaluation, m.b).total == score_of(m.evaluation, m.b).computed_total + Decimal(2)


# Query counts: the pages cost the same for 30 units as for 3.


def world_of(units):
    m = Month(prefix=str(units))
    for order in range(units):
        unit, reports = m.unit(f"{units}-单位{order}", order + 1, statuses=["on_time", "late", "missing", "exempt"])
        m.progress(reports[1], [40])
        m.inspection(datetime.date(2026, 3, 5), {unit: Decimal(88)})
        m.rectification(unit, datetime.date(2026, 3, 10))
    evaluation = services.compute_evaluation(campaign=m.campaign, month=MONTH, by=m.office, at=AT)
    first = Score.objects.filter(evaluation=evaluation).order_by("pk").first()
    services.add_adjustment(score=first, points="1", reason="加分", by=m.office, at=AT)
    services.publish_evaluation(evaluation=evaluation, by=m.office, at=AT)
    for score in Score.objects.filter(evaluation=evaluation):
        services.raise_objection(score=score, text="申诉。", by=m.liaisons[score.unit_id], at=AT)
    bulletin = services.draft_bulletin(evaluation=evaluation, at=AT)
    return m, evaluation, first, bulletin


@pytest.mark.parametrize("units", [3, 30])
def test_the_evaluation_pages_cost_the_same_queries_for_30_units_as_for_3(client, django_assert_max_num_queries, units):
    m, evaluation, first, bulletin = world_of(units)
    client.force_login(m.office)
    pages = [
        reverse("evaluations:list", args=[m.campaign.pk]),
        reverse("evaluations:detail", args=[evaluation.pk]),
        reverse("evaluations:score", args=[first.pk]),
        reverse("evaluations:objections", args=[m.campaign.pk]),
        reverse("evaluations:bulletin", args=[bulletin.pk]),
        reverse("evaluations:bulletin_download", args=[bulletin.pk]),
    ]
    for page in pages:
        with django_assert_max_num_queries(16):
            assert client.get(page).status_code == 200, page
    client.force_login(m.liaisons[first.unit_id])
    for page in pages[:3]:
        with django_assert_max_num_queries(16):
            assert client.get(page).status_code == 200, page

