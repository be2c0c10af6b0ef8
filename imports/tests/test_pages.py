"""The office imports a plan through the pages: upload, preview, confirm."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from campaigns.models import Campaign, LeadingGroupMember, Membership, Phase, Unit
from campaigns.tests.factories import MembershipFactory, UnitFactory, UserFactory
from imports.forms import dump_payload
from imports.reading import propose
from reports.models import ReportingRule
from tasks.models import Indicator, Task

from .files import PLANS, confirm_post_data, docx_bytes, pdf_bytes, sample_text, scanned_pdf_bytes

pytestmark = pytest.mark.django_db

MODELS = [Campaign, Phase, Task, ReportingRule, Indicator, LeadingGroupMember, Unit]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def office_unit():
    commission = UnitFactory(name="管城回族区卫生和计划生育委员会", short_name="区卫计委")
    return UnitFactory(name="区卫计委公共卫生科", short_name="公卫科", parent=commission)


@pytest.fixture
def institute():
    return UnitFactory(name="区卫生监督所", short_name="监督所")


@pytest.fixture
def clerk(client, office_unit):
    user = MembershipFactory(unit=office_unit, role=Membership.Role.OFFICE_STAFF, user__username="fanlina").user
    client.force_login(user)
    return user


def upload(client, name, data, content_type="application/octet-stream", **extra):
    """Upload a file and follow it: the upload page's answer when it refuses the
    file at once, else the job's page once the (eager) worker has read it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("imports:preview"), {"file": SimpleUploadedFile(name, data, content_type), **extra})
    if response.status_code == 302:
        return client.get(response.url)
    return response


def test_a_clerk_in_two_offices_finds_the_one_the_plan_names_preselected(client, clerk, office_unit, institute):
    """The sample says 领导小组办公室设在委公卫科: of the clerk's two offices,
    公卫科 is chosen for them; with no such sentence, they choose."""
    MembershipFactory(user=clerk, unit=UnitFactory(name="卫滨区卫健委办公室", short_name="办公室"), role=Membership.Role.OFFICE_STAFF)
    response = upload(client, "plan.txt", sample_text().encode("utf-8"), "text/plain")
    assert response.context["form"].initial["office_unit"] == office_unit.pk
    text = sample_text().replace("办公室设在委公卫科", "办公室负责日常工作")
    response = upload(client, "plan.txt", text.encode("utf-8"), "text/plain")
    assert response.context["form"].initial["office_unit"] is None


# --------------------------------------------------------- the happy path


@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
def test_sample_uploaded_previewed_and_confirmed(client, clerk, office_unit, institute, as_docx):
    text = sample_text()
    if as_docx:
        response = upload(client, "管卫〔2016〕41号.docx", docx_bytes(text), DOCX)
    else:
        response = upload(client, "plan.txt", text.encode("utf-8"), "text/plain")

    assert response.status_code == 200
    page = response.content.decode()
    assert "管卫〔2016〕41号" in page
    for phase in ("教育治理年", "巩固提升年", "规范深化年"):
        assert phase in page
    assert 'value="2016-01-01"' in page and 'value="2018-12-31"' in page
    # 区卫生监督所 is matched to the existing unit, and the match is shown.
    form = response.context["form"]
    (row,) = response.context["unit_rows"]
    assert row["name"] == "区卫生监督所" and row["match"].unit_id == institute.pk
    assert form["unit_0"].value() == str(institute.pk)
    assert "名称相同 100%" in page
    # The source paragraph beside a finding.
    assert "每周2下午下班前" in page
    assert not Campaign.objects.exists(), "the preview writes nothing"

    data = confirm_post_data(text=text, office_unit=office_unit)
    data["payload"] = form["payload"].value()
    response = client.post(reverse("imports:confirm"), data)

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("setup:overview", args=[campaign.pk])
    assert campaign.status == Campaign.Status.DRAFT and campaign.office_unit == office_unit
    assert list(campaign.phases.values_list("starts_on", "ends_on")) == [
        (dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in (2016, 2017, 2018)
    ]
    top = campaign.tasks.filter(parent=None)
    assert top.count() == 6 and set(top.values_list("lead_unit", flat=True)) == {institute.pk}
    assert sorted(campaign.reporting_rules.values_list("cadence", "weekday", "day_of_month")) == [
        ("monthly", None, 19), ("weekly", 2, None)
    ]
    assert campaign.leading_group.filter(position=LeadingGroupMember.Position.HEAD, name="张彦军").exists()
    assert Unit.objects.count() == 3, "no unit created"
    followed = client.get(response.url)
    assert "已创建草稿活动" in followed.content.decode()


def test_admin_is_taken_to_the_campaigns_settings_too(client, office_unit):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(reverse("imports:confirm"), confirm_post_data(text=sample_text(), office_unit=office_unit))
    campaign = Campaign.objects.get()
    assert response.url == reverse("setup:overview", args=[campaign.pk])
    # The plan's unit did not exist: it was proposed as new, and created.
    assert campaign.tasks.first().lead_unit.name == "区卫生监督所"


def test_pasted_text_and_a_pdf_with_a_text_layer(client, clerk):
    response = client.post(reverse("imports:preview"), {"text": sample_text()})
    assert response.status_code == 200 and "管卫〔2016〕41号" in response.content.decode()

    lines = [line for line in sample_text().splitlines() if line.strip()]
    response = upload(client, "plan.pdf", pdf_bytes(lines), "application/pdf")
    assert response.status_code == 200
    proposal = response.context["proposal"]
    assert proposal["document_number"] == "管卫〔2016〕41号"
    assert len(proposal["tasks"]) == 6


def test_the_user_corrects_matches_dates_and_rules(client, clerk, office_unit, institute):
    other = UnitFactory(name="区卫计委政策法规科", short_name="法规科")
    data = confirm_post_data(text=sample_text(), office_unit=office_unit, units={"区卫生监督所": other.pk})
    data.update({"phase_0_start": "2016-05-01", "rule_0_time": "16:00", "rule_1_skip": "on", "title": "文明执法三年行动"})

    response = client.post(reverse("imports:confirm"), data)

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.title == "文明执法三年行动"
    assert set(campaign.tasks.values_list("lead_unit", flat=True)) == {other.pk}
    assert campaign.phases.get(order=1).starts_on == dt.date(2016, 5, 1)
    assert campaign.starts_on == dt.date(2016, 5, 1)
    assert list(campaign.reporting_rules.values_list("cadence", "due_time")) == [("weekly", dt.time(16, 0))]


def test_masked_year_asks_for_the_dates_and_creates_nothing(client, clerk, office_unit):
    text = (PLANS / "qingfeng-masked-year.txt").read_text(encoding="utf-8")
    response = client.post(reverse("imports:preview"), {"text": text})
    page = response.content.decode()
    assert "201*" in page and "遮盖" in page  # the warnings at the top
    before = counts()

    response = client.post(reverse("imports:confirm"), confirm_post_data(text=text, office_unit=office_unit))

    assert response.status_code == 200
    assert "请填写“宣传发动”的日期" in response.content.decode()
    assert counts() == before

    # The plan's year, given once, fills every masked date: the draft can be confirmed.
    response = client.post(reverse("imports:confirm"), confirm_post_data(text=text, year=2017, office_unit=office_unit))
    assert response.status_code == 302


def test_reread_with_a_year(client, clerk):
    text = (PLANS / "zhuanxiang-web-copy.txt").read_text(encoding="utf-8")
    first = client.post(reverse("imports:preview"), {"text": text})
    assert first.context["proposal"]["phases"][0]["start"] is None
    payload = first.context["reread"]["payload"].value()

    again = client.post(reverse("imports:preview"), {"payload": payload, "year": "2023"})

    assert again.context["proposal"]["phases"][0]["start"] == "2023-03-06"


# ------------------------------------------------------------- bad input


BAD_UPLOADS = [
    ("empty.txt", b"", "空的"),
    ("blank.txt", b" \n\n ", "空的"),
    ("binary.txt", bytes(range(256)) * 4, "不是文本文件"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为 .docx"),
    ("renamed.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为 .docx"),
    ("notes.txt", "今天天气很好，我们去公园散步。\n晚上吃饺子。".encode(), "不是实施方案"),
    ("scan.pdf", scanned_pdf_bytes(), "没有文字层"),
    ("broken.pdf", b"%PDF-1.4 broken", "无法打开这个 PDF"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "不是 Word"),
    ("sheet.xlsx", b"PK\x03\x04", "不是 Word"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 100, "不支持的文件类型"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_bad_upload_gets_a_message_and_nothing_is_created(client, clerk, name, data, message):
    before = counts()
    response = upload(client, name, data)
    assert response.status_code == 200
    # Refused at once when its name and first bytes say so, else by the job.
    assert response.templates[0].name in ("imports/upload.html", "imports/job.html")
    assert message in response.content.decode()
    assert counts() == before


def test_file_over_the_size_limit(client, clerk, settings):
    settings.PLAN_IMPORT_MAX_BYTES = 1024
    response = upload(client, "plan.txt", sample_text().encode("utf-8"))
    assert "文件太大" in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_small_docx_that_unpacks_to_far_more_is_refused_before_it_is_read(client, clerk, settings):
    """A zip bomb: 50 KB uploaded, 10 MB of document.xml; nothing is unpacked."""
    import io
    import zipfile

    settings.PLAN_IMPORT_MAX_BYTES = 100 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><!--" + " " * 10_000_000 + "--></w:document>")
    assert len(buffer.getvalue()) < settings.PLAN_IMPORT_MAX_BYTES
    response = upload(client, "plan.docx", buffer.getvalue(), DOCX)
    assert "这个 Word 文件解压后过大" in response.content.decode()
    assert not Campaign.objects.exists()


def test_nothing_given(client, clerk):
    response = client.post(reverse("imports:preview"), {})
    assert "请选择方案文件，或粘贴方案全文" in response.content.decode()


def test_confirming_twice_makes_one_draft(client, clerk, office_unit, institute):
    data = confirm_post_data(text=sample_text(), office_unit=office_unit)
    assert client.post(reverse("imports:confirm"), data).status_code == 302
    before = counts()
    response = client.post(reverse("imports:confirm"), data)
    assert "这份方案已导入为草稿活动" in response.content.decode()
    assert counts() == before and Campaign.objects.count() == 1


def test_a_tampered_payload_is_refused(client, clerk, office_unit):
    data = confirm_post_data(text=sample_text(), office_unit=office_unit)
    data["payload"] = data["payload"][:-3] + "abc"
    response = client.post(reverse("imports:confirm"), data)
    assert response.url == reverse("imports:upload")
    assert not Campaign.objects.exists()


def test_an_edited_proposal_inside_a_genuine_signature_is_still_checked(client, clerk, office_unit):
    text = sample_text()
    proposal = propose(text).to_dict()
    proposal["title"] = ""
    data = confirm_post_data(text=text, office_unit=office_unit)
    data["payload"] = dump_payload(text=text, proposal=proposal, filename="", year=None)
    data["title"] = ""
    response = client.post(reverse("imports:confirm"), data)
    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_office_staff_cannot_make_another_unit_the_office(client, clerk):
    elsewhere = UnitFactory(name="区市场监管局办公室")
    response = client.post(reverse("imports:confirm"), confirm_post_data(text=sample_text(), office_unit=elsewhere))
    assert response.status_code == 200
    assert "请从列表中选择单位" in response.content.decode()
    assert not Campaign.objects.exists()


# ---------------------------------------------------------- query counts


def test_preview_query_count_does_not_grow_with_units(client, clerk, django_assert_max_num_queries):
    text = sample_text()
    with django_assert_max_num_queries(8) as few:
        client.post(reverse("imports:preview"), {"text": text})
    UnitFactory.create_batch(300)
    with django_assert_max_num_queries(8) as many:
        response = client.post(reverse("imports:preview"), {"text": text})
    assert response.status_code == 200
    assert len(response.context["form"].fields["unit_0"].choices) == 1 + Unit.objects.count()
    assert len(many) == len(few)


def test_confirm_query_count_is_bounded(client, clerk, office_unit, django_assert_max_num_queries):
    UnitFactory.create_batch(300)
    data = confirm_post_data(text=sample_text(), office_unit=office_unit)
    # Six tasks, three phases, two rules, three members, one new unit, history rows.
    with django_assert_max_num_queries(80):
        response = client.post(reverse("imports:confirm"), data)
    assert response.status_code == 302
