"""A month computed before it ends: only what had fallen due by the time of
computation counts; the same month computed again after its end counts it
all; such a draft is not published, and the bulletin lists as overdue only
what was overdue when it was drafted.

November 2026, computed on Monday 23 November at 10:00 (mid-month) and again
on 2 December at 10:00. Four weekly periods fall due in November (3, 10, 17
and 24 at 17:30): the one of the 24th is not yet due mid-month.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from evaluations import scoring, services
from evaluations.models import Bulletin, Evaluation, Score
from evaluations.tests.factories import MONTH, WEIGHTS, Kind, Month, build_month, local
from notifications.models import Notification
from reports.models import Report
from reports.tests.factories import PeriodFactory
from supervision.models import RectificationItem

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2026, 11, 1)
MID = local(2026, 11, 23, 10, 0)
AFTER = local(2026, 12, 2, 10, 0)
W = WEIGHTS


def p(value):
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def november():
    """甲 and 乙, with November's story:

    - 甲: on time on the 3rd and 10th, nothing for the 17th (overdue
      mid-month) nor the 24th (not yet due mid-month); tasks at 70 %; returned
      on 20 and 26 November; inspected on the 25th (60); items due on the 16th
      (open), 20th (closed on time), 28th (open) and 30th (submitted on the
      22nd, awaiting verification).
    - 乙: every report on time; only items due on the 28th (open) and the
      30th (submitted, awaiting verification): nothing due mid-month.
    """
    m = Month(prefix="11")
    dues = [local(2026, 11, d, 17, 30) for d in (3, 10, 17, 24)]
    m.november = [PeriodFactory(rule=m.rule, number=20 + n, due_at=at) for n, at in enumerate(dues)]
    m.a = _unit(m, "甲单位", 1, ["on_time", "on_time", "missing", "missing"])
    m.b = _unit(m, "乙单位", 2, ["on_time"] * 4)
    m.progress(Report.objects.get(unit=m.a, period=m.november[1]), [70])
    m.progress(Report.objects.get(unit=m.b, period=m.november[1]), [100])
    a_second = Report.objects.get(unit=m.a, period=m.november[1])
    m.returned(a_second, local(2026, 11, 20, 9, 0))
    m.returned(a_second, local(2026, 11, 26, 9, 0))
    m.inspection(datetime.date(2026, 11, 25), {m.a: Decimal(60)})
    m.a_16 = m.rectification(m.a, datetime.date(2026, 11, 16))
    m.rectification(m.a, datetime.date(2026, 11, 20), submitted=local(2026, 11, 19, 9), closed=local(2026, 11, 21, 9))
    m.a_28 = m.rectification(m.a, datetime.date(2026, 11, 28))
    m.a_30 = m.rectification(
        m.a, datetime.date(2026, 11, 30), submitted=local(2026, 11, 22, 9), status=RectificationItem.Status.SUBMITTED
    )
    m.rectification(m.b, datetime.date(2026, 11, 28))
    m.rectification(
        m.b, datetime.date(2026, 11, 30), submitted=local(2026, 11, 22, 9), status=RectificationItem.Status.SUBMITTED
    )
    return m


def _unit(m, name, order, statuses):
    from campaigns.models import Membership
    from campaigns.tests.factories import MembershipFactory, UnitFactory

    unit = UnitFactory(name=name, short_name=name, sort_order=order)
    m.liaisons[unit.pk] = MembershipFactory(unit=unit, role=Membership.Role.LIAISON, user__username=f"l{unit.pk}").user
    for period, status in zip(m.november, statuses, strict=True):
        fields = {"status": Report.Status.NOT_STARTED}
        if status == "on_time":
            fields = {"status": Report.Status.ACCEPTED, "submitted_at": period.due_at - datetime.timedelta(hours=2)}
        Report.objects.create(period=period, unit=unit, due_at=period.due_at, **fields)
    return unit


@pytest.fixture
def m(db):
    return november()


def compute(m, at):
    return services.compute_evaluation(campaign=m.campaign, month=NOVEMBER, by=m.office, at=at)


def breakdown(evaluation, unit):
    return Score.objects.get(evaluation=evaluation, unit=unit).breakdown


def test_mid_month_only_what_has_fallen_due_counts(m):
    evaluation = compute(m, MID)

    a = breakdown(evaluation, m.a)
    # Reports due 3, 10, 17 November; the 24th is not yet due.
    assert a[0]["inputs"] == {"expected": 3, "done": 2}
    assert a[0]["points"] == str(p(W[Kind.SUBMISSION_RATE] * 2 / 3))
    assert a[1]["points"] == str(p(W[Kind.ON_TIME_RATE] * 2 / 3))
    assert a[0]["text"] == f"截至计算时应报3期，已报2期，报送率66.7%，权重30，得{scoring.figure(p(W[Kind.SUBMISSION_RATE] * 2 / 3))}分"
    # The return of the 26th and the inspection of the 25th are after the computation.
    assert a[2]["inputs"]["returns"] == 1
    assert a[2]["points"] == str(p(W[Kind.RETURNED_REPORTS] - 1 * 2))
    assert a[3]["points"] == str(p(W[Kind.TASK_PROGRESS] * 70 / 100))
    assert a[4]["inputs"]["inspections"] == 0 and a[4]["points"] == str(p(W[Kind.INSPECTION_SCORE]))
    # Items due on the 16th (open) and 20th (closed on time); not the 28th nor the 30th.
    assert a[5]["inputs"] == {"due": 2, "on_time": 1}
    assert a[5]["points"] == str(p(W[Kind.RECTIFICATION_ON_TIME] * 1 / 2))
    assert a[5]["text"] == "截至计算时已到期应整改2项，按期销号1项，按期销号率50%，权重10，得5分"
    b = breakdown(evaluation, m.b)
    assert b[5]["inputs"] == {"due": 0, "on_time": 0}
    assert b[5]["points"] == str(p(W[Kind.RECTIFICATION_ON_TIME]))
    assert b[5]["text"] == "截至计算时本月无到期的整改事项，按满分计，权重10，得10分"


def test_the_same_month_computed_again_after_its_end_counts_it_all(m):
    draft = compute(m, MID)

    evaluation = compute(m, AFTER)

    assert evaluation.pk == draft.pk
    a = breakdown(evaluation, m.a)
    assert a[0]["inputs"] == {"expected": 4, "done": 2}
    assert a[0]["points"] == str(p(W[Kind.SUBMISSION_RATE] * 2 / 4))
    assert a[1]["points"] == str(p(W[Kind.ON_TIME_RATE] * 2 / 4))
    assert a[0]["text"].startswith("应报4期，已报2期")
    assert a[2]["points"] == str(p(W[Kind.RETURNED_REPORTS] - 2 * 2))
    assert a[4]["points"] == str(p(W[Kind.INSPECTION_SCORE] * 60 / 100))
    assert a[5]["inputs"] == {"due": 4, "on_time": 1}
    assert a[5]["points"] == str(p(W[Kind.RECTIFICATION_ON_TIME] * 1 / 4))
    assert a[5]["text"] == "应整改4项，按期销号1项，按期销号率25%，权重10，得2.5分"
    b = breakdown(evaluation, m.b)
    assert b[5]["inputs"] == {"due": 2, "on_time": 0}
    assert b[5]["text"] == "应整改2项，按期销号0项，按期销号率0%，权重10，得0分"
    total = Score.objects.get(evaluation=evaluation, unit=m.a).computed_total
    assert total == sum(Decimal(entry["points"]) for entry in a)


def test_a_month_not_over_is_not_published(m):
    evaluation = compute(m, MID)

    with pytest.raises(services.EvaluationError, match="2026年11月尚未结束，不能发布评定结果"):
        services.publish_evaluation(evaluation=evaluation, by=m.office, at=MID + datetime.timedelta(hours=1))
    # Over now, but the scores still stop at 23 November.
    with pytest.raises(services.EvaluationError, match="月度结束前计算.*请重新计算后再发布"):
        services.publish_evaluation(evaluation=evaluation, by=m.office, at=AFTER)

    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT and evaluation.published_at is None
    assert not Notification.objects.exists()
    compute(m, AFTER)
    published = services.publish_evaluation(evaluation=evaluation, by=m.office, at=AFTER + datetime.timedelta(minutes=5))
    assert published.is_published


def test_only_items_overdue_when_drafted_are_listed(m):
    overdue = list(scoring.overdue_rectifications(campaign=m.campaign, month=NOVEMBER, at=MID))
    assert overdue == [m.a_16]

    after = list(scoring.overdue_rectifications(campaign=m.campaign, month=NOVEMBER, at=AFTER))
    assert {item.pk for item in after} == {m.a_16.pk, m.a_28.pk, m.a_30.pk} | set(
        RectificationItem.objects.filter(unit=m.b).values_list("pk", flat=True)
    )


def test_a_bulletin_drafted_mid_month_lists_only_items_past_their_deadline(m):
    # An evaluation published mid-month before publishing was refused for it.
    evaluation = compute(m, MID)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=Evaluation.Status.PUBLISHED, published_at=MID, published_by=m.office
    )

    body = services.draft_bulletin(evaluation=evaluation, at=MID + datetime.timedelta(hours=1)).body

    assert "（整改期限2026年11月16日，待整改）" in body
    assert "2026年11月28日" not in body and "2026年11月30日" not in body


def test_a_bulletin_drafted_after_the_month_lists_what_is_overdue_and_not_what_was_closed_or_is_later(m):
    m.a_16.status, m.a_16.submitted_at, m.a_16.closed_at = (
        RectificationItem.Status.CLOSED,
        local(2026, 11, 30, 9),
        local(2026, 12, 1, 9),
    )
    m.a_16.save()
    m.rectification(m.a, datetime.date(2026, 12, 1))  # overdue when drafted, but not November's
    compute(m, AFTER)
    evaluation = services.publish_evaluation(
        evaluation=Evaluation.objects.get(campaign=m.campaign), by=m.office, at=AFTER + datetime.timedelta(minutes=5)
    )

    body = services.draft_bulletin(evaluation=evaluation, at=AFTER + datetime.timedelta(hours=1)).body

    assert "2026年11月16日" not in body  # closed (late) before the drafting
    assert "（整改期限2026年11月28日，待整改）" in body
    assert "（整改期限2026年11月30日，已提交待核验）" in body
    assert "2026年12月1日" not in body


def test_the_bulletin_writes_scores_with_one_decimal_and_one_full_stop(db):
    m = build_month()
    evaluation = services.compute_evaluation(campaign=m.campaign, month=MONTH, by=m.office, at=local(2026, 4, 3, 10))
    b = Score.objects.get(evaluation=evaluation, unit=m.b)
    services.add_adjustment(score=b, points="5.2", reason="补报材料齐全。", by=m.office, at=local(2026, 4, 3, 11))
    services.publish_evaluation(evaluation=evaluation, by=m.office, at=local(2026, 4, 3, 12))
    RectificationItem.objects.filter(pk=m.b_open.pk).update(requirement="落实挂牌上岗制度。")
    totals = dict(Score.objects.filter(evaluation=evaluation).values_list("unit__name", "total"))
    assert totals["乙单位"] == Decimal("71.0") and totals["甲单位"] == Decimal("97.0")
    average = p(sum(totals.values()) / len(totals))

    bulletin = services.draft_bulletin(evaluation=evaluation, at=local(2026, 4, 4, 9))

    body = bulletin.body
    assert f"平均得分{average}分，最高97.0分，最低71.0分" in body
    assert "甲单位（97.0分）" in body
    assert "（一）乙单位，得分71.0分，排名第4，" in body
    assert bulletin.ranking[0] == ["1", "甲单位", "97.0"] and bulletin.ranking[-1] == ["4", "乙单位", "71.0"]
    assert "乙单位：落实挂牌上岗制度（整改期限2026年3月25日，待整改）。" in body
    assert "。（" not in body and "。。" not in body


# The pages


def test_the_page_of_a_month_not_over_says_so_and_publishing_is_refused(client, m, time_machine):
    time_machine.move_to(MID, tick=False)
    client.force_login(m.office)

    response = client.post(reverse("evaluations:compute", args=[m.campaign.pk]), {"month": "2026-11"}, follow=True)
    evaluation = Evaluation.objects.get(campaign=m.campaign, month=NOVEMBER)
    refused = client.post(reverse("evaluations:publish", args=[evaluation.pk]), follow=True)

    assertContains(response, "本月尚未结束，得分按截至计算时的数据计算；建议月度结束后重新计算再发布")
    assertNotContains(response, "data-confirm=\"发布后将通知各单位")
    assertContains(refused, "2026年11月尚未结束，不能发布评定结果")
    evaluation.refresh_from_db()
    assert not evaluation.is_published

    time_machine.move_to(AFTER, tick=False)
    stale = client.get(reverse("evaluations:detail", args=[evaluation.pk]))
    assertContains(stale, "本次得分计算于2026年11月结束前")
    assertNotContains(stale, "本月尚未结束")


def test_publishing_buttons_ask_for_confirmation_and_tables_do_not_wrap(client, m, time_machine):
    time_machine.move_to(AFTER, tick=False)
    evaluation = compute(m, AFTER)
    client.force_login(m.office)

    detail = client.get(reverse("evaluations:detail", args=[evaluation.pk]))
    assertNotContains(detail, "本月尚未结束")
    assertNotContains(detail, "结束前")
    assertContains(detail, 'data-confirm="发布后将通知各单位联络员，且不能再重新计算或加减分。确定发布2026年11月综合评定结果？"')

    services.publish_evaluation(evaluation=evaluation, by=m.office, at=AFTER)
    bulletin = services.draft_bulletin(evaluation=evaluation, at=AFTER)
    page = client.get(reverse("evaluations:bulletin", args=[bulletin.pk]))
    assertContains(page, 'data-confirm="发布后将通知各单位联络员和负责人，且不能再修改。确定发布通报？"')
    assert Bulletin.objects.get(pk=bulletin.pk).status == Bulletin.Status.DRAFT

    listing = client.get(reverse("evaluations:list", args=[m.campaign.pk])).content.decode()
    table = listing[listing.index('<div class="table-responsive">') :]
    assert '<th scope="row" class="fw-normal text-nowrap"><a href="/evaluations/' in table
    assert '<td class="text-nowrap"><span class="badge text-bg-success text-nowrap">已发布</span>' in table
