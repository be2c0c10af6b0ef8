"""材料审核: a unit's material per standard, submitted, returned, accepted;
who sees what; bad input; 报一次，用多次; constant queries."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import material
from assessments.models import (
    AssessmentContent,
    AssessmentItem,
    AssessmentSystem,
    MaterialEvent,
    MaterialFile,
    Standard,
    StandardMaterial,
)
from assessments.services import AssessmentError
from audit.models import AuditEvent
from campaigns.models import Campaign, Membership
from campaigns.tests.factories import MembershipFactory, UnitFactory
from notifications.models import Notification
from reports import workflow
from reports.tests.conftest import build_setting, local

pytestmark = pytest.mark.django_db

Status = StandardMaterial.Status
NOW = local(2026, 1, 12, 10, 0)
LATER = local(2026, 1, 13, 9, 0)
PDF = b"%PDF-1.7\n" + b"0" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def pdf(name="制度文件.pdf"):
    return SimpleUploadedFile(name, PDF)


@pytest.fixture
def world(db):
    """The reports' setting (a campaign; 区卫生监督所 `unit` and 区卫健委宣传科
    `other_unit` with their liaisons; the office; a leader), with a current
    system: `asked` (材料审核, led by `unit`, `other_unit` a co-unit),
    `site_only` (实地考察, led by `unit`) and `other_asked` (材料审核 and
    实地考察, led by `other_unit`)."""
    s = build_setting()
    system = AssessmentSystem.objects.create(campaign=s.campaign, name="全国文明城市测评体系", created_by=s.office)
    content = AssessmentContent.objects.create(
        item=AssessmentItem.objects.create(system=system, position=1, name="公共卫生"), position=1, name="健康教育"
    )
    s.content = content
    s.asked = Standard.objects.create(
        system=system, content=content, position=1, text="建立健康教育工作制度", score=2, methods=["材料审核"], lead_unit=s.unit
    )
    s.asked.co_units.add(s.other_unit)
    s.site_only = Standard.objects.create(
        system=system, content=content, position=2, text="公共场所无吸烟现象", methods=["实地考察"], lead_unit=s.unit
    )
    s.other_asked = Standard.objects.create(
        system=system, content=content, position=3, text="宣传栏定期更新", methods=["材料审核", "实地考察"], lead_unit=s.other_unit
    )
    return s


def submitted(world, **kwargs):
    return material.save_and_submit(
        standard=world.asked, unit=world.unit, by=world.liaison, at=NOW, text="已印发健康教育工作制度。", files=[pdf()], **kwargs
    )


def edit_url(standard, unit):
    return reverse("assessments:material_edit", args=[standard.pk, unit.pk])


# The workflow


def test_material_goes_from_draft_to_returned_to_accepted_with_its_record(world):
    draft = material.save_material(standard=world.asked, unit=world.unit, by=world.liaison, at=NOW, text="初稿", files=[pdf()])
    assert draft.status == Status.DRAFT and draft.files.count() == 1

    sent = material.submit_material(material=draft, by=world.liaison, at=NOW)
    assert (sent.status, sent.submitted_by, sent.submitted_at) == (Status.SUBMITTED, world.liaison, NOW)

    returned = material.return_material(material=sent, by=world.office, at=LATER, comment="缺少印发文件的红头扫描件。")
    assert (returned.status, returned.review_comment, returned.reviewed_by) == (Status.RETURNED, "缺少印发文件的红头扫描件。", world.office)

    again = material.save_and_submit(
        standard=world.asked, unit=world.unit, by=world.liaison, at=LATER, text="已补充红头文件。", files=[pdf("红头文件.pdf")]
    )
    assert again.status == Status.SUBMITTED and again.files.count() == 2
    accepted = material.accept_material(material=again, by=world.office, at=LATER)
    assert accepted.status == Status.ACCEPTED
    assert list(MaterialEvent.objects.filter(material=draft).values_list("action", "from_status", "to_status")) == [
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"),
        ("accept", "submitted", "accepted"),
    ]
    # Every move on the audit trail, with its campaign; every edit in the history.
    assert AuditEvent.objects.filter(object_type="assessments.standardmaterial", campaign_id=world.campaign.pk).count() == 4
    assert draft.history.count() >= 6


def test_the_unit_is_told_of_a_return_with_its_comment_and_of_an_acceptance(world):
    sent = submitted(world)
    material.return_material(material=sent, by=world.office, at=LATER, comment="请补充会议记录。")
    told = Notification.objects.get(recipient=world.liaison)
    assert told.title == "测评材料被退回：建立健康教育工作制度"
    assert "退回意见：请补充会议记录。" in told.body
    assert told.url == edit_url(world.asked, world.unit)
    # The co-unit's liaison has nothing to do with it.
    assert not Notification.objects.filter(recipient=world.other_liaison).exists()

    material.save_and_submit(standard=world.asked, unit=world.unit, by=world.liaison, at=LATER, text="已补充。")
    material.accept_material(material=sent, by=world.office, at=LATER, comment="材料齐全。")
    assert list(Notification.objects.filter(recipient=world.liaison).order_by("pk").values_list("title", flat=True)) == [
        "测评材料被退回：建立健康教育工作制度",
        "测评材料审核通过：建立健康教育工作制度",
    ]


def test_a_return_needs_a_comment_and_changes_nothing_without_one(world):
    sent = submitted(world)
    with pytest.raises(AssessmentError, match="请填写退回意见"):
        material.return_material(material=sent, by=world.office, at=LATER, comment="  ")
    sent.refresh_from_db()
    assert sent.status == Status.SUBMITTED and not MaterialEvent.objects.filter(action="return").exists()


def test_submitted_or_accepted_material_cannot_be_edited_or_reviewed_twice(world):
    sent = submitted(world)
    with pytest.raises(AssessmentError, match="等待领导小组办公室审核"):
        material.save_material(standard=world.asked, unit=world.unit, by=world.liaison, at=LATER, text="改一下")
    material.accept_material(material=sent, by=world.office, at=LATER)
    with pytest.raises(AssessmentError, match="已审核通过，不能再修改"):
        material.save_material(standard=world.asked, unit=world.unit, by=world.liaison, at=LATER, text="改一下")
    with pytest.raises(AssessmentError, match="只能审核“待审核”的材料"):
        material.return_material(material=sent, by=world.office, at=LATER, comment="再看看")
    sent.refresh_from_db()
    assert (sent.status, sent.text) == (Status.ACCEPTED, "已印发健康教育工作制度。")


def test_a_standard_without_material_review_or_of_another_unit_asks_nothing(world):
    with pytest.raises(AssessmentError, match="不需要材料审核"):
        material.save_material(standard=world.site_only, unit=world.unit, by=world.liaison, at=NOW, text="x")
    with pytest.raises(AssessmentError, match="不是这条测评标准的牵头单位或配合单位"):
        material.save_material(standard=world.other_asked, unit=world.unit, by=world.liaison, at=NOW, text="x")
    assert not StandardMaterial.objects.exists()


# Bad input: a clear message, nothing changed


def test_an_empty_submission_is_refused_and_saves_nothing(world, client):
    client.force_login(world.liaison)
    response = client.post(edit_url(world.asked, world.unit), {"text": "   ", "submit": "1"})
    assert response.status_code == 400
    assert "材料是空的：请填写材料说明或上传材料文件，再提交审核。" in response.content.decode()
    assert not StandardMaterial.objects.exists()


def test_a_file_of_the_wrong_type_is_refused_and_saves_nothing(world, client):
    client.force_login(world.liaison)
    response = client.post(
        edit_url(world.asked, world.unit),
        {"text": "制度文件见附件。", "files": [SimpleUploadedFile("制度.pdf", PNG)], "submit": "1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "文件“制度.pdf”的内容与扩展名 .pdf 不符，看起来是PNG 图片文件" in page
    assert "制度文件见附件。" in page  # what was typed stays in the form
    assert not StandardMaterial.objects.exists() and not MaterialFile.objects.exists()

    response = client.post(edit_url(world.asked, world.unit), {"text": "x", "files": [SimpleUploadedFile("a.exe", b"MZ")]})
    assert "文件“a.exe”的类型不能上传" in response.content.decode()
    assert not StandardMaterial.objects.exists()


def test_the_page_saves_a_draft_then_submits_and_a_returned_material_shows_its_comment(world, client):
    client.force_login(world.liaison)
    url = edit_url(world.asked, world.unit)
    response = client.post(url, {"text": "制度已印发。", "files": [pdf()], "save": "1"})
    assert response.status_code == 302 and response.url == url
    row = StandardMaterial.objects.get()
    assert (row.status, row.text, row.files.count()) == (Status.DRAFT, "制度已印发。", 1)

    response = client.post(url, {"text": "制度已印发。", "submit": "1"})
    assert response.url == reverse("assessments:my_material")
    row.refresh_from_db()
    assert row.status == Status.SUBMITTED

    material.return_material(material=row, by=world.office, at=LATER, comment="请附会议纪要。")
    page = client.get(url).content.decode()
    assert "退回意见：" in page and "请附会议纪要。" in page and "提交审核" in page
    mine = client.get(reverse("assessments:my_material")).content.decode()
    assert "已退回" in mine and "请附会议纪要。" in mine


def test_removing_a_file_of_a_never_submitted_draft_deletes_it_and_later_keeps_it_on_record(world, client):
    client.force_login(world.liaison)
    draft = material.save_material(standard=world.asked, unit=world.unit, by=world.liaison, at=NOW, text="x", files=[pdf()])
    first = draft.files.get()
    client.post(reverse("assessments:material_file_remove", args=[first.pk]))
    assert not MaterialFile.objects.exists()

    sent = submitted(world)
    material.return_material(material=sent, by=world.office, at=LATER, comment="文件不对。")
    kept = sent.files.get()
    client.post(reverse("assessments:material_file_remove", args=[kept.pk]))
    kept.refresh_from_db()
    assert kept.removed_at is not None


class FormDepth(HTMLParser):
    """The deepest nesting of <form> elements in a page, and the ids of its forms."""

    def __init__(self):
        super().__init__()
        self.depth = self.deepest = 0
        self.ids = []

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)
            self.ids.append(dict(attrs).get("id"))

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


def test_the_remove_buttons_submit_forms_of_their_own_never_nested_in_the_main_form(world, client):
    sent = submitted(world)
    material.return_material(material=sent, by=world.office, at=LATER, comment="请补充。")
    material.save_material(standard=world.asked, unit=world.unit, by=world.liaison, at=LATER, text="补充", files=[pdf("纪要.pdf")])
    client.force_login(world.liaison)
    page = client.get(edit_url(world.asked, world.unit)).content.decode()
    parser = FormDepth()
    parser.feed(page)
    assert (parser.deepest, parser.depth) == (1, 0)
    files = list(sent.files.order_by("pk"))
    assert len(files) == 2
    for stored in files:
        assert f'form="rm-{stored.pk}"' in page
        assert f"rm-{stored.pk}" in parser.ids
        remove = reverse("assessments:material_file_remove", args=[stored.pk])
        assert f'id="rm-{stored.pk}" method="post" action="{remove}"' in page
    # The main form's buttons come before its end, the remove forms after it.
    main_end = page.index("</form>", page.index('name="submit"'))
    assert page.index(f'id="rm-{files[0].pk}"') > main_end


# 报一次，用多次


def test_a_file_sent_with_a_report_is_listed_again_without_uploading_it(world, client):
    report = world.report
    workflow.save_draft(report=report, by=world.liaison, at=NOW, expected_version=report.version, work_done="开展健康教育讲座1场。")
    sent_file = workflow.add_attachment(report=report, by=world.liaison, at=NOW, uploaded=pdf("讲座签到表.pdf"))
    workflow.submit(report=report, by=world.liaison, at=NOW)
    draft_only = workflow.add_attachment(
        report=world.other_report, by=world.other_liaison, at=NOW, uploaded=pdf("别人的.pdf")
    )

    client.force_login(world.liaison)
    url = edit_url(world.asked, world.unit)
    page = client.get(url).content.decode()
    assert "讲座签到表.pdf" in page and "别人的.pdf" not in page
    response = client.post(url, {"text": "签到表见进展报送。", "reuse": [sent_file.pk], "save": "1"})
    assert response.status_code == 302
    reused = MaterialFile.objects.get()
    assert (reused.reused_from, reused.file.name, reused.sha256) == (sent_file, sent_file.file.name, sent_file.sha256)
    # Picking it twice lists it once; another unit's file cannot be picked.
    client.post(url, {"text": "签到表见进展报送。", "reuse": [sent_file.pk], "save": "1"})
    assert MaterialFile.objects.count() == 1
    with pytest.raises(AssessmentError, match="所选的报送附件已不能使用"):
        material.save_material(standard=world.asked, unit=world.unit, by=world.liaison, at=NOW, text="x", reuse=[draft_only.pk])


# Who sees what


def test_the_unit_lists_what_it_leads_and_supports_and_nothing_else(world, client):
    client.force_login(world.other_liaison)
    rows = material.unit_rows(unit_ids=[world.other_unit.pk])
    assert [(r.standard, r.is_lead, r.state) for r in rows] == [(world.asked, False, "missing"), (world.other_asked, True, "missing")]
    page = client.get(reverse("assessments:my_material")).content.decode()
    assert "宣传栏定期更新" in page and "建立健康教育工作制度" in page and "公共场所无吸烟现象" not in page


def test_a_unit_cannot_open_another_units_material_nor_a_standard_that_asks_it_nothing(world, client):
    sent = submitted(world)
    client.force_login(world.other_liaison)
    assert client.get(edit_url(world.asked, world.unit)).status_code == 404
    assert client.get(reverse("assessments:material_review", args=[sent.pk])).status_code == 404
    assert client.get(reverse("assessments:material_file", args=[sent.files.get().pk])).status_code == 404
    client.force_login(world.liaison)
    assert client.get(edit_url(world.site_only, world.unit)).status_code == 404
    assert client.get(edit_url(world.other_asked, world.unit)).status_code == 404


def test_a_draft_is_the_units_alone_and_the_office_reviews_once_submitted(world, client):
    draft = material.save_material(standard=world.asked, unit=world.unit, by=world.liaison, at=NOW, text="初稿", files=[pdf()])
    client.force_login(world.office)
    review = reverse("assessments:material_review", args=[draft.pk])
    assert client.get(review).status_code == 404
    assert client.get(reverse("assessments:material_file", args=[draft.files.get().pk])).status_code == 404

    material.submit_material(material=draft, by=world.liaison, at=NOW)
    assert client.get(review).status_code == 200
    response = client.post(review, {"action": "return", "comment": ""})
    assert response.status_code == 400 and "请填写退回意见" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    response = client.post(review, {"action": "accept", "comment": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.ACCEPTED


def test_a_leader_reads_the_review_but_cannot_decide(world, client):
    sent = submitted(world)
    client.force_login(world.leader)
    review = reverse("assessments:material_review", args=[sent.pk])
    assert client.get(review).status_code == 200
    assert client.post(review, {"action": "accept"}).status_code == 403
    sent.refresh_from_db()
    assert sent.status == Status.SUBMITTED


def test_the_review_list_filters_by_state(world, client):
    submitted(world)
    client.force_login(world.office)
    url = reverse("assessments:material_list", args=[world.campaign.pk])
    review = material.review_rows(campaign=world.campaign)
    # Both lead units are listed; the co-unit sent nothing, so it is not.
    assert [(r.standard, r.unit, r.state) for r in review.rows] == [
        (world.asked, world.unit, "submitted"),
        (world.other_asked, world.other_unit, "missing"),
    ]
    assert review.counts == {"missing": 1, "submitted": 1, "returned": 0, "accepted": 0}
    page = client.get(url, {"state": "missing"}).content.decode()
    assert "宣传栏定期更新" in page and "建立健康教育工作制度" not in page
    page = client.get(url, {"state": "submitted"}).content.decode()
    assert "建立健康教育工作制度" in page and "宣传栏定期更新" not in page


# accepted_rate (for the scoring component)


def test_accepted_rate_counts_the_lead_units_standards_and_not_the_co_units_material(world):
    sent = submitted(world)
    material.accept_material(material=sent, by=world.office, at=LATER)
    co = material.save_and_submit(standard=world.asked, unit=world.other_unit, by=world.other_liaison, at=NOW, text="配合材料")
    material.accept_material(material=co, by=world.office, at=LATER)
    assert material.accepted_rate(world.campaign) == {world.unit.pk: (1, 1), world.other_unit.pk: (0, 1)}


def test_accepted_rate_as_of_counts_what_was_accepted_before_then(world):
    """已通过 is final, so `reviewed_at` is when it was accepted: an evaluation's
    cutoff counts only material accepted before it."""
    material.accept_material(material=submitted(world), by=world.office, at=LATER)
    returned = material.save_and_submit(
        standard=world.other_asked, unit=world.other_unit, by=world.other_liaison, at=NOW, text="宣传栏照片"
    )
    material.return_material(material=returned, by=world.office, at=NOW, comment="照片不清晰。")
    assert material.accepted_rate(world.campaign, as_of=LATER) == {world.unit.pk: (0, 1), world.other_unit.pk: (0, 1)}
    assert material.accepted_rate(world.campaign, as_of=LATER + timedelta(seconds=1)) == {
        world.unit.pk: (1, 1),
        world.other_unit.pk: (0, 1),
    }


def test_accepted_rate_reads_only_the_current_system(world):
    submitted(world)
    AssessmentSystem.objects.filter(pk=world.asked.system_id).update(is_current=False)
    assert material.accepted_rate(world.campaign) == {}


# Queries do not grow with standards and units


def grow(world, n):
    """n more units, each leading a standard asking for material, with its liaison's submitted material."""
    for i in range(n):
        unit = UnitFactory(name=f"街道{world.content.pk}-{i}")
        liaison = MembershipFactory(unit=unit, role=Membership.Role.LIAISON).user
        standard = Standard.objects.create(
            system=world.asked.system, content=world.content, position=10 + i, text=f"标准{i}", methods=["材料审核"], lead_unit=unit
        )
        standard.co_units.add(world.unit)
        material.save_and_submit(standard=standard, unit=unit, by=liaison, at=NOW, text="材料", files=[pdf()])


@pytest.mark.parametrize("page", ["review_list", "mine"])
def test_the_pages_cost_the_same_queries_for_few_or_many_standards_and_units(world, client, django_assert_num_queries, page):
    submitted(world)
    if page == "review_list":
        client.force_login(world.office)
        url = reverse("assessments:material_list", args=[world.campaign.pk])
    else:
        client.force_login(world.liaison)
        url = reverse("assessments:my_material")
    # session, user, (the office's campaign | the user's units, read once for
    # the page's filters: campaigns.access.unit_ids), then the reads.
    expected = {"review_list": 9, "mine": 7}[page]
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    grow(world, 5)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_accepted_rate_is_one_query_whatever_the_size(world, django_assert_num_queries):
    grow(world, 4)
    with django_assert_num_queries(1):
        rates = material.accepted_rate(world.campaign)
    assert len(rates) == 6 and rates[world.unit.pk] == (0, 1)


def test_a_closed_campaign_asks_no_more_material(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(status=Campaign.Status.CLOSED)
    assert material.unit_rows(unit_ids=[world.unit.pk]) == []
    with pytest.raises(AssessmentError, match="不在进行中活动"):
        material.save_material(
            standard=Standard.objects.get(pk=world.asked.pk), unit=world.unit, by=world.liaison, at=NOW, text="x"
        )
    assert not StandardMaterial.objects.exists()
