"""What a file is, told by its bytes rather than its name, and how uploads
are named and fingerprinted when they are stored.

Each app keeps its own policy (which kinds it accepts, and its messages);
this module only says what the content is.
"""

import hashlib
import io
import uuid
import zipfile

from .errors import Refused

# Signatures at the very start of a file, tried in order.
MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # the legacy Office and WPS container (.doc, .xls, .wps, .et, .dps)
]
ZIP_MAGIC = b"PK\x03\x04"
# The member that makes a zip a document of each kind: Office Open XML (which
# newer WPS also writes), and OFD (GB/T 33190), whose entry file is OFD.xml at the root.
ZIP_KINDS = [
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
    ("OFD.xml", "ofd"),
]

# Stored content types a page may show itself (a photo's thumbnail): only the
# image kinds sniff() confirms, so the browser never renders unchecked bytes.
INLINE_TYPES = {"image/jpeg", "image/png"}

# How much of a file looks_binary() reads: enough to tell text from binary.
TEXT_PROBE_BYTES = 4096


class UnpackedTooLarge(Refused):
    """A zip whose members add up to more than the caller allows.

    The sizes are those the archive declares, read without unpacking: a few
    kilobytes can declare gigabytes (a zip bomb), and a reader such as
    python-docx would unpack a member whole into memory.
    """

    def __init__(self, *, kind, unpacked, limit):
        super().__init__(f"文件解压后过大（{size_text(unpacked)}），超过 {size_text(limit)} 的上限。请检查后重新上传。")
        self.kind = kind
        self.unpacked = unpacked
        self.limit = limit


def size_text(size):
    """A size in bytes as people read it: "3.2 MB", or whole kilobytes below a megabyte."""
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def sniff(content, *, max_unpacked=None):
    """The kind of file the bytes say it is: "pdf", "png", "jpeg", "ole",
    "docx", "xlsx", "pptx", "ofd", "zip" (any other zip archive), or None.

    `content` is bytes or a seekable file (an upload), left at its start.
    With `max_unpacked`, a zip whose members add up to more bytes is refused
    with UnpackedTooLarge, which carries the kind it would have had.
    """
    stream = io.BytesIO(content) if isinstance(content, (bytes, bytearray, memoryview)) else content
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    if not head.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return None
    finally:
        stream.seek(0)
    kind = next((kind for member, kind in ZIP_KINDS if member in names), "zip")
    if max_unpacked is not None and unpacked > max_unpacked:
        raise UnpackedTooLarge(kind=kind, unpacked=unpacked, limit=max_unpacked)
    return kind


def looks_binary(data: bytes) -> bool:
    """Whether bytes are not text in any encoding a person would type:
    a NUL, or more than a few control characters, near the start."""
    head = data[:TEXT_PROBE_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


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
