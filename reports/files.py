"""What an attachment may be: checked by its content, not only its name."""

import math
import os

from django.conf import settings
from django.core.exceptions import ValidationError

from core.files import sniff

# extension -> (kinds its content may be, content type served on download).
# WPS writes its own formats in the legacy OLE container, and in Office Open
# XML since WPS 2019; either is a real .wps/.et/.dps.
ALLOWED = {
    ".pdf": (("pdf",), "application/pdf"),
    ".ofd": (("ofd",), "application/ofd"),
    ".doc": (("ole",), "application/msword"),
    ".docx": (("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".wps": (("ole", "docx"), "application/wps-office.wps"),
    ".xls": (("ole",), "application/vnd.ms-excel"),
    ".xlsx": (("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".et": (("ole", "xlsx"), "application/wps-office.et"),
    ".dps": (("ole", "pptx"), "application/wps-office.dps"),
    ".jpg": (("jpeg",), "image/jpeg"),
    ".jpeg": (("jpeg",), "image/jpeg"),
    ".png": (("png",), "image/png"),
}
ALLOWED_DISPLAY = "PDF、OFD、Word（doc、docx）、Excel（xls、xlsx）、WPS（wps、et、dps）、JPG、PNG"
KIND_NAMES = {
    "pdf": "PDF",
    "ofd": "OFD",
    "ole": "Word、Excel 或 WPS",
    "docx": "Word",
    "xlsx": "Excel",
    "pptx": "演示文稿",
    "jpeg": "JPG 图片",
    "png": "PNG 图片",
}


def max_size():
    return settings.ATTACHMENT_MAX_BYTES


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
    if actual not in expected:
        # Only a kind an attachment may have is suggested: a plain zip is not.
        seems = f"，看起来是{KIND_NAMES[actual]}文件" if actual in KIND_NAMES else ""
        raise ValidationError(
            f"文件“{name}”的内容与扩展名 {extension} 不符{seems}。请上传真实的 {ALLOWED_DISPLAY} 文件，不要只修改扩展名。"
        )
    return content_type
