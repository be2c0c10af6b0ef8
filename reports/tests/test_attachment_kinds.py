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
