"""An uploaded plan is stored by the web request and read by a worker in a
capped child process (issue 18): crafted files fail their job with a Chinese
message, a normal plan goes on to the preview, and only the uploader's office
may follow the job."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Membership
from campaigns.tests.factories import MembershipFactory, UnitFactory, UserFactory
from core import outbox
from dashboards.tests.test_broker_down import broker_down  # noqa: F401 (a fixture)
from imports import uploads
from imports.models import PlanImportJob
from imports.reading import Limits
from imports.sandbox import ReadFailed, read_in_child

from .files import confirm_post_data, docx_bytes, sample_text

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MB = 1024 * 1024


def zip_bomb_docx(unpacked=200 * MB):
    """A .docx whose document.xml is `unpacked` bytes of one repeated byte:
    written in chunks, so that the test itself never holds it."""
    # The parts of a genuine .docx, so that python-docx goes on to load document.xml.
    genuine = zipfile.ZipFile(io.BytesIO(docx_bytes("方案")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in genuine.namelist():
            if name != "word/document.xml":
                archive.writestr(name, genuine.read(name))
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * MB
            for _ in range(unpacked // MB):
                member.write(chunk)
    return buffer.getvalue()


def many_pages_pdf(pages=600):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def office_unit():
    return UnitFactory(name="区卫计委公共卫生科", short_name="公卫科")


@pytest.fixture
def clerk(client, office_unit):
    user = MembershipFactory(unit=office_unit, role=Membership.Role.OFFICE_STAFF).user
    client.force_login(user)
    return user


def post_upload(client, name, data, content_type=DOCX, *, run=True, **extra):
    """The upload's answer; with `run`, the (eager) job runs once it is committed."""
    with TestCase.captureOnCommitCallbacks(execute=run):
        return client.post(reverse("imports:preview"), {"file": SimpleUploadedFile(name, data, content_type), **extra})


def job_of(response):
    assert response.status_code == 302, response.content.decode()[:500]
    job = PlanImportJob.objects.get()
    assert response.url == reverse("imports:job", args=[job.pk])
    return job


# --------------------------------------------------------- a normal plan


def test_a_docx_is_stored_read_by_the_job_and_previewed_then_confirmed(client, clerk, office_unit):
    text = sample_text()
    response = post_upload(client, "管卫〔2016〕41号.docx", docx_bytes(text), year="2016")

    job = job_of(response)
    assert job.status == PlanImportJob.Status.DONE and job.percent == 100
    assert job.uploaded_by == clerk and job.original_name == "管卫〔2016〕41号.docx" and job.year == 2016
    assert job.proposal["document_number"] == "管卫〔2016〕41号"
    assert "文明执法" in job.text
    assert job.file.read()[:2] == b"PK", "the upload itself is stored"

    page = client.get(response.url)
    assert page.templates[0].name == "imports/preview.html"
    content = page.content.decode()
    assert "管卫〔2016〕41号" in content and "教育治理年" in content
    assert "管卫〔2016〕41号.docx" in content, "the file's name beside the title"
    assert not Campaign.objects.exists(), "reading writes no campaign"

    data = confirm_post_data(text=text, office_unit=office_unit)
    data["payload"] = page.context["form"]["payload"].value()
    confirmed = client.post(reverse("imports:confirm"), data)
    campaign = Campaign.objects.get()
    assert confirmed.url == reverse("setup:overview", args=[campaign.pk])
    assert campaign.tasks.filter(parent=None).count() == 6


def test_while_the_job_waits_the_page_shows_its_state_and_refreshes(client, clerk):
    response = post_upload(client, "plan.txt", sample_text().encode("utf-8"), "text/plain", run=False)
    job = job_of(response)
    assert job.status == PlanImportJob.Status.QUEUED

    page = client.get(response.url)
    content = page.content.decode()
    assert page.templates[0].name == "imports/job.html"
    assert "排队中" in content and '<meta http-equiv="refresh" content="2">' in content
    assert "<script>" not in content

    uploads.read_job(job_id=job.pk)
    assert client.get(response.url).templates[0].name == "imports/preview.html"


def test_a_job_is_read_once_however_often_it_is_delivered(clerk):
    job = uploads.accept_upload(
        uploaded=SimpleUploadedFile("plan.txt", sample_text().encode("utf-8")), year=None, by=clerk, at=timezone.now()
    )
    assert uploads.read_job(job_id=job.pk).status == PlanImportJob.Status.DONE
    assert uploads.read_job(job_id=job.pk) is None


# --------------------------------------------------------- crafted files


def test_a_zip_bomb_docx_is_refused_by_the_upload_before_anything_is_unpacked(client, clerk):
    bomb = zip_bomb_docx()
    assert len(bomb) < MB
    response = post_upload(client, "plan.docx", bomb)
    assert response.status_code == 200
    assert "这个 Word 文件解压后过大（200." in response.content.decode()
    assert not PlanImportJob.objects.exists()


def test_the_job_refuses_a_zip_bomb_that_reached_it(clerk):
    """Stored without the form (an older upload, another way in): the child
    checks the unpacked size again before python-docx opens it."""
    job = uploads.accept_upload(uploaded=SimpleUploadedFile("plan.docx", zip_bomb_docx()), year=None, by=clerk, at=timezone.now())
    job = uploads.read_job(job_id=job.pk)
    assert job.status == PlanImportJob.Status.FAILED
    assert "这个 Word 文件解压后过大（200." in job.error
    assert job.proposal is None


def test_past_the_size_guard_the_child_meets_its_memory_cap_not_the_worker(clerk, settings):
    """With the unpacked-size guard lifted, python-docx would read 200 MB into
    memory: the child runs out of its cap and the job says so, while this
    process (the worker) carries on."""
    settings.PLAN_IMPORT_MAX_UNPACKED_BYTES = 10 * 1024 * MB
    settings.PLAN_IMPORT_MAX_BYTES = 50 * MB
    settings.PLAN_IMPORT_MEMORY_BYTES = 150 * MB
    job = uploads.accept_upload(uploaded=SimpleUploadedFile("plan.docx", zip_bomb_docx()), year=None, by=clerk, at=timezone.now())
    job = uploads.read_job(job_id=job.pk)
    assert job.status == PlanImportJob.Status.FAILED
    assert "识别这个文件所需的内存超过了上限（150 MB）" in job.error


def test_a_pdf_of_600_pages_is_refused_by_its_page_count(client, clerk):
    response = post_upload(client, "plan.pdf", many_pages_pdf(600), "application/pdf")
    job = job_of(response)
    assert job.status == PlanImportJob.Status.FAILED
    page = client.get(response.url).content.decode()
    assert "这个 PDF 有 600 页，超过 500 页的上限" in page
    assert "失败" in page and "http-equiv" not in page
    assert not Campaign.objects.exists()


def test_a_child_that_runs_too_long_is_stopped():
    limits = Limits(max_bytes=MB, max_unpacked=MB, max_pages=10)
    with pytest.raises(ReadFailed) as refused:
        read_in_child(name="plan.txt", data=sample_text().encode(), year=None, limits=limits, memory_bytes=300 * MB, timeout=0.01)
    assert refused.value.detail == "timeout"
    assert "超过了 0 秒的时限" in str(refused.value)


def test_the_command_refuses_a_pdf_of_too_many_pages(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(many_pages_pdf(600))
    with pytest.raises(CommandError, match="这个 PDF 有 600 页，超过 500 页的上限"):
        call_command("import_plan", str(path), "--dry-run")


# --------------------------------------------------------- without a broker


def test_an_upload_is_kept_when_the_broker_is_down_and_read_once_it_is_back(client, clerk, broker_down):
    response = post_upload(client, "plan.txt", sample_text().encode("utf-8"), "text/plain")
    job = job_of(response)
    assert job.status == PlanImportJob.Status.QUEUED
    assert "排队中" in client.get(response.url).content.decode()
    assert outbox.pending(task="imports.jobs.read_plan").count() == 1

    # Redis is back: the relay (beat's, or the operator's command) sends it once.
    broker_down()
    outbox.relay_all(retry_now=True)
    job.refresh_from_db()
    assert job.status == PlanImportJob.Status.DONE
    assert not outbox.pending(task="imports.jobs.read_plan").exists()


def test_a_job_whose_worker_died_fails_with_a_message(clerk):
    job = uploads.accept_upload(
        uploaded=SimpleUploadedFile("plan.txt", b"x"), year=None, by=clerk, at=timezone.now()
    )
    PlanImportJob.objects.filter(pk=job.pk).update(status=PlanImportJob.Status.RUNNING, started_at=timezone.now())
    later = timezone.now() + uploads.QUEUED_GRACE + datetime.timedelta(minutes=5)
    assert uploads.sweep_jobs(at=later) == (1, 0)
    job.refresh_from_db()
    assert job.status == PlanImportJob.Status.FAILED and "请重新上传方案文件" in job.error


# --------------------------------------------------------- who may follow a job


@pytest.fixture
def done_job(clerk):
    job = uploads.accept_upload(
        uploaded=SimpleUploadedFile("plan.txt", sample_text().encode("utf-8")), year=None, by=clerk, at=timezone.now()
    )
    return uploads.read_job(job_id=job.pk)


def test_a_colleague_of_the_same_office_may_follow_the_job(client, done_job, office_unit):
    colleague = MembershipFactory(unit=office_unit, role=Membership.Role.OFFICE_STAFF).user
    client.force_login(colleague)
    assert client.get(reverse("imports:job", args=[done_job.pk])).status_code == 200
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("imports:job", args=[done_job.pk])).status_code == 200


@pytest.mark.parametrize("role", [Membership.Role.OFFICE_STAFF, Membership.Role.LIAISON, Membership.Role.LEADER])
def test_anyone_outside_the_uploaders_office_gets_404(client, done_job, office_unit, role):
    unit = UnitFactory(name="区市场监管局办公室") if role == Membership.Role.OFFICE_STAFF else office_unit
    client.force_login(MembershipFactory(unit=unit, role=role).user)
    response = client.get(reverse("imports:job", args=[done_job.pk]))
    assert response.status_code == 404
    assert "管卫〔2016〕41号" not in response.content.decode()


def test_an_ended_membership_no_longer_shows_the_job(client, clerk, done_job):
    Membership.objects.filter(user=clerk).update(is_active=False)
    assert client.get(reverse("imports:job", args=[done_job.pk])).status_code == 404


# --------------------------------------------------------- query counts


def test_job_page_query_counts_do_not_grow(client, clerk, done_job, django_assert_max_num_queries):
    url = reverse("imports:job", args=[done_job.pk])
    with django_assert_max_num_queries(10) as few:
        assert client.get(url).status_code == 200
    UnitFactory.create_batch(100)
    for _ in range(5):
        uploads.accept_upload(uploaded=SimpleUploadedFile("other.txt", b"x"), year=None, by=clerk, at=timezone.now())
    with django_assert_max_num_queries(10) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)

    waiting = uploads.accept_upload(uploaded=SimpleUploadedFile("late.txt", b"x"), year=None, by=clerk, at=timezone.now())
    # The session, the user, the role check, the job, the page's navigation.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("imports:job", args=[waiting.pk]))
    assert "排队中" in response.content.decode()


# --------------------------------------------------------- pasted text


def test_django_accepts_a_pasted_text_as_long_as_the_stated_limit(settings):
    # The preview posts the text back signed with its proposal: room for both.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 2 * settings.PLAN_IMPORT_MAX_BYTES


def test_a_pasted_text_over_the_limit_gets_a_chinese_message_not_a_bare_400(client, clerk, settings):
    """3 MB is above Django's default 2.5 MB, which used to answer with its 400 page."""
    settings.PLAN_IMPORT_MAX_BYTES = 2 * MB
    text = "一、总体要求\n" + "加强组织领导。" * (3 * MB // 21)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("imports:preview"), {"text": text})
    assert response.status_code == 200
    content = response.content.decode()
    assert "粘贴的文字太长（3.0 MB），方案全文不能超过 2.0 MB" in content
    assert "全文不超过 2.0 MB" in content, "the limit is stated on the form"
    assert not PlanImportJob.objects.exists()
