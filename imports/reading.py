"""From an uploaded file (or pasted text) to the plan's text, or a Chinese
message saying why not. Shared by the import_plan command, the upload page
(`plan_kind` only: the web request sniffs, it never unpacks) and the job that
reads an upload in a child process (`imports/sandbox.py`).

The file's bytes decide what it is, not only its name: a .doc renamed .docx
still gets the message about the old Word format.

Every limit is checked before the part it guards is read: the upload's size,
the size a .docx declares it unpacks to, a PDF's page count.
"""

import io
from dataclasses import dataclass

from django.conf import settings

from core.errors import Refused
from core.files import TEXT_PROBE_BYTES, ZIP_MAGIC, UnpackedTooLarge, looks_binary, size_text, sniff

from .parser import PlanProposal, parse_plan

# A plan of 100 pages as .docx is well under 5 MB; pictures in it make it larger.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
SUPPORTED = ".docx、带文字层的 .pdf 或 .txt"


class PlanReadError(Refused):
    """The file cannot be read as a plan. str() is the message for the user."""


# A .docx may unpack to this many times the upload limit: real plans unpack
# to a few times their size.
UNPACKED_FACTOR = 20
# However large the upload limit, a .docx never unpacks past this: python-docx
# reads document.xml whole and lxml builds its tree several times its size.
DEFAULT_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# A plan runs to tens of pages; text extraction of thousands takes minutes.
DEFAULT_MAX_PAGES = 500


def max_bytes():
    return getattr(settings, "PLAN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class Limits:
    """What a plan file may be. Plain values, so that the child process that
    reads an upload (`imports/sandbox.py`) gets them without Django's settings."""

    max_bytes: int
    max_unpacked: int
    max_pages: int

    @classmethod
    def from_settings(cls):
        upload = max_bytes()
        return cls(
            max_bytes=upload,
            max_unpacked=min(
                UNPACKED_FACTOR * upload,
                getattr(settings, "PLAN_IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES),
            ),
            max_pages=getattr(settings, "PLAN_IMPORT_MAX_PAGES", DEFAULT_MAX_PAGES),
        )


def decode_text(data: bytes) -> str:
    if looks_binary(data):
        raise PlanReadError(f"文件不是文本文件，无法识别。请上传 {SUPPORTED} 文件。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanReadError("无法识别文件编码，请另存为 UTF-8 或 GB18030 编码的文本后上传。")


def docx_text(data: bytes) -> str:
    import docx  # python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    except MemoryError:
        # Out of the job's memory cap: the job says so, not "damaged".
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds
        raise PlanReadError("无法打开这个 Word 文件，文件可能已损坏。请在 Word 中重新另存为 .docx 后上传。") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.append("")
        for row in table.rows:
            cells = []
            for cell in row.cells:
                # Merged cells repeat; one copy is enough.
                text = " ".join(cell.text.split())
                if not cells or cells[-1] != text:
                    cells.append(text)
            # "|" survives the parser's space squashing, so the columns stay apart.
            lines.append(" | ".join(cells))
        lines.append("")
    return "\n".join(lines)


def pdf_text(data: bytes, *, max_pages: int = DEFAULT_MAX_PAGES) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:  # noqa: BLE001
                raise PlanReadError("这个 PDF 设置了密码，无法读取。请去掉密码或另存为 .docx 后上传。") from exc
        # Counted before any text is extracted: a few megabytes can hold
        # tens of thousands of pages.
        count = len(reader.pages)
        if count > max_pages:
            raise PlanReadError(
                f"这个 PDF 有 {count} 页，超过 {max_pages} 页的上限，不像一份方案文件。"
                "请只上传方案正文（可另存为 .docx 后上传）。"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanReadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise PlanReadError("无法打开这个 PDF 文件，文件可能已损坏。请另存为 .docx 后上传。") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise PlanReadError(
            "这个 PDF 没有文字层（可能是扫描件或图片），无法识别文字。"
            "请上传 Word（.docx）原文件，或先用文字识别（OCR）软件转成文字后再上传。"
        )
    return text


def plan_kind(name: str, content, *, limits: Limits | None = None) -> str:
    """"pdf", "docx" or "text": what an upload is, told from its name and
    its first bytes (and a zip's directory), never from unpacking it; or
    PlanReadError. `content` is bytes or a seekable file, left at its start."""
    limits = limits or Limits.from_settings()
    stream = io.BytesIO(content) if isinstance(content, (bytes, bytearray, memoryview)) else content
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size > limits.max_bytes:
        raise PlanReadError(f"文件太大（{size_text(size)}），方案文件不能超过 {size_text(limits.max_bytes)}。")
    head = stream.read(TEXT_PROBE_BYTES)
    stream.seek(0)
    if not head.strip():
        raise PlanReadError("文件是空的，没有文字内容。")
    unpacked_too_large = None
    try:
        kind = sniff(stream, max_unpacked=limits.max_unpacked)
    except UnpackedTooLarge as error:
        kind, unpacked_too_large = error.kind, error
    if suffix == ".doc" or kind == "ole":
        raise PlanReadError("这是旧版 Word（.doc）文件，无法直接识别：请在 Word 中另存为 .docx 后上传。")
    if suffix == ".pdf" or kind == "pdf":
        if kind != "pdf":
            raise PlanReadError("文件扩展名是 .pdf，但内容不是 PDF。请检查后重新上传。")
        return "pdf"
    # A damaged zip has no kind but still gets the Word messages.
    if suffix == ".docx" or head.startswith(ZIP_MAGIC):
        if not head.startswith(ZIP_MAGIC):
            raise PlanReadError("文件扩展名是 .docx，但内容不是 Word 文件。请检查后重新上传。")
        if kind != "docx":
            raise PlanReadError(f"文件不是 Word（.docx）文件，无法识别。请上传 {SUPPORTED} 文件。")
        if unpacked_too_large:
            raise PlanReadError(
                f"这个 Word 文件解压后过大（{size_text(unpacked_too_large.unpacked)}），不像一份方案文件。"
                "请检查后重新另存为 .docx 上传。"
            ) from unpacked_too_large
        return "docx"
    if suffix in (".txt", ".text", ""):
        if looks_binary(head):
            raise PlanReadError(f"文件不是文本文件，无法识别。请上传 {SUPPORTED} 文件。")
        return "text"
    raise PlanReadError(f"不支持的文件类型“{suffix}”：请上传 {SUPPORTED} 文件，或直接粘贴方案文字。")


def read_plan_file(name: str, data: bytes, *, limits: Limits | None = None) -> str:
    """The text of an uploaded plan file, or PlanReadError."""
    limits = limits or Limits.from_settings()
    kind = plan_kind(name, data, limits=limits)
    if kind == "pdf":
        return pdf_text(data, max_pages=limits.max_pages)
    if kind == "docx":
        return docx_text(data)
    if not data.strip():
        raise PlanReadError("文件是空的，没有文字内容。")
    return decode_text(data)


def looks_like_a_plan(proposal: PlanProposal) -> bool:
    """A plan has phases or tasks, or at least two of: reporting rules,
    leading group, document number."""
    if proposal.phases or proposal.tasks:
        return True
    found = [bool(proposal.reporting_rules), bool(proposal.leading_group), bool(proposal.document_number)]
    return sum(found) >= 2


def propose(text: str, *, year: int | None = None, limit: int | None = None) -> PlanProposal:
    """Parse `text`; PlanReadError when it is empty or not a plan."""
    limit = limit or max_bytes()
    if not text or not text.strip():
        raise PlanReadError("没有文字内容：请上传方案文件或粘贴方案全文。")
    if len(text.encode("utf-8")) > limit:
        raise PlanReadError(f"文字太长，方案不能超过 {size_text(limit)}。")
    proposal = parse_plan(text, year=year)
    if not looks_like_a_plan(proposal):
        raise PlanReadError(
            "这份文字看起来不是实施方案：没有找到阶段、任务、报送要求、领导小组或文号。"
            "请确认上传的是方案全文。"
        )
    return proposal
