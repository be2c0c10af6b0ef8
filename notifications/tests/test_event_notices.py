"""Events reach the people who must act on them: once each, in the bell, and
by e-mail as each person chose, alone or in the day's digest."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UserFactory
from core.signals import transitioned
from core.transitions import Change
from notifications import events
from notifications.models import Delivery, EmailChoice, EmailDigest, EventKind, EventNotice, Notification
from reports import workflow
from reports.models import Report, ReviewEvent
from reports.tests.conftest import build_setting, local
from supervision import services as supervision
from supervision.tests.conftest import record

NOW = local(2026, 1, 12, 10, 0)
Role = Membership.Role


@pytest.fixture
def setting(db, time_machine):
    """reports/tests' setting plus a second liaison and a head of the unit,
    everyone with an e-mail address."""
    time_machine.move_to(NOW, tick=False)
    setting = build_setting()
    setting.second_liaison = MembershipFactory(unit=setting.unit, role=Role.LIAISON, user__username="liaison2").user
    setting.head = MembershipFactory(unit=setting.unit, role=Role.UNIT_HEAD, user__username="head").user
    for user in (setting.liaison, setting.second_liaison, setting.head, setting.other_liaison, setting.office, setting.leader):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    return setting


def told(kind):
    """{username: (notification title, body)} of everyone told of `kind`."""
    return {
        notice.recipient.username: (notice.notification.title, notice.notification.body)
        for notice in EventNotice.objects.filter(kind=kind).select_related("recipient", "notification")
    }


def emails():
    """{username: subject} of the pending e-mails."""
    return dict(
        Delivery.objects.filter(channel=Delivery.Channel.EMAIL, status=Delivery.Status.PENDING).values_list(
            "recipient__username", "subject"
        )
    )


def submitted(report, by, *, at=NOW):
    Report.objects.filter(pk=report.pk).update(work_done="开展普法宣传3场。")
    return workflow.submit(report=report, by=by, at=at)


def test_a_report_returned_by_the_office_tells_the_units_liaisons_once_by_bell_and_email(setting):
    report = submitted(setting.report, setting.head)  # the head sends straight to the office

    workflow.return_report(report=report, by=setting.office, at=NOW, comment="请补充活动照片。")

    notices = told(EventKind.REPORT_RETURNED)
    assert set(notices) == {"liaison", "liaison2"}
    title, body = notices["liaison"]
    assert title == f"报送被退回：{report.period}"
    assert "被领导小组办公室退回" in body and "退回意见：请补充活动照片。" in body
    assert f"/reports/{report.pk}/" in body
    assert emails() == {"liaison": title, "liaison2": title}
    assert Notification.objects.get(recipient=setting.liaison).url == reverse("reports:report_detail", args=[report.pk])
    assert not Notification.objects.filter(recipient__in=[setting.other_liaison, setting.head, setting.office]).exists()
    assert Delivery.objects.filter(channel=Delivery.Channel.EMAIL).first().campaign == setting.campaign


def test_a_report_sent_to_the_head_tells_the_heads_and_the_heads_return_tells_the_liaisons(setting):
    report = submitted(setting.report, setting.liaison)

    assert report.status == Report.Status.PENDING_SIGN_OFF
    assert set(told(EventKind.REPORT_SIGN_OFF)) == {"head"}
    assert emails() == {"head": f"报送待您审核：{report.period}"}

    workflow.head_return(report=report, by=setting.head, at=NOW, comment="数据口径不对。")

    notices = told(EventKind.REPORT_RETURNED)
    assert set(notices) == {"liaison", "liaison2"}
    assert "被单位负责人退回" in notices["liaison"][1] and "数据口径不对。" in notices["liaison"][1]


def test_an_acceptance_is_told_quietly_in_the_bell_only(setting):
    report = submitted(setting.report, setting.head)

    workflow.accept(report=report, by=setting.office, at=NOW)

    assert set(told(EventKind.REPORT_ACCEPTED)) == {"liaison", "liaison2"}
    assert emails() == {}


def test_undoing_a_review_tells_the_liaisons_who_were_told_of_it(setting):
    report = submitted(setting.report, setting.head)
    report = workflow.return_report(report=report, by=setting.office, at=NOW, comment="请补充。")
    workflow.undo_review(report=report, by=setting.office, at=NOW)
    undone = Notification.objects.filter(title=f"审核已撤销：{report.period}")
    assert sorted(undone.values_list("recipient__username", flat=True)) == ["liaison", "liaison2"]
    assert "撤销了" in undone.first().body and "等待重新审核" in undone.first().body


def test_a_report_withdrawn_before_sign_off_tells_the_head(setting):
    report = submitted(setting.report, setting.liaison)
    workflow.withdraw(report=report, by=setting.liaison, at=NOW)
    withdrawn = Notification.objects.filter(title=f"报送已撤回：{report.period}")
    assert list(withdrawn.values_list("recipient__username", flat=True)) == ["head"]


def test_an_extension_decision_tells_the_requester_and_the_units_liaisons(setting):
    requester = setting.second_liaison
    granted = workflow.request_extension(
        report=setting.report, by=requester, at=NOW, until=local(2026, 1, 16, 17, 30), reason="单位集中整训。"
    )
    workflow.decide_extension(request=granted, by=setting.office, at=NOW, grant=True, comment="同意。")
    refused = workflow.request_extension(
        report=setting.other_report, by=setting.other_liaison, at=NOW, until=local(2026, 1, 16, 17, 30), reason="人手不足。"
    )
    workflow.decide_extension(request=refused, by=setting.office, at=NOW, grant=False, comment="请按时报送。")

    notices = told(EventKind.EXTENSION_DECIDED)
    assert set(notices) == {"liaison", "liaison2", "other"}
    assert notices["liaison2"][0].startswith("延期申请已同意：")
    assert "截止时间延至1月16日17:30" in notices["liaison2"][1]
    assert notices["other"][0].startswith("延期申请未同意：") and "请按时报送。" in notices["other"][1]
    assert set(emails()) == {"liaison", "liaison2", "other"}


def test_a_rectification_item_assigned_returned_and_verified_tells_the_units_liaisons(setting):
    record(setting)  # two findings at the unit, none at the other unit

    # The unit's two new items are told in ONE notice per liaison, listing both.
    assigned = EventNotice.objects.filter(kind=EventKind.ITEM_ASSIGNED).select_related("recipient", "notification")
    assert sorted(notice.recipient.username for notice in assigned) == ["liaison", "liaison2"]
    notice = assigned.get(recipient=setting.liaison).notification
    assert notice.title == "整改事项交办：现场检查发现2个问题需整改"
    assert "1. 规范执法文书填写，组织一次培训。（请于1月16日前完成整改）" in notice.body
    assert "2. 更新公示栏信息。（请于1月20日前完成整改）" in notice.body
    assert notice.url == reverse("supervision:unit_items")
    item = setting.unit.rectifications.order_by("deadline").first()
    supervision.submit_response(item=item, by=setting.liaison, at=NOW, text="已组织培训。")
    supervision.reject(item=item, by=setting.office, at=NOW, reason="缺少培训签到表。")

    returned = told(EventKind.ITEM_RETURNED)
    assert set(returned) == {"liaison", "liaison2"}
    assert "退回理由：缺少培训签到表。" in returned["liaison"][1]

    supervision.submit_response(item=item, by=setting.liaison, at=NOW, text="已补充签到表。")
    supervision.verify(item=item, by=setting.office, at=NOW)

    assert set(told(EventKind.ITEM_VERIFIED)) == {"liaison", "liaison2"}
    assert not Notification.objects.filter(recipient__in=[setting.other_liaison, setting.office]).exists()
    verified = Notification.objects.get(recipient=setting.second_liaison, title__startswith="整改已销号")
    assert verified.url == reverse("supervision:item_detail", args=[item.pk])


def test_an_inspection_tells_each_unit_of_its_items_once_per_liaison(setting):
    MembershipFactory(unit=setting.other_unit, role=Role.LIAISON, user=UserFactory(username="other2"))
    findings = [
        supervision.FindingInput(setting.unit, f"问题{n}。", f"整改要求{n}。", datetime.date(2026, 1, 16 + n % 3))
        for n in range(25)
    ] + [supervision.FindingInput(setting.other_unit, "台账缺失。", "补齐台账。", datetime.date(2026, 1, 20))]
    record(setting, findings=findings)

    notices = told(EventKind.ITEM_ASSIGNED)
    assert set(notices) == {"liaison", "liaison2", "other", "other2"}
    title, body = notices["liaison"]
    assert title == "整改事项交办：现场检查发现25个问题需整改"
    # The first 20 listed one by one (n = 19 is due on the 17th), then the count.
    assert "20. 整改要求19。（请于1月17日前完成整改）" in body and "整改要求20。" not in body
    assert "……共25项，其余请在整改事项中查看。" in body
    # A unit with one new item is told of it as of any item.
    title, body = notices["other"]
    assert title == "整改事项交办：补齐台账。" and "请于1月20日前完成整改" in body
    item = setting.other_unit.rectifications.get()
    assert Notification.objects.get(recipient=setting.other_liaison).url == item.get_absolute_url()
    assert Notification.objects.filter(title__startswith="整改事项交办").count() == 4
    # One e-mail per liaison, not one per item.
    assert Delivery.objects.filter(channel=Delivery.Channel.EMAIL, recipient=setting.liaison).count() == 1


def test_an_event_heard_twice_tells_nobody_twice(setting):
    report = submitted(setting.report, setting.head)
    report = workflow.return_report(report=report, by=setting.office, at=NOW, comment="请补充活动照片。")
    event = ReviewEvent.objects.get(report=report, action=ReviewEvent.Action.RETURN)
    change = Change(obj=report, action="return", old=Report.Status.SUBMITTED, new=Report.Status.RETURNED, event=event)

    transitioned.send(sender=Report, change=change, by=setting.office, at=NOW)

    assert EventNotice.objects.filter(kind=EventKind.REPORT_RETURNED).count() == 2
    assert Notification.objects.filter(recipient=setting.liaison).count() == 1
    assert Delivery.objects.filter(recipient=setting.liaison, channel=Delivery.Channel.EMAIL).count() == 1


def test_a_move_rolled_back_tells_nobody(setting):
    report = submitted(setting.report, setting.head)

    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.return_report(report=report, by=setting.office, at=NOW, comment="请补充活动照片。")
        raise RuntimeError("the request failed after the move")

    assert not EventNotice.objects.exists()
    assert not Notification.objects.exists()


def test_nobody_is_told_what_they_did_themselves(setting):
    MembershipFactory(unit=setting.unit, role=Role.LIAISON, user=setting.head)  # a head who is a liaison too
    report = submitted(setting.report, setting.liaison)

    workflow.head_return(report=report, by=setting.head, at=NOW, comment="请补充。")

    assert set(told(EventKind.REPORT_RETURNED)) == {"liaison", "liaison2"}


# Preferences


def test_each_person_chooses_email_per_kind_and_the_bell_always_rings(setting):
    events.save_preferences(user=setting.liaison, email_kinds={EventKind.REPORT_ACCEPTED}, daily_digest=False)
    report = submitted(setting.report, setting.head)

    workflow.accept(report=report, by=setting.office, at=NOW)

    assert set(told(EventKind.REPORT_ACCEPTED)) == {"liaison", "liaison2"}
    assert set(emails()) == {"liaison"}

    record(setting)

    assert set(told(EventKind.ITEM_ASSIGNED)) == {"liaison", "liaison2"}
    assert Delivery.objects.filter(channel=Delivery.Channel.EMAIL, recipient=setting.liaison).count() == 1


def test_a_person_without_an_address_is_told_in_the_bell_only(setting):
    setting.liaison.email = ""
    setting.liaison.save(update_fields=["email"])
    report = submitted(setting.report, setting.head)

    workflow.return_report(report=report, by=setting.office, at=NOW, comment="请补充活动照片。")

    assert set(told(EventKind.REPORT_RETURNED)) == {"liaison", "liaison2"}
    assert set(emails()) == {"liaison2"}


def test_the_daily_digest_sends_the_days_emails_as_one_once_a_day(setting):
    events.save_preferences(user=setting.liaison, email_kinds=set(EventKind), daily_digest=True)
    report = submitted(setting.report, setting.head)
    workflow.return_report(report=report, by=setting.office, at=NOW, comment="请补充活动照片。")
    record(setting, at=NOW + datetime.timedelta(hours=1))

    assert set(emails()) == {"liaison2"}  # one by one: the return, and the two items in one notice

    evening = local(2026, 1, 12, 17, 30)
    queued = events.send_digests(at=evening)

    assert [(d.recipient, d.channel, d.status, d.address) for d in queued] == [
        (setting.liaison, Delivery.Channel.EMAIL, Delivery.Status.PENDING, "liaison@example.gov.cn")
    ]
    digest = queued[0]
    assert digest.subject == "创建活动工作平台每日通知汇总：1月12日，共2条"
    assert f"1. 报送被退回：{report.period}" in digest.body and "整改事项交办" in digest.body
    assert digest.campaign == setting.campaign
    assert Delivery.objects.filter(recipient=setting.liaison, channel=Delivery.Channel.EMAIL).count() == 1

    # Run again the same day (a retried job, a second worker): nothing more.
    workflow.accept(report=submitted(setting.other_report, setting.other_liaison), by=setting.office, at=evening)
    assert events.send_digests(at=local(2026, 1, 12, 18, 0)) == []
    assert EmailDigest.objects.filter(recipient=setting.liaison).count() == 1

    # What came after today's digest goes in tomorrow's.
    supervision.submit_response(
        item=setting.unit.rectifications.first(), by=setting.second_liaison, at=evening, text="已整改。"
    )
    supervision.reject(item=setting.unit.rectifications.first(), by=setting.office, at=evening, reason="缺少照片。")
    tomorrow = events.send_digests(at=local(2026, 1, 13, 17, 30))
    assert [(d.recipient, d.subject) for d in tomorrow] == [(setting.liaison, "创建活动工作平台每日通知汇总：1月13日，共1条")]


def test_the_default_is_email_for_what_asks_to_act_not_for_good_news(setting):
    preferences = events.preferences_of(setting.liaison)

    assert preferences.email[EventKind.REPORT_RETURNED] and preferences.email[EventKind.ITEM_ASSIGNED]
    assert preferences.email[EventKind.REPORT_SIGN_OFF]
    assert not preferences.email[EventKind.REPORT_ACCEPTED] and not preferences.email[EventKind.ITEM_VERIFIED]
    assert not preferences.daily_digest


# The settings page (通知设置)


def test_the_settings_page_shows_and_saves_the_own_choices(client, setting, django_assert_num_queries):
    client.force_login(setting.liaison)
    url = reverse("notifications:preferences")
    client.get(url)  # warm the session and the campaign caches

    with django_assert_num_queries(6):
        page = client.get(url)

    assert page.status_code == 200
    content = page.content.decode()
    assert "通知设置" in content and "报送被退回" in content and "每日汇总" in content
    assert 'name="email_report_returned" id="id_email_report_returned" checked' in content
    assert 'name="email_report_accepted" id="id_email_report_accepted">' in content

    response = client.post(url, {"email_report_accepted": "on", "daily_digest": "on"}, follow=True)

    assert "通知设置已保存。" in response.content.decode()
    preferences = events.preferences_of(setting.liaison)
    assert preferences.daily_digest
    assert {kind for kind, on in preferences.email.items() if on} == {EventKind.REPORT_ACCEPTED}
    assert EmailChoice.objects.filter(user=setting.liaison).count() == len(EventKind)
    assert not EmailChoice.objects.filter(user=setting.second_liaison).exists()


def test_the_settings_page_is_reached_from_the_user_menu_and_the_bell(client, setting):
    client.force_login(setting.office)

    bell = client.get(reverse("notifications:list")).content.decode()

    assert bell.count(reverse("notifications:preferences")) == 2


def test_a_stranger_is_sent_to_sign_in(client, db):
    response = client.get(reverse("notifications:preferences"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_the_settings_page_query_count_does_not_grow_with_choices(client, setting, django_assert_num_queries):
    user = UserFactory(username="busy")
    events.save_preferences(user=user, email_kinds=set(EventKind), daily_digest=True)
    client.force_login(user)
    url = reverse("notifications:preferences")
    client.get(url)

    with django_assert_num_queries(6):
        client.get(url)


def test_the_offices_delivery_history_shows_the_event_emails(client, setting):
    report = submitted(setting.report, setting.head)
    workflow.return_report(report=report, by=setting.office, at=NOW, comment="请补充活动照片。")
    client.force_login(setting.office)

    page = client.get(reverse("notifications:deliveries"), {"channel": Delivery.Channel.EMAIL})

    content = page.content.decode()
    assert content.count(f"报送被退回：{report.period}") == 2
    assert "liaison@example.gov.cn" in content and "liaison2@example.gov.cn" in content


def test_the_beat_job_queues_the_digests_and_asks_the_sender(setting):
    from core import outbox
    from notifications import jobs

    events.save_preferences(user=setting.liaison, email_kinds=set(EventKind), daily_digest=True)
    workflow.return_report(
        report=submitted(setting.report, setting.head), by=setting.office, at=NOW, comment="请补充活动照片。"
    )

    assert jobs.send_email_digests() == 1
    # Asked through the outbox, so a broker that is down does not lose the asking.
    (asked,) = outbox.pending(task="notifications.jobs.send_deliveries")
    assert asked.kwargs == {"ids": list(EmailDigest.objects.values_list("delivery", flat=True))}


def test_a_request_made_moot_by_an_exemption_says_so(setting):
    workflow.request_extension(
        report=setting.report, by=setting.liaison, at=NOW, until=local(2026, 1, 16, 17, 30), reason="单位集中整训。"
    )

    workflow.exempt(report=setting.report, by=setting.office, at=NOW, reason="本单位本期无相关工作。")

    notices = told(EventKind.EXTENSION_DECIDED)
    assert set(notices) == {"liaison", "liaison2"}
    assert notices["liaison"][0] == f"延期申请无需审批：{setting.report.period}"
