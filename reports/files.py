"""What an attachment may be: checked by its content, not only its name."""

import hashlib
import math
import os
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

# extension -> (kind detected from content, content type served on download)
ALLOWED = {
    ".pdf": ("pdf", "application/pdf"),
    ".doc": ("ole", "application/msword"),
    ".docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xls": ("ole", "application/vnd.ms-excel"),
    ".xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".png": ("png", "image/png"),
}
ALLOWED_DISPLAY = "PDF、Word（doc、docx）、Excel（xls、xlsx）、JPG、PNG"
KIND_NAMES = {"pdf": "PDF", "ole": "Word 或 Excel", "docx": "Word", "xlsx": "Excel", "jpeg": "JPG 图片", "png": "PNG 图片"}

MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # the legacy Office container
]


def max_size():
    return settings.ATTACHMENT_MAX_BYTES


def sniff(uploaded):
    """The kind of file its bytes say it is, or None."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def validate_upload(uploaded):
    """Return the content type to store, or raise ValidationError in Chinese."""
    name = os.path.basename(uploaded.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED:
        raise ValidationError(f"文件“{name}”的类型不能上传。只能上传 {ALLOWED_DISPLAY} 文件。")
    if uploaded.size == 0:
        raise ValidationError(f"文件“{name}”是空文件，请检查后重新选择。")
    limit = max_size()
    if uploaded.size > limit:
        # Rounded up, so that a file just over the limit never reads as equal to it.
        size_mb = math.ceil(uploaded.size / 1048576 * 10) / 10
        raise ValidationError(
            f"文件“{name}”大小为 {size_mb:.1f} MB，超过 {limit / 1048576:.0f} MB 的上限。"
            "请压缩图片或拆分文件后再上传。"
        )
    expected, content_type = ALLOWED[extension]
    actual = sniff(uploaded)
    if actual != expected:
        seems = f"，看起来是{KIND_NAMES[actual]}文件" if actual else ""
        raise ValidationError(
            f"文件“{name}”的内容与扩展名 {extension} 不符{seems}。请上传真实的 {ALLOWED_DISPLAY} 文件，不要只修改扩展名。"
        )
    return content_type


def generated_name(prefix):
    """Where an upload is stored: a generated name, so that a user's file
    name never reaches the file system (it is kept as `original_name`)."""
    name = uuid.uuid4().hex
    return f"{prefix}/{name[:2]}/{name}"


def sha256_digest(fileobj):
    """The SHA-256 of an uploaded file, read in chunks."""
    sha = hashlib.sha256()
    for chunk in fileobj.chunks():
        sha.update(chunk)
    return sha.hexdigest()
