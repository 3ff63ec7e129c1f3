"""Checks on uploaded files before anything reads them: evidence attachments and .xlsx workbooks.

The type is decided by the file's first bytes, never by the name or the browser's content type, and an
.xlsx (a zip) is measured before it is opened, so a zip bomb is refused without being inflated.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024
EVIDENCE_MAX_BYTES = getattr(settings, "INDICATOR_EVIDENCE_MAX_BYTES", 10 * MB)
XLSX_MAX_BYTES = getattr(settings, "INDICATOR_XLSX_MAX_BYTES", 5 * MB)
# Inflated size of every member together, and the worst compression ratio of any member.
XLSX_MAX_UNCOMPRESSED_BYTES = getattr(settings, "INDICATOR_XLSX_MAX_UNCOMPRESSED_BYTES", 60 * MB)
XLSX_MAX_RATIO = 150
XLSX_MAX_MEMBERS = 200

# (content type, allowed file name endings, magic test)
EVIDENCE_TYPES = [
    ("application/pdf", (".pdf",), lambda head: head.startswith(b"%PDF-")),
    ("image/png", (".png",), lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", (".jpg", ".jpeg"), lambda head: head.startswith(b"\xff\xd8\xff")),
    ("image/webp", (".webp",), lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
]


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def evidence_content_type(upload) -> str:
    """Return the content type of an evidence file, or raise ValidationError when it is not an allowed one."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {"evidence": _("The evidence file is larger than %(mb)s MB.") % {"mb": EVIDENCE_MAX_BYTES // MB}}
        )
    if upload.size == 0:
        raise ValidationError({"evidence": _("The evidence file is empty.")})
    name = (upload.name or "").lower()
    head = _head(upload)
    for content_type, endings, looks_like in EVIDENCE_TYPES:
        if looks_like(head):
            if not name.endswith(endings):
                raise ValidationError({"evidence": _("The file's name does not match its content.")})
            return content_type
    raise ValidationError({"evidence": _("Evidence must be a PDF, PNG, JPEG or WebP file.")})


CSV_MAX_BYTES = XLSX_MAX_BYTES


def check_upload(upload) -> str:
    """Refuse a results file that is neither a sane .xlsx nor a .csv of sensible size; return "xlsx" or "csv"."""
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".csv"):
        if upload.size > CSV_MAX_BYTES:
            raise ValidationError({"file": _("The file is larger than %(mb)s MB.") % {"mb": CSV_MAX_BYTES // MB}})
        if _head(upload, 4) == b"PK\x03\x04":
            raise ValidationError({"file": _("This file is an Excel workbook: name it .xlsx, not .csv.")})
        return "csv"
    check_xlsx(upload)
    return "xlsx"


def check_xlsx(upload) -> None:
    """Refuse a file that is not a small, sane .xlsx workbook: wrong type, too big, or a zip bomb."""
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(".xlsx"):
        raise ValidationError({"file": _("Upload an Excel workbook (.xlsx) or a CSV file (.csv).")})
    if upload.size > XLSX_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than %(mb)s MB.") % {"mb": XLSX_MAX_BYTES // MB}})
    if _head(upload, 4) != b"PK\x03\x04":
        raise ValidationError({"file": _("This is not an Excel workbook (.xlsx).")})
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if len(members) > XLSX_MAX_MEMBERS:
                raise ValidationError({"file": _("The workbook has too many parts.")})
            total = 0
            for member in members:
                total += member.file_size
                if member.compress_size and member.file_size / member.compress_size > XLSX_MAX_RATIO:
                    raise ValidationError({"file": _("The workbook is compressed suspiciously well; refused.")})
            if total > XLSX_MAX_UNCOMPRESSED_BYTES:
                raise ValidationError({"file": _("The workbook is too large once unpacked.")})
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise ValidationError({"file": _("This is not an Excel workbook (.xlsx).")})
    except zipfile.BadZipFile:
        raise ValidationError({"file": _("This is not an Excel workbook (.xlsx).")}) from None
    finally:
        upload.seek(0)
