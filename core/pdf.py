"""A .docx rendered to PDF by LibreOffice, where it is installed.

    if pdf.available():
        data = pdf.docx_to_pdf(docx_bytes)

LibreOffice (``soffice --headless --convert-to pdf``) runs in a scratch
directory with its own throwaway profile, so two conversions at once on one
host never share a lock, and nothing is left behind. It is optional: a host
without it offers the .docx only.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import Refused

TIMEOUT = 120  # seconds; a long report renders in a few


class PdfUnavailable(Refused):
    pass


def soffice():
    """The LibreOffice executable, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available():
    return soffice() is not None


def docx_to_pdf(data, *, timeout=TIMEOUT):
    """The PDF LibreOffice prints from .docx bytes."""
    program = soffice()
    if program is None:
        raise PdfUnavailable("本机未安装 LibreOffice，暂不能生成 PDF，请下载 Word 文档。")
    with tempfile.TemporaryDirectory(prefix="docx-pdf-") as scratch:
        folder = Path(scratch)
        source = folder / "document.docx"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False, cwd=folder)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable("生成 PDF 超时，请稍后重试，或下载 Word 文档。") from None
        target = folder / "document.pdf"
        if not target.exists():
            raise PdfUnavailable("LibreOffice 未能生成 PDF，请下载 Word 文档。")
        return target.read_bytes()
