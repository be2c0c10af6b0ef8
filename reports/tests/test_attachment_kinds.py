"""An attachment's extension must match what its bytes are (reports.files on core.files.sniff)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.files import validate_upload


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_renamed_spreadsheet_is_refused_and_named_for_what_it_is():
    workbook = zipped({"xl/workbook.xml": "<workbook/>"})
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("总结.docx", workbook))
    assert "内容与扩展名 .docx 不符，看起来是Excel文件" in refused.value.messages[0]


def test_a_plain_zip_renamed_xlsx_is_refused_without_a_guess_at_its_kind():
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("表格.xlsx", zipped({"readme.txt": "hello"})))
    assert "内容与扩展名 .xlsx 不符。请上传真实的" in refused.value.messages[0]


def test_a_real_docx_is_accepted_with_its_content_type():
    document = zipped({"word/document.xml": "<w:document/>"})
    assert validate_upload(SimpleUploadedFile("总结.docx", document)) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("工作总结.wps", OLE, "application/wps-office.wps"),
        ("工作总结.wps", zipped({"word/document.xml": "<w:document/>"}), "application/wps-office.wps"),
        ("统计表.et", OLE, "application/wps-office.et"),
        ("统计表.et", zipped({"xl/workbook.xml": "<workbook/>"}), "application/wps-office.et"),
        ("汇报.dps", OLE, "application/wps-office.dps"),
        ("汇报.dps", zipped({"ppt/presentation.xml": "<p:presentation/>"}), "application/wps-office.dps"),
        ("红头文件.ofd", zipped({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<d/>"}), "application/ofd"),
    ],
    ids=["wps ole", "wps ooxml", "et ole", "et ooxml", "dps ole", "dps ooxml", "ofd"],
)
def test_wps_and_ofd_files_the_offices_use_are_accepted(name, data, content_type):
    assert validate_upload(SimpleUploadedFile(name, data)) == content_type


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("工作总结.wps", b"%PDF-1.4\n", "内容与扩展名 .wps 不符，看起来是PDF文件"),
        ("统计表.et", zipped({"word/document.xml": "<w:document/>"}), "内容与扩展名 .et 不符，看起来是Word文件"),
        ("红头文件.ofd", zipped({"readme.txt": "hello"}), "内容与扩展名 .ofd 不符。请上传真实的"),
        ("红头文件.ofd", OLE, "内容与扩展名 .ofd 不符，看起来是Word、Excel 或 WPS文件"),
    ],
)
def test_a_renamed_file_is_refused_as_wps_or_ofd(name, data, message):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, data))
    assert message in refused.value.messages[0]
