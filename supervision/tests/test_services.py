"""Recording an inspection and an item's life: open, in progress, submitted,
closed or rejected; every step once, and bad input changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calendars.models import CalendarDay
from supervision import services
from supervision.models import (
    Finding,
    InspectedUnit,
    Inspection,
    InspectionAttachment,
    RectificationEvent,
    RectificationEvidence,
    RectificationItem,
    RectificationResponse,
)

from .conftest import NOW, local, pdf, record

Status = RectificationItem.Status


def everything():
    return (
        Inspection.objects.count(),
        InspectedUnit.objects.count(),
        Finding.objects.count(),
        RectificationItem.objects.count(),
        RectificationEvent.objects.count(),
        InspectionAttachment.objects.count(),
        list(RectificationItem.objects.order_by("pk").values_list("status", "submitted_at", "closed_at")),
        list(RectificationResponse.objects.order_by("pk").values_list("decision", "decision_comment")),
        RectificationEvidence.objects.count(),
    )


def test_each_finding_opens_one_item_due_at_six_on_its_deadline(setting):
    inspection = record(setting, attachments=[pdf("检查记录表.pdf")])

    items = list(RectificationItem.objects.order_by("deadline"))
    assert [(i.unit, i.campaign, i.status, i.deadline) for i in items] == [
        (setting.unit, setting.campaign, Status.OPEN, datetime.date(2026, 1, 16)),
        (setting.unit, setting.campaign, Status.OPEN, datetime.date(2026, 1, 20)),
    ]
    assert [i.due_at for i in items] == [local(2026, 1, 16, 18, 0), local(2026, 1, 20, 18, 0)]
    assert [i.finding.inspection for i in items] == [inspection, inspection]
    assert items[0].requirement == "规范执法文书填写，组织一次培训。"
    scores = dict(inspection.inspected_units.values_list("unit__name", "score"))
    assert scores == {"区卫生监督所": Decimal("86.5"), "区卫健委宣传科": Decimal("92.0")}
    assert inspection.attachments.get().original_name == "检查记录表.pdf"
    assert RectificationEvent.objects.filter(action="create").count() == 2


def test_a_deadline_on_a_holiday_falls_due_on_the_next_working_day(setting):
    # Friday 16 January a holiday, then the weekend: due Monday 19 January.
    CalendarDay.objects.create(date=datetime.date(2026, 1, 16), is_working=False, name="测试假日")
    record(
        setting,
        findings=[services.FindingInput(setting.unit, "问题。", "整改。", datetime.date(2026, 1, 16))],
    )

    item = RectificationItem.objects.get()
    assert item.deadline == datetime.date(2026, 1, 16)
    assert item.due_at == local(2026, 1, 19, 18, 0)


def test_a_deadline_on_a_make_up_working_saturday_stays(setting):
    CalendarDay.objects.create(date=datetime.date(2026, 1, 17), is_working=True, name="调休上班")
    record(setting, findings=[services.FindingInput(setting.unit, "问题。", "整改。", datetime.date(2026, 1, 17))])

    assert RectificationItem.objects.get().due_at == local(2026, 1, 17, 18, 0)


@pytest.mark.parametrize(
    ("finding", "message"),
    [
        (lambda s: services.FindingInput(s.unit, "问题。", "整改。", datetime.date(2026, 1, 12)), "须晚于今天"),
        (lambda s: services.FindingInput(s.unit, "问题。", "整改。", datetime.date(2025, 12, 31)), "须晚于今天"),
        (lambda s: services.FindingInput(s.unit, "问题。", "   ", datetime.date(2026, 1, 20)), "整改要求"),
        (lambda s: services.FindingInput(s.unit, "", "整改。", datetime.date(2026, 1, 20)), "具体情况"),
        (lambda s: services.FindingInput(s.unit, "问题。", "整改。", None), "整改期限"),
    ],
    ids=["deadline today", "deadline past", "empty requirement", "empty description", "no deadline"],
)
def test_a_bad_finding_records_nothing(setting, finding, message):
    good = services.FindingInput(setting.unit, "问题。", "整改。", datetime.date(2026, 1, 20))
    before = everything()

    with pytest.raises(services.SupervisionError, match=message):
        record(setting, findings=[good, finding(setting)])

    assert everything() == before


def test_a_bad_file_records_nothing(setting):
    before = everything()
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not a picture")

    with pytest.raises(services.SupervisionError, match="内容与扩展名"):
        record(setting, attachments=[pdf(), fake])

    assert everything() == before


@pytest.mark.parametrize(
    ("kind", "units", "message"),
    [
        (Inspection.Kind.UNANNOUNCED, lambda s: [(s.unit, 80)], "不评分"),
        (Inspection.Kind.ON_SITE, lambda s: [(s.unit, 100.5)], "0 到 100"),
        (Inspection.Kind.ON_SITE, lambda s: [(s.unit, "八十")], "不是数字"),
        (Inspection.Kind.ON_SITE, lambda s: [], "至少选择一个"),
        (Inspection.Kind.ON_SITE, lambda s: [(s.other_unit, 80)], "不在被检查单位中"),
    ],
)
def test_bad_units_or_scores_record_nothing(setting, kind, units, message):
    before = everything()

    with pytest.raises(services.SupervisionError, match=message):
        record(setting, kind=kind, units=units(setting))

    assert everything() == before


def test_an_unannounced_visit_carries_no_score():
    assert not Inspection(kind=Inspection.Kind.UNANNOUNCED).has_score
    assert all(Inspection(kind=kind).has_score for kind in Inspection.Kind.values if kind != "unannounced")


def first_item(setting):
    record(setting)
    return RectificationItem.objects.order_by("deadline").first()


def test_an_item_is_started_answered_and_closed_on_time(setting):
    item = first_item(setting)
    services.start_work(item=item, by=setting.liaison, at=NOW)
    assert item.status == Status.IN_PROGRESS

    at = local(2026, 1, 15, 16, 0)
    response = services.submit_response(
        item=item, by=setting.liaison, at=at, text="已组织全所执法人员培训。", files=[pdf()]
    )
    services.verify(item=item, by=setting.office, at=local(2026, 1, 19, 9, 0))

    item.refresh_from_db()
    response.refresh_from_db()
    assert (item.status, item.submitted_at, item.closed_at) == (Status.CLOSED, at, local(2026, 1, 19, 9, 0))
    assert item.closed_on_time
    assert not item.is_overdue(local(2026, 2, 1, 0, 0))
    assert (response.decision, response.decided_by) == ("verified", setting.office)
    assert response.evidence.get().original_name == "整改照片.pdf"
    assert list(item.events.values_list("action", flat=True)) == ["create", "start", "submit", "verify"]


def test_a_rejected_item_is_answered_again_late_and_closed_late(setting):
    item = first_item(setting)
    services.submit_response(item=item, by=setting.liaison, at=local(2026, 1, 14, 9, 0), text="已整改。")

    with pytest.raises(services.SupervisionError, match="理由"):
        services.reject(item=item, by=setting.office, at=local(2026, 1, 14, 10, 0), reason="  ")
    services.reject(item=item, by=setting.office, at=local(2026, 1, 14, 10, 0), reason="缺少培训签到表。")
    assert item.status == Status.REJECTED
    assert item.is_answerable

    services.submit_response(
        item=item, by=setting.liaison, at=local(2026, 1, 17, 9, 0), text="补充培训签到表。", files=[pdf("签到表.pdf")]
    )
    services.verify(item=item, by=setting.office, at=local(2026, 1, 19, 9, 0))

    item.refresh_from_db()
    assert item.status == Status.CLOSED
    assert not item.closed_on_time, "the verified report came after the deadline"
    assert list(item.responses.values_list("decision", "decision_comment")) == [
        ("rejected", "缺少培训签到表。"),
        ("verified", ""),
    ]


def test_two_clicks_cannot_decide_twice(setting):
    item = first_item(setting)
    services.submit_response(item=item, by=setting.liaison, at=NOW, text="已整改。")
    stale = RectificationItem.objects.get(pk=item.pk)
    services.verify(item=item, by=setting.office, at=NOW)
    before = everything()

    with pytest.raises(services.SupervisionError, match="已经核验销号"):
        services.verify(item=stale, by=setting.office, at=NOW)
    with pytest.raises(services.SupervisionError, match="已经核验销号"):
        services.reject(item=stale, by=setting.office, at=NOW, reason="不合格。")

    assert everything() == before


def test_a_submitted_item_cannot_be_submitted_again_or_verified_before_submission(setting):
    item = first_item(setting)
    with pytest.raises(services.SupervisionError, match="没有待核验"):
        services.verify(item=item, by=setting.office, at=NOW)
    services.submit_response(item=item, by=setting.liaison, at=NOW, text="已整改。")
    before = everything()

    with pytest.raises(services.SupervisionError, match="不能重复提交"):
        services.submit_response(item=RectificationItem.objects.get(pk=item.pk), by=setting.liaison, at=NOW, text="再次提交。")
    with pytest.raises(services.SupervisionError, match="不能进行此操作"):
        services.start_work(item=item, by=setting.liaison, at=NOW)

    assert everything() == before


def test_an_empty_answer_or_a_bad_file_changes_nothing(setting):
    item = first_item(setting)
    before = everything()

    with pytest.raises(services.SupervisionError, match="请填写整改情况"):
        services.submit_response(item=item, by=setting.liaison, at=NOW, text=" ")
    with pytest.raises(services.SupervisionError, match="不能上传"):
        services.submit_response(
            item=item, by=setting.liaison, at=NOW, text="已整改。", files=[SimpleUploadedFile("a.exe", b"MZ")]
        )

    assert everything() == before


def test_overdue_means_not_closed_and_past_its_due_time(setting):
    item = first_item(setting)
    assert not item.is_overdue(local(2026, 1, 16, 18, 0))
    assert item.is_overdue(local(2026, 1, 16, 18, 1))
    assert list(RectificationItem.objects.overdue(local(2026, 1, 16, 18, 1))) == [item]


def test_the_database_refuses_a_rejection_without_reason_and_two_pending_reports(setting, refused_by):
    item = first_item(setting)
    response = services.submit_response(item=item, by=setting.liaison, at=NOW, text="已整改。")

    with refused_by(RectificationResponse, "response_rejection_has_reason"):
        RectificationResponse.objects.filter(pk=response.pk).update(
            decision="rejected", decided_by=setting.office, decided_at=NOW, decision_comment=" "
        )
    with refused_by(RectificationResponse, "response_one_pending"):
        RectificationResponse.objects.create(item=item, text="又一份。", submitted_by=setting.liaison, submitted_at=NOW)
    with refused_by(RectificationItem, "rectification_closed_has_time"):
        RectificationItem.objects.filter(pk=item.pk).update(status="closed")
