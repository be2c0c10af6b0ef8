"""Drafts of the documents the office signs: the office edits them section by
section and every save is a new version; leaders read; others get 404."""

import datetime
import threading
from urllib.parse import quote

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from campaigns.models import Membership
from campaigns.tests.factories import (
    CampaignFactory,
    LeadingGroupMemberFactory,
    MembershipFactory,
    PhaseFactory,
    UnitFactory,
    UserFactory,
)
from core import pdf
from core.official import Heading, OfficialDocument, Paragraph, Table, docx_text, from_data, render_docx, to_data
from documents import services
from documents.annual import report_title
from documents.forms import DraftForm
from documents.kinds import Kind
from documents.models import Draft, DraftVersion
from reports.models import IndicatorValue, Report

from .conftest import NOW, YEAR, expected_totals

pytestmark = pytest.mark.django_db

LATER = NOW + datetime.timedelta(hours=2)


@pytest.fixture
def draft(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    found, created = services.start_draft(campaign=world.campaign, kind=Kind.ANNUAL, year=YEAR, by=world.office, at=NOW)
    assert created
    return found


def unchanged(draft, number=None):
    """What the draft page's form posts when the clerk changes nothing."""
    version = draft.versions.order_by("-number").first() if number is None else draft.versions.get(number=number)
    form = DraftForm(document=from_data(version.data))
    data = {"base": str(version.number)}
    for name, field in form.fields.items():
        value = form[name].value()
        if name.endswith("_delete") or value is None:
            continue
        data[name] = field.widget.format_value(value) if name == "issued_on" else value
    return data, form


def page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"documents:{name}", args=args))


def post(client, user, name, *args, data=None):
    client.force_login(user)
    return client.post(reverse(f"documents:{name}", args=args), data or {})


def versions(draft):
    return list(draft.versions.order_by("number").values_list("number", "note", "created_by__username"))


def small_document(title="关于2025年工作情况的报告"):
    return OfficialDocument(
        title=title,
        issuer="区卫计委",
        issued_on=datetime.date(2025, 12, 9),
        blocks=[
            Paragraph("开头段。"),
            Heading("一、第一部分", level=1),
            Paragraph("甲段。"),
            Paragraph("乙段。"),
            Table(header=["指标", "数值"], rows=[["宣传活动", "22"]]),
            Heading("二、第二部分", level=1),
            Heading("（一）小节", level=2),
            Paragraph("丙段。"),
        ],
    )


# The database keeps the rules


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": Kind.ANNUAL},  # no year
        {"kind": Kind.FINAL, "year": 2025},
        {"kind": Kind.PHASE, "year": 2025},  # no phase
        {"kind": Kind.ANNUAL, "year": 2025, "phase": "phase"},
    ],
)
def test_a_drafts_scope_must_be_consistent(db, fields):
    campaign = CampaignFactory()
    if fields.get("phase"):
        fields["phase"] = PhaseFactory(campaign=campaign)
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.create(campaign=campaign, **fields)


def test_one_draft_per_year_per_phase_and_one_final_summary(db):
    campaign = CampaignFactory()
    phase = PhaseFactory(campaign=campaign)
    Draft.objects.create(campaign=campaign, kind=Kind.ANNUAL, year=2026)
    Draft.objects.create(campaign=campaign, kind=Kind.ANNUAL, year=2027)
    Draft.objects.create(campaign=campaign, kind=Kind.PHASE, phase=phase)
    Draft.objects.create(campaign=campaign, kind=Kind.FINAL)
    Draft.objects.create(campaign=CampaignFactory(), kind=Kind.FINAL)
    for fields in ({"kind": Kind.ANNUAL, "year": 2026}, {"kind": Kind.PHASE, "phase": phase}, {"kind": Kind.FINAL}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Draft.objects.create(campaign=campaign, **fields)
    assert Draft.objects.filter(campaign=campaign).count() == 4


def test_version_numbers_are_unique_per_draft_and_start_at_one(db):
    draft = Draft.objects.create(campaign=CampaignFactory(), kind=Kind.FINAL)
    DraftVersion.objects.create(draft=draft, number=1, data={}, created_at=NOW)
    for number in (1, 0):
        with pytest.raises(IntegrityError), transaction.atomic():
            DraftVersion.objects.create(draft=draft, number=number, data={}, created_at=NOW)


def test_the_campaign_and_its_drafts_versions_are_protected(draft):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        draft.campaign.delete()
    with pytest.raises(ProtectedError):
        draft.delete()


# Versions


def test_the_first_version_is_the_generated_report(draft, world):
    (first,) = draft.versions.all()
    assert (first.number, first.note, first.created_by) == (1, "生成初稿", world.office)
    document = from_data(first.data)
    assert document.title == report_title(world.campaign, YEAR)
    expected = expected_totals(world)
    assert any(
        f"开展普法宣传活动{expected['events']:f}".rstrip("0").rstrip(".") in getattr(b, "text", "") for b in document.blocks
    )


def test_each_save_takes_the_next_number(draft, world):
    document = small_document()
    second = services.save_edit(draft=draft, document=document, note="", by=world.office, at=LATER)
    third = services.save_edit(draft=draft, document=document, note="按主任意见修改", by=None, at=LATER)
    assert (second.number, second.note) == (2, "编辑")
    assert (third.number, third.note, third.created_by) == (3, "按主任意见修改", None)
    assert from_data(third.data) == document


def test_two_clerks_saving_the_same_version_get_2_and_3_and_lose_nothing(client, draft, world):
    other_clerk = MembershipFactory(unit=world.campaign.office_unit, role=Membership.Role.OFFICE_STAFF).user
    first, _ = unchanged(draft)
    second = dict(first)
    first["title"] = "第一位办事员的标题"
    second["title"] = "第二位办事员的标题"

    assert post(client, world.office, "draft", draft.pk, data=first).status_code == 302
    response = post(client, other_clerk, "draft", draft.pk, data=second)

    assert response.status_code == 302
    assert [number for number, *_ in versions(draft)] == [1, 2, 3]
    assert from_data(draft.versions.get(number=2).data).title == "第一位办事员的标题"
    assert from_data(draft.versions.get(number=3).data).title == "第二位办事员的标题"
    shown = client.get(response.url).content.decode()
    assert "您是在第1版上修改的，其间已有第2版；已保存为第3版" in shown


@pytest.mark.django_db(transaction=True)
def test_saves_in_two_threads_at_once_get_consecutive_numbers():
    campaign = CampaignFactory()
    draft = Draft.objects.create(campaign=campaign, kind=Kind.FINAL)
    DraftVersion.objects.create(draft=draft, number=1, data=to_data(small_document()), created_at=NOW)
    barrier = threading.Barrier(2)
    numbers, errors = [], []

    def save():
        try:
            barrier.wait()
            numbers.append(services.save_edit(draft=draft, document=small_document(), note="", by=None, at=NOW).number)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # SQLite's shared test database may refuse the second writer outright;
    # what must never happen is two versions with one number.
    assert all("locked" in str(error) for error in errors), errors
    assert sorted(numbers) == list(range(2, 2 + len(numbers))) and numbers
    assert sorted(draft.versions.values_list("number", flat=True)) == list(range(1, 2 + len(numbers)))


# The draft page


def test_office_edits_the_draft_section_by_section(client, draft, world):
    response = page(client, world.office, "draft", draft.pk)
    html = response.content.decode()
    document = from_data(draft.versions.get().data)
    paragraphs = [block for block in document.blocks if isinstance(block, Paragraph)]
    level_1 = [block.text for block in document.blocks if isinstance(block, Heading) and block.level == 1]

    assert response.status_code == 200
    appendices = len(from_data(draft.versions.get().data).appendices)
    assert html.count("<details") == 1 + len(level_1) + appendices, "the opening, one section per level-1 heading, 附件"
    assert "<summary class=\"card-header\">开头" in html
    for title in level_1:
        assert f'<summary class="card-header">{title}' in html
    # Every paragraph and every section's 新增段落 can be polished.
    assert html.count("data-polish") == len(paragraphs) + 1 + len(level_1)
    assert "保存为新版本" in html and "按最新数据重新生成" in html and "版本记录" in html
    assert 'name="base" value="1"' in html
    assert "红头（发文机关标志）" in html and "发文字号（文号）" in html and "成文日期" in html


def test_drop_reorder_and_add_a_paragraph_reach_the_downloaded_docx(client, draft, world):
    services.save_edit(draft=draft, document=small_document(), note="", by=world.office, at=NOW)
    data, form = unchanged(draft)
    opening, first, second = form.sections
    a, b, table = first.items[1:]  # 甲段, 乙段, the table
    data.update(
        {
            f"b{b.index}_order": "5",  # 乙段 before 甲段
            f"b{table.index}_delete": "on",
            f"s{second.number}_new": "新增的一段。",
            f"b{opening.items[0].index}_text": "改过的开头段。",
            "number": "管卫办〔2026〕3号",
            "recipients": "各成员单位：",
            "masthead": "管城回族区卫生和计划生育委员会文件",
            "issued_on": "2026-01-05",
            "note": "调整第一部分",
        }
    )

    response = post(client, world.office, "draft", draft.pk, data=data)

    assert response.status_code == 302 and response.url == reverse("documents:draft", args=[draft.pk])
    assert versions(draft)[-1] == (3, "调整第一部分", world.office.username)
    saved = from_data(draft.versions.get(number=3).data)
    assert saved.masthead == "管城回族区卫生和计划生育委员会文件"
    text = docx_text(page(client, world.leader, "docx", draft.pk, 3).content)
    # The red header: 发文机关标志, then the 文号 (core.official).
    assert [line for line in text.splitlines() if line][:2] == ["管城回族区卫生和计划生育委员会文件", "管卫办〔2026〕3号"]
    lines = [line for line in text.splitlines() if line]
    body = lines[lines.index("各成员单位：") + 1 :]
    assert body == [
        "改过的开头段。",
        "一、第一部分",
        "乙段。",
        "甲段。",
        "二、第二部分",
        "（一）小节",
        "丙段。",
        "新增的一段。",
        "区卫计委",
        "2026年1月5日",
    ]
    assert "宣传活动\t22" not in text


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"title": "长" * 201}, "title", "标题不能超过200个字。"),
        ({"title": ""}, "title", "请填写标题。"),
        ({"issued_on": "2025年12月9日"}, "issued_on", "成文日期无法识别，请按 2025-12-09 的格式填写。"),
        ({"b0_text": "段" * 5001}, "b0_text", "一段不能超过5000个字，请分成几段。"),
        ({"b0_text": "  "}, "b0_text", "段落不能为空；不需要这一段落请勾选“删除”。"),
        ({"b1_text": ""}, "b1_text", "标题不能为空；不需要这一标题请勾选“删除”。"),
        ({"b2_order": "第三"}, "b2_order", "顺序须为整数。"),
        ({"s1_new": "新" * 5001}, "s1_new", "一段不能超过5000个字，请分成几段。"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_saves_nothing(client, draft, world, change, field, message):
    services.save_edit(draft=draft, document=small_document(), note="", by=world.office, at=NOW)
    data, _ = unchanged(draft)
    data.update(change)
    before = versions(draft)

    response = post(client, world.office, "draft", draft.pk, data=data)

    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert "未保存" in response.content.decode()
    assert versions(draft) == before


def test_a_deleted_paragraph_may_be_left_empty(client, draft, world):
    services.save_edit(draft=draft, document=small_document(), note="", by=world.office, at=NOW)
    data, _ = unchanged(draft)
    data.update({"b0_text": "", "b0_delete": "on"})
    assert post(client, world.office, "draft", draft.pk, data=data).status_code == 302
    assert from_data(draft.versions.get(number=3).data).blocks[0] == Heading("一、第一部分", level=1)


def test_at_most_500_blocks(client, draft, world):
    document = small_document()
    document.blocks = [Paragraph(f"第{n}段。") for n in range(500)]
    services.save_edit(draft=draft, document=document, note="", by=world.office, at=NOW)
    data, _ = unchanged(draft)
    data["s0_new"] = "第五百零一段。"
    before = versions(draft)

    response = post(client, world.office, "draft", draft.pk, data=data)

    assert response.status_code == 400
    assert "正文最多500个标题、段落和表格，现有501个" in response.content.decode()
    assert versions(draft) == before
    # Dropping one makes room.
    data["b7_delete"] = "on"
    assert post(client, world.office, "draft", draft.pk, data=data).status_code == 302


def test_a_base_version_that_does_not_exist_saves_nothing(client, draft, world):
    data, _ = unchanged(draft)
    data["base"] = "9"
    response = post(client, world.office, "draft", draft.pk, data=data)
    assert response.status_code == 302
    assert versions(draft) == [(1, "生成初稿", world.office.username)]


# Versions, restore, regenerate


def test_any_version_can_be_read_and_restored(client, draft, world):
    first = draft.versions.get(number=1).data
    services.save_edit(draft=draft, document=small_document("改过的标题"), note="", by=world.office, at=LATER)

    shown = page(client, world.office, "version", draft.pk, 1)
    assert shown.status_code == 200
    assert first["title"] in shown.content.decode() and "恢复此版本" in shown.content.decode()
    response = post(client, world.office, "restore", draft.pk, 1)

    assert response.status_code == 302
    assert versions(draft)[-1] == (3, "恢复第1版", world.office.username)
    assert draft.versions.get(number=3).data == first
    assert draft.versions.get(number=2).data["title"] == "改过的标题", "the restored-over version stays"


def test_regenerating_writes_the_latest_figures_and_keeps_the_edits_in_older_versions(client, draft, world):
    edited = from_data(draft.versions.get().data)
    edited.number = "管卫办〔2026〕3号"
    edited.blocks.insert(0, Paragraph("办公室补写的一段。"))
    services.save_edit(draft=draft, document=edited, note="", by=world.office, at=NOW)
    value = IndicatorValue.objects.filter(
        indicator=world.indicators["fines"], report__status=Report.Status.ACCEPTED, report__period__ends_on__year=YEAR
    ).first()
    IndicatorValue.objects.filter(pk=value.pk).update(value=F("value") + 1000)
    fines = expected_totals(world)["fines"]

    confirm = page(client, world.office, "regenerate", draft.pk)
    assert confirm.status_code == 200
    assert "这些修改仍保留在第2版及更早的版本中" in confirm.content.decode()
    assert post(client, world.office, "regenerate", draft.pk).status_code == 302

    assert versions(draft)[-1] == (3, "按最新数据重新生成", world.office.username)
    fresh = from_data(draft.versions.get(number=3).data)
    text = docx_text(page(client, world.office, "docx", draft.pk, 3).content)
    assert f"共计处罚人民币{fines:f}".rstrip("0").rstrip(".") + "元" in text
    assert "办公室补写的一段。" not in text
    assert fresh.number == "管卫办〔2026〕3号", "the number the office gave is kept"
    assert "办公室补写的一段。" in docx_text(page(client, world.office, "docx", draft.pk, 2).content)


def test_downloads_are_named_after_the_title_and_not_cached(client, draft, world):
    response = page(client, world.leader, "docx", draft.pk, 1)
    assert response.status_code == 200
    assert quote(f"{report_title(world.campaign, YEAR)}.docx") in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    assert page(client, world.leader, "docx", draft.pk, 2).status_code == 404
    # The download is on the audit trail, once; the refused one is not.
    download = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOADED)
    assert (download.actor, download.object_type, download.object_id) == (world.leader, "documents.draft", str(draft.pk))
    assert download.campaign_id == world.campaign.pk
    assert f"{report_title(world.campaign, YEAR)}.docx（第1版）" in download.description


@pytest.mark.skipif(not pdf.available(), reason="LibreOffice is not installed")
def test_pdf_download(client, draft, world):
    response = page(client, world.leader, "pdf", draft.pk, 1)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert quote(f"{report_title(world.campaign, YEAR)}.pdf") in response["Content-Disposition"]


def test_a_pdf_that_cannot_be_made_is_a_message_not_an_error(client, draft, world, monkeypatch):
    def refuse(data, **kwargs):
        raise pdf.PdfUnavailable("本机未安装 LibreOffice，暂不能生成 PDF，请下载 Word 文档。")

    monkeypatch.setattr(pdf, "docx_to_pdf", refuse)
    response = page(client, world.office, "pdf", draft.pk, 1)
    assert response.status_code == 302 and response.url == reverse("documents:version", args=[draft.pk, 1])
    assert "本机未安装 LibreOffice，暂不能生成 PDF，请下载 Word 文档。" in client.get(response.url).content.decode()


def test_pdf_is_offered_only_where_it_can_be_made(client, draft, world, monkeypatch):
    monkeypatch.setattr(pdf, "available", lambda: False)
    assert "下载 PDF" not in page(client, world.office, "draft", draft.pk).content.decode()
    monkeypatch.setattr(pdf, "available", lambda: True)
    assert "下载 PDF" in page(client, world.office, "draft", draft.pk).content.decode()


# Who may


def test_leader_reads_every_version_but_sees_no_edit_controls_and_changes_nothing(client, draft, world):
    services.save_edit(draft=draft, document=small_document(), note="", by=world.office, at=LATER)
    response = page(client, world.leader, "draft", draft.pk)
    html = response.content.decode()

    assert response.status_code == 200
    assert "甲段。" in html and "只读" in html
    for control in ("保存为新版本", "恢复此版本", "按最新数据重新生成", "<textarea", "name=\"base\""):
        assert control not in html, control
    assert page(client, world.leader, "version", draft.pk, 1).status_code == 200
    assert "恢复此版本" not in page(client, world.leader, "version", draft.pk, 1).content.decode()
    assert page(client, world.leader, "docx", draft.pk, 1).status_code == 200

    data, _ = unchanged(draft)
    before = versions(draft)
    assert post(client, world.leader, "draft", draft.pk, data=data).status_code == 404
    assert post(client, world.leader, "restore", draft.pk, 1).status_code == 404
    assert post(client, world.leader, "regenerate", draft.pk).status_code == 404
    assert page(client, world.leader, "regenerate", draft.pk).status_code == 404
    assert versions(draft) == before


@pytest.mark.parametrize("who", ["liaison", "other_office", "other_leader"])
def test_units_and_strangers_get_404_everywhere(client, draft, world, who):
    user = {
        "liaison": world.liaison,
        "other_office": MembershipFactory(unit=UnitFactory(), role=Membership.Role.OFFICE_STAFF).user,
        "other_leader": MembershipFactory(unit=UnitFactory(), role=Membership.Role.LEADER).user,
    }[who]
    data, _ = unchanged(draft)
    for name in ("draft", "regenerate"):
        assert page(client, user, name, draft.pk).status_code == 404
    for name in ("version", "docx", "pdf"):
        assert page(client, user, name, draft.pk, 1).status_code == 404
    assert post(client, user, "draft", draft.pk, data=data).status_code == 404
    assert post(client, user, "restore", draft.pk, 1).status_code == 404
    assert post(client, user, "regenerate", draft.pk).status_code == 404
    assert post(client, user, "start", world.campaign.pk, data={"scope": f"annual:{YEAR + 1}"}).status_code == 404
    assert versions(draft) == [(1, "生成初稿", world.office.username)]
    assert Draft.objects.count() == 1


def test_a_member_of_the_leading_group_reads_the_drafts(client, draft, world):
    member = LeadingGroupMemberFactory(campaign=world.campaign, user=UserFactory(), unit=None).user
    assert page(client, member, "draft", draft.pk).status_code == 200
    assert world.campaign.title in page(client, member, "annual").content.decode()
    assert post(client, member, "restore", draft.pk, 1).status_code == 404



def test_the_index_shows_each_scope_with_its_latest_version(client, draft, world):
    PhaseFactory(campaign=world.campaign, order=1, name="教育治理年", starts_on=datetime.date(YEAR, 1, 1), ends_on=datetime.date(YEAR, 12, 31))
    PhaseFactory(campaign=world.campaign, order=2, name="贯穿全程", spans_whole_campaign=True, starts_on=None, ends_on=None)
    services.save_edit(draft=draft, document=small_document(), note="按主任意见修改", by=world.office, at=LATER)

    html = page(client, world.office, "annual").content.decode()

    assert "文稿起草" in html and "年度报告与总结" in html
    assert "第2版 · 按主任意见修改" in html
    assert f"{YEAR + 1}年度情况报告" in html and "第一阶段（教育治理年）总结" in html and "活动总结报告" in html
    assert "第2阶段" not in html, "an undated phase has no summary of its own"
    assert html.count("生成初稿") == 3, "the other year, the phase and the final summary"
    assert f'data-scope="annual:{YEAR}"' in html


def test_campaigns_with_the_same_title_are_told_apart(client, world):
    twin = CampaignFactory(
        title=world.campaign.title,
        office_unit=world.campaign.office_unit,
        issuing_unit=UnitFactory(name="另一个发文单位"),
        starts_on=datetime.date(2021, 1, 1),
        ends_on=datetime.date(2021, 12, 31),
    )
    html = page(client, world.office, "annual").content.decode()
    assert html.count(world.campaign.title) == 2
    assert f"{YEAR}—{YEAR + 1}年 · 发文单位：{world.campaign.issuing_unit.name}" in html
    assert f"2021年 · 发文单位：{twin.issuing_unit.name}" in html


def test_starting_a_drafted_scope_again_opens_the_draft(client, draft, world):
    response = post(client, world.office, "start", world.campaign.pk, data={"scope": f"annual:{YEAR}"})
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    assert Draft.objects.count() == 1 and draft.versions.count() == 1


# Query counts


def test_the_index_costs_the_same_queries_for_more_campaigns_drafts_and_versions(
    client, draft, world, django_assert_num_queries
):
    client.force_login(world.office)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("documents:annual")).status_code == 200
    for _ in range(3):
        services.save_edit(draft=draft, document=small_document(), note="", by=world.office, at=LATER)
    for year in (2026, 2027):
        campaign = CampaignFactory(office_unit=world.campaign.office_unit, starts_on=datetime.date(year, 1, 1))
        PhaseFactory(campaign=campaign, starts_on=datetime.date(year, 1, 1), ends_on=datetime.date(year, 6, 30))
        other = Draft.objects.create(campaign=campaign, kind=Kind.ANNUAL, year=year)
        services.add_version(draft=other, data=to_data(small_document()), note="", by=world.office, at=NOW)

    with django_assert_num_queries(len(few)):
        response = client.get(reverse("documents:annual"))
    assert len(few) <= 8
    assert response.content.decode().count("<section class=\"card mb-3\"") == 3


def test_the_draft_page_costs_the_same_queries_for_more_versions_and_blocks(
    client, draft, world, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(world.office)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("documents:draft", args=[draft.pk])).status_code == 200
    document = from_data(draft.versions.get().data)
    document.blocks += [Heading(f"{n}、新增部分", level=1) for n in range(5)] + [Paragraph("补充。")] * 40
    for _ in range(5):
        services.save_edit(draft=draft, document=document, note="", by=world.office, at=LATER)

    with django_assert_num_queries(len(few)):
        response = client.get(reverse("documents:draft", args=[draft.pk]))
    assert response.content.decode().count("data-version=") == 6
    assert len(few) <= 8
    for name in ("version", "docx"):
        with django_assert_max_num_queries(len(few)):
            assert client.get(reverse(f"documents:{name}", args=[draft.pk, 6])).status_code == 200


def test_saving_keeps_the_attachments_and_shows_them(client, draft, world):
    """附件 (the figures' tables) are not edited on the page: a save keeps them."""
    first = from_data(draft.versions.get(number=1).data)
    assert [appendix.title for appendix in first.appendices] == ["主要指标完成情况表", "重点任务推进情况表"]
    html = page(client, world.office, "draft", draft.pk).content.decode()
    assert "附件1：主要指标完成情况表" in html
    data, _ = unchanged(draft)
    response = post(client, world.office, "draft", draft.pk, data={**data, "save": "1"})
    assert response.status_code == 302, response.content.decode()[:500]
    saved = from_data(draft.versions.order_by("-number").first().data)
    assert saved.appendices == first.appendices
    assert "附件：1.主要指标完成情况表" in docx_text(render_docx(saved))


def test_regenerating_keeps_the_whole_header_the_office_typed(draft, world):
    edited = from_data(draft.versions.get().data)
    edited.title, edited.issuer = "改过的标题", "卫生监督执法专项行动领导小组办公室"
    edited.issued_on = datetime.date(2025, 12, 20)
    services.save_edit(draft=draft, document=edited, note="", by=world.office, at=NOW)
    fresh = from_data(services.regenerate(draft=draft, by=world.office, at=NOW).data)
    assert (fresh.title, fresh.issuer, fresh.issued_on) == (edited.title, edited.issuer, edited.issued_on)


def test_no_draft_is_started_while_the_campaign_is_being_set_up(client, world):
    from campaigns.models import Campaign

    Campaign.objects.filter(pk=world.campaign.pk).update(status=Campaign.Status.DRAFT)
    response = post(client, world.office, "start", world.campaign.pk, data={"scope": f"annual:{YEAR}"})
    assert response.status_code == 404
    assert not Draft.objects.exists()
