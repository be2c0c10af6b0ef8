"""Every document documents.drafting drafts, as LibreOffice prints it: GB/T
9704 on the page (core/tests/layout.py), with and without a red header. One
campaign for the module, one conversion per document."""

import dataclasses
import datetime

import pytest

from campaigns.models import Phase
from core.official import render_docx, written_date
from core.tests.layout import BODY_SIZE, LEFT, RIGHT, TOLERANCE, assert_official_layout, printed
from documents.drafting import build_document
from documents.kinds import Kind

from .conftest import NOW, YEAR, build_world

# The database for the shared campaign only; the checks read the PDFs.
pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db]

# Each kind drafting knows, with the scope to draft it for, from the module's
# campaign (conftest.build_world). A kind drafting learns gets its line here.
def phase(world):
    found, _ = Phase.objects.get_or_create(
        campaign=world.campaign, order=1,
        defaults={"name": "集中整治", "starts_on": datetime.date(YEAR, 4, 1), "ends_on": datetime.date(YEAR, 9, 30)},
    )
    return {"phase": found}


KINDS = [
    pytest.param((Kind.ANNUAL, lambda world: {"year": YEAR}), id="annual"),
    pytest.param((Kind.PHASE, phase), id="phase"),
    pytest.param((Kind.FINAL, lambda world: {}), id="final"),
]
MASTHEAD = "卫生监督执法专项行动领导小组文件"


@pytest.fixture(scope="module")
def world(shared_db):
    with shared_db():
        return build_world()


@pytest.fixture(scope="module", params=KINDS)
def drafted(request, world, django_db_blocker):
    """(the document, its PDF, the PDF of the same with a red header)."""
    kind, scope = request.param
    with django_db_blocker.unblock():
        document = build_document(kind, campaign=world.campaign, at=NOW, **scope(world))
    headed = dataclasses.replace(document, masthead=MASTHEAD)
    return document, printed(render_docx(document)), printed(render_docx(headed))


def test_the_document_is_laid_out_as_gbt_9704(drafted):
    document, pdf, _ = drafted
    assert document.issuer and document.issued_on
    assert_official_layout(pdf, issuer=document.issuer, date=written_date(document.issued_on))


def test_the_title_leads_and_the_headings_print_in_body_size(drafted):
    document, pdf, _ = drafted
    first = pdf.pages[0]
    title = [line for line in first.text_lines if abs(line.size - 22) < 0.1]
    assert "".join(line.text for line in title) == document.title.replace("\n", "")
    assert all(abs((line.x0 + line.x1) / 2 - (LEFT + RIGHT) / 2) <= TOLERANCE for line in title)
    headings = [block.text for block in document.blocks if type(block).__name__ == "Heading"]
    assert headings
    printed_lines = {line.text: line for _, line in pdf.lines()}
    for heading in headings:
        assert heading in printed_lines, f"{heading!r} not printed on a line of its own"
        assert abs(printed_lines[heading].size - BODY_SIZE) < 0.1


def test_with_a_red_header_the_document_keeps_its_layout(drafted):
    document, _, pdf = drafted
    assert_official_layout(pdf, issuer=document.issuer, date=written_date(document.issued_on))
    first = pdf.pages[0]
    (masthead,) = first.find(MASTHEAD)
    assert masthead.red and first.red_strokes
    title = [line for line in first.text_lines if abs(line.size - 22) < 0.1]
    assert "".join(line.text for line in title) == document.title.replace("\n", "")
    assert masthead.y > first.red_strokes[0][1] > title[0].y
