"""The bulletin (通报) as LibreOffice prints it: GB/T 9704 on the page, signed
by the campaign's leading group office, and the date never alone on a new
page however long the office makes the body. One conversion per bulletin."""

import datetime
from dataclasses import dataclass

import pytest

from core.official import written_date
from core.tests.layout import assert_official_layout, printed
from evaluations import services
from evaluations.tests.factories import AT, MONTH, build_month

# The database for the shared build only; the checks read the PDFs.
pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db]

PUBLISHED_AT = AT + datetime.timedelta(days=1)
# A paragraph of two full lines less the indent: 26 + 28 characters.
MORE = "各单位要对照评定结果查找差距及时准确报送工作进展按期完成整改受到通报的单位要认真分析原因切实加"
# As many as put the date, unkept, alone at the top of page 4.
PARAGRAPHS = 14


@dataclass
class Rendered:
    short: bytes
    long: bytes
    issuer: str
    date: str
    last: str  # the long bulletin's last line of body text


@pytest.fixture(scope="module")
def rendered(shared_db):
    with shared_db():
        month = build_month()
        evaluation = services.compute_evaluation(campaign=month.campaign, month=MONTH, by=month.office, at=AT)
        services.publish_evaluation(evaluation=evaluation, by=month.office, at=AT)
        bulletin = services.draft_bulletin(evaluation=evaluation, at=AT)
        bulletin = services.publish_bulletin(bulletin=bulletin, by=month.office, at=PUBLISHED_AT)
        short = services.render_bulletin(bulletin)
        last = "特此通报。"
        bulletin.body = "\n".join([bulletin.body, *[MORE] * PARAGRAPHS, last])
        long = services.render_bulletin(bulletin)
        issuer = month.campaign.leading_group_office
    return Rendered(short=short, long=long, issuer=issuer, date=written_date(PUBLISHED_AT.date()), last=last)


@pytest.fixture(scope="module")
def short_pdf(rendered):
    return printed(rendered.short)


@pytest.fixture(scope="module")
def long_pdf(rendered):
    return printed(rendered.long)


def test_the_bulletin_is_laid_out_as_gbt_9704(rendered, short_pdf):
    assert_official_layout(short_pdf, issuer=rendered.issuer, date=rendered.date)


def test_the_bulletin_is_signed_by_the_leading_group_office_with_the_date_under_it(rendered, short_pdf):
    assert rendered.issuer.endswith("领导小组办公室")
    lines = [line.text for _, line in short_pdf.lines()]
    assert lines[-2:] == [rendered.issuer, rendered.date]
    assert short_pdf.page_of(rendered.issuer) is short_pdf.page_of(rendered.date)


def test_the_ranking_reads_rank_without_a_second_ming(rendered, short_pdf):
    text = "".join(line.text for _, line in short_pdf.lines())
    assert "排名第4，主要失分" in text
    assert "排名第4名" not in text


def test_a_long_bulletin_keeps_its_date_with_the_issuer_and_the_body(rendered, long_pdf):
    assert len(long_pdf.pages) >= 2
    assert_official_layout(long_pdf, issuer=rendered.issuer, date=rendered.date)
    assert long_pdf.line_before(rendered.issuer)[1].text == rendered.last
    # The break still falls there: the body's last line went over with the signature.
    last_page = long_pdf.pages[-1]
    assert len(long_pdf.pages) == 4
    assert [line.text for line in last_page.text_lines] == [rendered.last, rendered.issuer, rendered.date]
