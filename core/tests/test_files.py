"""The one sniffer: a file is what its bytes say, whatever its name."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import Refused
from core.files import UnpackedTooLarge, looks_binary, sniff


def zipped(members, *, compression=zipfile.ZIP_STORED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
DOCX = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
PPTX = zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p:presentation/>"})
OFD = zipped({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<ofd:Document/>"})
ZIP = zipped({"readme.txt": "hello"})


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (OLE, "ole"),
        (DOCX, "docx"),
        (XLSX, "xlsx"),
        (PPTX, "pptx"),
        (OFD, "ofd"),
        (zipped({"Doc_0/OFD.xml": "<ofd:OFD/>"}), "zip"),
        (ZIP, "zip"),
        (b"PK\x03\x04 not really a zip", None),
        (b"MZ" + b"\x00" * 10, None),
        ("一份方案".encode(), None),
        (b"", None),
    ],
    ids=["pdf", "png", "jpeg", "ole", "docx", "xlsx", "pptx", "ofd", "ofd.xml not at the root", "zip", "broken zip", "exe", "text", "empty"],
)
def test_the_kind_comes_from_the_bytes(data, kind):
    assert sniff(data) == kind


def test_an_upload_is_sniffed_and_left_at_its_start():
    upload = SimpleUploadedFile("报告.docx", DOCX)
    upload.read(10)
    assert sniff(upload) == "docx"
    assert upload.tell() == 0
    assert upload.read() == DOCX


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [("照片.jpg", PNG, "png"), ("方案.docx", OLE, "ole"), ("报表.xlsx", DOCX, "docx"), ("材料.pdf", ZIP, "zip")],
)
def test_a_renamed_file_is_known_by_its_bytes_not_its_name(name, data, kind):
    assert sniff(SimpleUploadedFile(name, data)) == kind


def test_a_zip_bomb_is_refused_by_its_unpacked_size_without_unpacking_it():
    bomb = zipped({"word/document.xml": " " * 5_000_000}, compression=zipfile.ZIP_DEFLATED)
    assert len(bomb) < 50_000
    with pytest.raises(UnpackedTooLarge) as refused:
        sniff(bomb, max_unpacked=1_000_000)
    assert isinstance(refused.value, Refused)
    assert refused.value.kind == "docx"
    assert refused.value.unpacked == 5_000_000
    assert "解压后过大（4.8 MB），超过 976 KB 的上限" in refused.value.message


def test_a_zip_within_the_unpacked_limit_passes():
    assert sniff(DOCX, max_unpacked=len("<Types/><w:document/>")) == "docx"


@pytest.mark.parametrize(
    ("data", "binary"),
    [
        ("第一阶段：动员部署\n\t1. 成立领导小组\r\n".encode(), False),
        ("第一阶段".encode("gb18030"), False),
        (b"text\x00more", True),
        (bytes(range(32)) * 4, True),
    ],
    ids=["utf-8 text", "gb18030 text", "a nul", "control characters"],
)
def test_text_is_told_from_binary(data, binary):
    assert looks_binary(data) is binary
