"""Each audited action leaves exactly one AuditEvent, with its actor, object
and what changed."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from audit.access import AUDITOR_GROUP
from audit.models import AuditEvent
from campaigns.tests.factories import UserFactory
from evaluations import services as evaluations
from evaluations.models import Bulletin, Evaluation, ScoringComponent
from evaluations.tests.factories import AT, MONTH, build_month
from notifications.models import CampaignWebhook
from reports import workflow
from reports.models import Report
from reports.tests.conftest import build_setting
from reports.tests.factories import AttachmentFactory
from setup.tests.test_setup import Draft, url
from supervision.tests.conftest import NOW, record

pytestmark = pytest.mark.django_db

# Each page whole, its 修改记录 panel one query of them, whatever the length of the trail.
SCHEME_PAGE_QUERIES = 7
BULLETIN_PAGE_QUERIES = 7


def only_event(**filters):
    events = list(AuditEvent.objects.filter(**filters))
    assert len(events) == 1, events
    return events[0]


@pytest.fixture
def bulletin(db):
    m = build_month()
    evaluation = evaluations.compute_evaluation(campaign=m.campaign, month=MONTH, by=m.office, at=AT)
    evaluations.publish_evaluation(evaluation=evaluation, by=m.office, at=AT)
    m.bulletin = evaluations.draft_bulletin(evaluation=Evaluation.objects.get(pk=evaluation.pk), at=AT)
    return m


def test_editing_publishing_and_downloading_a_bulletin_are_recorded_and_shown_to_the_office(client, bulletin):
    m, b = bulletin, bulletin.bulletin
    client.force_login(m.office)
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)  # start from the bulletin's own events

    client.post(reverse("evaluations:bulletin", args=[b.pk]), {"title": "关于三月评定的通报", "number": "管卫办〔2026〕3号", "recipients": b.recipients, "body": b.body})
    client.post(reverse("evaluations:bulletin_publish", args=[b.pk]))
    client.get(reverse("evaluations:bulletin_download", args=[b.pk]))

    edit = only_event(action=AuditEvent.Action.CHANGED)
    assert (edit.actor, edit.object_type, edit.object_id, edit.campaign_id) == (m.office, "evaluations.bulletin", str(b.pk), m.campaign.pk)
    assert edit.changes == {"标题": [b.title, "关于三月评定的通报"], "文号": ["", "管卫办〔2026〕3号"]}
    published = only_event(action=AuditEvent.Action.PUBLISHED)
    assert published.actor == m.office and published.changes == {"状态": ["草稿", "已发布"]}
    download = only_event(action=AuditEvent.Action.DOWNLOADED)
    assert download.actor == m.office and download.address == "127.0.0.1"
    assert Bulletin.objects.get(pk=b.pk).download_name in download.description

    page = client.get(reverse("evaluations:bulletin", args=[b.pk])).content.decode()
    assert "通报修改记录" in page and "管卫办〔2026〕3号" in page
    client.force_login(m.liaisons[m.a.pk])
    assert "通报修改记录" not in client.get(reverse("evaluations:bulletin", args=[b.pk])).content.decode()


def test_entered_scores_are_recorded_once_with_each_units_score(db):
    m = build_month()
    survey = ScoringComponent.objects.create(scheme=m.scheme, kind=ScoringComponent.Kind.SURVEY, weight=10, position=9)
    evaluation = evaluations.compute_evaluation(campaign=m.campaign, month=MONTH, by=m.office, at=AT)
    before = AuditEvent.objects.count()

    evaluations.enter_scores(evaluation=evaluation, component=survey, scores={m.a.pk: "85", m.b.pk: "72.5"}, by=m.office, at=AT)

    assert AuditEvent.objects.count() == before + 1
    entered = AuditEvent.objects.latest("pk")
    assert entered.actor == m.office and entered.object_type == "evaluations.evaluation"
    assert entered.changes == {"甲单位": [None, "85"], "乙单位": [None, "72.5"]}


def test_an_inspection_and_its_corrected_score_are_recorded(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    setting = build_setting()
    from supervision import services as supervision

    inspection = record(setting, findings=[])
    created = only_event(action=AuditEvent.Action.CREATED, object_type="supervision.inspection")
    assert created.actor == setting.office and created.campaign_id == setting.campaign.pk
    assert created.changes["得分：区卫生监督所"] == [None, "86.5 分"]

    supervision.revise_inspection(
        inspection=inspection, by=setting.office, at=NOW, kind=inspection.kind, inspected_on=inspection.inspected_on,
        inspectors=inspection.inspectors, summary=inspection.summary, units=[(setting.unit, "90"), (setting.other_unit, 92)],
    )  # fmt: skip
    changed = only_event(action=AuditEvent.Action.CHANGED, object_type="supervision.inspection")
    assert changed.changes == {"得分：区卫生监督所": ["86.5 分", "90.0 分"]}


def test_a_report_attachment_download_and_a_review_are_recorded(client, db, time_machine):
    time_machine.move_to(NOW, tick=False)
    setting = build_setting()
    attachment = AttachmentFactory(report=setting.report, original_name="活动照片.pdf")
    client.force_login(setting.liaison)

    client.get(reverse("reports:attachment_download", args=[attachment.pk]))

    download = only_event(action=AuditEvent.Action.DOWNLOADED)
    assert (download.actor, download.object_type, download.object_id) == (setting.liaison, "reports.attachment", str(attachment.pk))
    assert "活动照片.pdf" in download.description

    Report.objects.filter(pk=setting.report.pk).update(status=Report.Status.SUBMITTED, submitted_at=NOW)
    workflow.accept(report=setting.report, by=setting.office, at=NOW + datetime.timedelta(hours=1))
    moved = only_event(action=AuditEvent.Action.MOVED)
    assert (moved.actor, moved.object_id) == (setting.office, str(setting.report.pk))
    assert moved.changes == {"状态": ["已报送", "审核通过"]}


def test_webhook_and_user_flag_changes_in_the_admin_are_recorded_without_the_secret(client, db):
    setting = build_setting()
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    hook = CampaignWebhook.objects.create(campaign=setting.campaign, name="联络员工作群", kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=OLD")
    client.force_login(root)

    client.post(
        reverse("admin:notifications_campaignwebhook_change", args=[hook.pk]),
        {"campaign": setting.campaign.pk, "name": "联络员工作群", "kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=NEW"},
    )
    hook_event = only_event(object_type="notifications.campaignwebhook")
    assert hook_event.action == AuditEvent.Action.CHANGED and hook_event.actor == root
    assert set(hook_event.changes) == {"启用", "Webhook 地址"}
    assert hook_event.changes["启用"] == [True, False]
    assert "NEW" not in str(hook_event.changes) and "OLD" not in str(hook_event.changes)

    person = setting.liaison
    auditors = Group.objects.get(name=AUDITOR_GROUP)
    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "username": person.username, "full_name": person.full_name, "is_staff": "on", "groups": [auditors.pk],
            "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    person_event = only_event(object_type="accounts.user")
    assert person_event.changes["有效"] == [True, False]
    assert person_event.changes["工作人员状态"] == [False, True]
    assert person_event.changes["组"] == [[], ["审计员"]]


def test_the_scoring_scheme_page_records_each_change_and_shows_them(client, db):
    draft = Draft()
    client.force_login(draft.clerk)
    data = {
        "objection_days": "5", "lead_count": "3", "lag_count": "2",
        "components-TOTAL_FORMS": "1", "components-INITIAL_FORMS": "0",
        "components-0-kind": "submission_rate", "components-0-weight": "40", "components-0-deduction": "0", "components-0-position": "0",
    }  # fmt: skip
    client.post(url("scoring", draft), data)
    component = ScoringComponent.objects.get(scheme__campaign=draft.campaign)

    client.post(
        url("scoring", draft),
        {**data, "components-INITIAL_FORMS": "1", "components-0-id": component.pk, "components-0-scheme": component.scheme_id, "components-0-weight": "60"},
    )

    weight = only_event(action=AuditEvent.Action.CHANGED, object_type="evaluations.scoringcomponent")
    assert weight.actor == draft.clerk and weight.campaign_id == draft.campaign.pk
    assert weight.changes == {"分值（权重）": ["40", "60"]}
    only_event(action=AuditEvent.Action.CREATED, object_type="evaluations.scoringscheme")
    page = client.get(url("scoring", draft)).content.decode()
    assert "评分方案修改记录" in page and "→ 60" in page


def grown(count, **fields):
    from audit import record

    for n in range(count):
        record(action="changed", description=f"第{n}次修改", changes={"正文": [str(n), str(n + 1)]}, **fields)


def test_the_bulletins_history_panel_costs_one_query_however_many_changes(client, bulletin, django_assert_num_queries):
    m, b = bulletin, bulletin.bulletin
    client.force_login(m.office)
    page = reverse("evaluations:bulletin", args=[b.pk])
    grown(1, obj=b, actor=m.office)
    with django_assert_num_queries(BULLETIN_PAGE_QUERIES):
        assert client.get(page).status_code == 200
    grown(20, obj=b, actor=m.office)
    with django_assert_num_queries(BULLETIN_PAGE_QUERIES):
        assert "第19次修改" in client.get(page).content.decode()


def test_the_scoring_schemes_history_panel_costs_one_query_however_many_changes(client, db, django_assert_num_queries):
    draft = Draft()
    client.force_login(draft.clerk)
    page = url("scoring", draft)
    fields = {"object_type": "evaluations.scoringcomponent", "object_id": "1", "campaign": draft.campaign.pk, "actor": draft.clerk}
    grown(1, **fields)
    with django_assert_num_queries(SCHEME_PAGE_QUERIES):
        assert client.get(page).status_code == 200
    grown(20, **fields)
    with django_assert_num_queries(SCHEME_PAGE_QUERIES):
        assert "第19次修改" in client.get(page).content.decode()


def test_rectification_evidence_downloaded_by_the_office_is_recorded_once(client, db, time_machine):
    from supervision import services as supervision
    from supervision.models import RectificationItem
    from supervision.tests.conftest import pdf

    time_machine.move_to(NOW, tick=False)
    setting = build_setting()
    record(setting)
    item = RectificationItem.objects.filter(unit=setting.unit).first()
    supervision.submit_response(item=item, by=setting.liaison, at=NOW, text="已整改。", files=[pdf("整改照片.pdf")])
    evidence = item.responses.get().evidence.get()
    client.force_login(setting.office)

    assert client.get(reverse("supervision:evidence_download", args=[evidence.pk])).status_code == 200

    download = only_event(action=AuditEvent.Action.DOWNLOADED)
    assert (download.actor, download.object_type, download.object_id) == (setting.office, "supervision.rectificationevidence", str(evidence.pk))
    assert download.description == "下载“整改照片.pdf”"
