"""The checks every uploaded file gets before anything reads it: size, type by content, zip bombs and XML DTDs.

Every upload in the product goes through here: tambon-plan workbooks, indicator results (.xlsx or .csv) and
result evidence. A file's type is decided by its first bytes, never by the browser's content type; a workbook
(a zip) is measured from its directory before it is inflated, and its parts are refused when they declare a
DTD, so no entity trick (XXE, "billion laughs") ever reaches an XML parser. The limits are settings
(``UPLOAD_*``). Each check raises ``ValidationError`` with a translated message and a code; with ``field`` the
error is keyed by that form field.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# Old Excel 97–2003 files and password-protected (encrypted) workbooks are OLE compound documents.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A ratio is only suspicious in a part large enough to matter: small XML parts of repeated cells compress well.
RATIO_CHECK_MIN_BYTES = MB
# Spreadsheet parts never carry a DTD; these are its markers in UTF-8 and in both UTF-16 byte orders.
DTD_MARKERS = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
DTD_OVERLAP = max(len(m) for m in DTD_MARKERS)

# (content type, allowed file name endings, magic test)
EVIDENCE_TYPES = [
    ("application/pdf", (".pdf",), lambda head: head.startswith(b"%PDF-")),
    ("image/png", (".png",), lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", (".jpg", ".jpeg"), lambda head: head.startswith(b"\xff\xd8\xff")),
    ("image/webp", (".webp",), lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
]
CSV_ENCODINGS = ("utf-8-sig", "cp874")  # UTF-8 with or without a byte-order mark, then Thai Windows (TIS-620)


def refusal(message: str, code: str, field: str | None = None) -> ValidationError:
    """Return the ValidationError for a refused upload, keyed by the form field when there is one."""
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


# Size ---------------------------------------------------------------------------------------------


def too_large(limit: int, field: str | None = None) -> ValidationError:
    """Return the error for a file above the limit."""
    return refusal(_("The file is larger than %(mb)s MB.") % {"mb": limit // MB}, "too_large", field)


def check_size(upload, *, limit: int | None = None, field: str | None = None) -> None:
    """Refuse an upload whose declared size is above the limit (settings.UPLOAD_MAX_BYTES unless given)."""
    limit = settings.UPLOAD_MAX_BYTES if limit is None else limit
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_large(limit, field)


def read_upload(upload, *, limit: int | None = None, field: str | None = None) -> bytes:
    """Return an upload's bytes, refusing one above the limit without reading more than the limit allows."""
    limit = settings.UPLOAD_MAX_BYTES if limit is None else limit
    check_size(upload, limit=limit, field=field)
    _rewind(upload)
    data = upload.read(limit + 1)
    _rewind(upload)
    if len(data) > limit:  # a plain file-like object has no size to trust: it is measured by reading
        raise too_large(limit, field)
    return data


def _rewind(upload) -> None:
    if hasattr(upload, "seek"):
        try:
            upload.seek(0)
        except (OSError, ValueError):
            pass


def _head(upload, size: int = 16) -> bytes:
    _rewind(upload)
    head = upload.read(size)
    _rewind(upload)
    return head


# Type by name and content -------------------------------------------------------------------------


def spreadsheet_kind(upload, *, field: str | None = None) -> str:
    """Return "xlsx" or "csv" from the file's name ending; refuse any other name (the content is checked next)."""
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise refusal(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."), "wrong_type", field)


def not_xlsx(field: str | None = None) -> ValidationError:
    """Return the error for a file that is not an .xlsx workbook (also for one that openpyxl cannot read)."""
    return refusal(_("This is not an Excel workbook (.xlsx)."), "not_xlsx", field)


def check_xlsx(upload, *, field: str | None = None) -> bytes:
    """Return the bytes of a small, sane .xlsx upload: a real zip with a workbook, no zip bomb and no DTD."""
    data = read_upload(upload, field=field)
    if data[:8] == OLE_MAGIC:
        raise refusal(
            _(
                "This is an old Excel 97–2003 (.xls) or a password-protected workbook. "
                "Remove the password and save it as an Excel workbook (.xlsx), then upload it again."
            ),
            "not_xlsx",
            field,
        )
    if data[:4] != ZIP_MAGIC:
        raise not_xlsx(field)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise not_xlsx(field) from error
    with archive:
        check_zip_bomb(members, field=field)
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise not_xlsx(field)
        check_no_dtd(archive, field=field)
    return data


def check_zip_bomb(members: list[zipfile.ZipInfo], *, field: str | None = None) -> None:
    """Refuse a zip from its directory alone: too many parts, too much data unpacked, or a part compressed too well."""
    bomb = refusal(
        _(
            "This file is compressed suspiciously well: it unpacks to far more data than a spreadsheet holds "
            "(a “zip bomb”), so it was not opened."
        ),
        "zip_bomb",
        field,
    )
    if len(members) > settings.UPLOAD_MAX_ZIP_MEMBERS:
        raise bomb
    total = 0
    for member in members:
        total += member.file_size
        if total > settings.UPLOAD_MAX_UNCOMPRESSED_BYTES:
            raise bomb
        if member.file_size > RATIO_CHECK_MIN_BYTES and member.file_size > settings.UPLOAD_MAX_COMPRESSION_RATIO * max(
            member.compress_size, 1
        ):
            raise bomb


def check_no_dtd(archive: zipfile.ZipFile, *, field: str | None = None) -> None:
    """Refuse a workbook any part of which declares a DTD or an entity (XXE, "billion laughs")."""
    refused = refusal(
        _(
            "This workbook cannot be read safely: one of its parts declares an XML document type (DTD), "
            "which Excel never writes."
        ),
        "not_xlsx",
        field,
    )
    try:
        for member in archive.infolist():
            # Every part, whatever its name: a relationship may point an XML parser at any of them.
            with archive.open(member) as stream:
                tail = b""
                while chunk := stream.read(256 * 1024):
                    window = tail + chunk
                    if any(marker in window for marker in DTD_MARKERS):
                        raise refused
                    tail = window[-DTD_OVERLAP:]
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        raise not_xlsx(field) from error


def read_csv_text(upload, *, field: str | None = None) -> str:
    """Return a CSV upload's text: a small file of UTF-8 (with or without a BOM) or Thai Windows (cp874) text."""
    data = read_upload(upload, field=field)
    if data[:4] == ZIP_MAGIC:
        raise refusal(_("This file is an Excel workbook: name it .xlsx, not .csv."), "not_csv", field)
    if b"\x00" in data:
        raise refusal(_("This CSV file holds NUL characters: it is not a text file."), "not_text", field)
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise refusal(_("The CSV file is neither UTF-8 nor Thai Windows (TIS-620) text."), "not_text", field)


def evidence_content_type(upload, *, field: str | None = "evidence") -> str:
    """Return the content type of an evidence file (PDF, PNG, JPEG or WebP by its first bytes), or refuse it."""
    limit = settings.UPLOAD_EVIDENCE_MAX_BYTES
    check_size(upload, limit=limit, field=field)
    if upload.size == 0:
        raise refusal(_("The evidence file is empty."), "empty", field)
    name = (upload.name or "").lower()
    head = _head(upload)
    for content_type, endings, looks_like in EVIDENCE_TYPES:
        if looks_like(head):
            if not name.endswith(endings):
                raise refusal(_("The file's name does not match its content."), "name_mismatch", field)
            return content_type
    raise refusal(_("Evidence must be a PDF, PNG, JPEG or WebP file."), "wrong_type", field)


def evidence_response(stored, *, attach_only_pdf: bool = False):
    """Serve a stored evidence file (a FieldFile) with the type its first bytes show (unknown: plain bytes).

    It is downloaded, or with attach_only_pdf a PDF is downloaded and anything else shown in the browser.
    A file gone from storage is a 404.
    """
    from django.http import FileResponse, Http404

    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    try:
        content_type = evidence_content_type(handle)
    except ValidationError:
        content_type = "application/octet-stream"
    handle.seek(0)
    name = stored.name.rsplit("/", 1)[-1]
    attach = content_type == "application/pdf" if attach_only_pdf else True
    return FileResponse(handle, as_attachment=attach, filename=name, content_type=content_type)
