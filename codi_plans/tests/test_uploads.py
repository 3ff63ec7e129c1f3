"""Upload safety exists once (codi_plans/uploads.py): each check on real crafted files, then every upload endpoint."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from rest_framework.test import APIClient

from accounts.tests.factories import community_rep
from areas.models import Subdistrict
from codi_plans import uploads
from codi_plans.thai_calendar import current_fiscal_year
from indicators.models import Result, ResultStatus
from indicators.tests.factories import IndicatorFactory, ResultFactory
from workstreams import excel
from workstreams import services as plan_services
from workstreams.models import TambonPlan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
HTML = b"<html><script>alert(1)</script></html>"
LAUGHS = b'<!DOCTYPE x [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


@pytest.fixture(autouse=True)
def _english_and_media_in_tmp(settings, tmp_path):
    """Assert the English source messages, and keep any file a test might write out of the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def xlsx_bytes(rows=()) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(content: bytes, change: dict | None = None, add: dict | None = None) -> bytes:
    """Copy a zip, replacing members by a function of their bytes and adding members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member.filename, (change or {}).get(member.filename, lambda d: d)(data))
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def zip_bomb(content: bytes) -> bytes:
    """A real workbook with one extra part of 60 MB of zeros, streamed in (it compresses to about 60 KB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        with target.open("xl/worksheets/sheet9.xml", "w", force_zip64=True) as stream:
            for _ in range(60):
                stream.write(bytes(1024 * 1024))
    return out.getvalue()


def with_dtd(content: bytes, member="xl/worksheets/sheet1.xml") -> bytes:
    return rezip(content, change={member: lambda data: LAUGHS + data})


def codes(error: ValidationError) -> set:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def refused(check, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(*args, **kwargs)
    return caught.value


def thai(check, *args) -> str:
    """The message a page shows (pages speak Thai) when the check refuses these arguments."""
    with translation.override("th"):
        return refused(check, *args).messages[0]


# Each check once, directly ---------------------------------------------------------------------------------------


def test_a_genuine_workbook_passes_and_its_bytes_come_back():
    content = xlsx_bytes([["a", 1]])
    assert uploads.check_xlsx(SimpleUploadedFile("ok.xlsx", content)) == content


def test_a_file_over_the_size_limit_is_refused_by_its_size_and_by_reading(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    content = xlsx_bytes([["x" * 50] for _ in range(200)])
    assert len(content) > 1000
    error = refused(uploads.check_xlsx, SimpleUploadedFile("big.xlsx", content))
    assert codes(error) == {"too_large"} and "larger than" in error.messages[0]
    # A plain file-like object has no size: it is measured by reading, never past the limit.
    assert codes(refused(uploads.read_upload, io.BytesIO(content))) == {"too_large"}
    assert uploads.read_upload(io.BytesIO(b"small")) == b"small"


def test_a_zip_bomb_is_refused_from_the_zip_directory():
    bomb = zip_bomb(xlsx_bytes())
    assert len(bomb) < 1024 * 1024  # small on the wire, 60 MB unpacked
    error = refused(uploads.check_xlsx, SimpleUploadedFile("bomb.xlsx", bomb))
    assert codes(error) == {"zip_bomb"} and "zip bomb" in error.messages[0]


def test_a_part_compressed_too_well_and_too_many_parts_are_zip_bombs(settings):
    dense = rezip(xlsx_bytes(), add={"xl/media/image1.png": bytes(4 * 1024 * 1024)})  # 4 MB, ratio ~1000
    assert codes(refused(uploads.check_xlsx, SimpleUploadedFile("dense.xlsx", dense))) == {"zip_bomb"}
    settings.UPLOAD_MAX_ZIP_MEMBERS = 20
    many = rezip(xlsx_bytes(), add={f"xl/extra/{n}.xml": b"<x/>" for n in range(20)})
    assert codes(refused(uploads.check_xlsx, SimpleUploadedFile("many.xlsx", many))) == {"zip_bomb"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le"])
def test_a_workbook_whose_sheet_declares_a_dtd_or_entities_is_refused(encoding):
    content = rezip(
        xlsx_bytes([["a"]]),
        change={"xl/worksheets/sheet1.xml": lambda data: LAUGHS.decode().encode(encoding) + data},
    )
    error = refused(uploads.check_xlsx, SimpleUploadedFile("laughs.xlsx", content))
    assert codes(error) == {"not_xlsx"} and "DTD" in error.messages[0]


def test_a_dtd_in_any_part_is_refused_even_one_not_named_xml():
    content = rezip(xlsx_bytes(), add={"xl/worksheets/sheet2.bin": b'<!ENTITY x SYSTEM "file:///etc/passwd">'})
    assert "DTD" in refused(uploads.check_xlsx, SimpleUploadedFile("xxe.xlsx", content)).messages[0]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"indicator_code,area_code\n1,2\n", "not an Excel workbook"),  # a CSV renamed .xlsx
        (b"%PDF-1.4 not a workbook", "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Excel 97–2003"),  # an old .xls or an encrypted .xlsx
        (rezip(xlsx_bytes(), change={}, add={})[:-30], "not an Excel workbook"),  # a truncated zip
    ],
    ids=["csv-renamed", "pdf-renamed", "old-xls", "truncated"],
)
def test_a_file_that_is_not_really_a_workbook_is_refused(data, words):
    error = refused(uploads.check_xlsx, SimpleUploadedFile("renamed.xlsx", data))
    assert codes(error) == {"not_xlsx"} and words in error.messages[0]


def test_a_zip_without_the_parts_of_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "สวัสดี")
    assert codes(refused(uploads.check_xlsx, SimpleUploadedFile("hello.xlsx", out.getvalue()))) == {"not_xlsx"}


def test_a_spreadsheet_is_recognised_by_its_name_ending_and_anything_else_refused():
    assert uploads.spreadsheet_kind(SimpleUploadedFile("R.CSV", b"")) == "csv"
    assert uploads.spreadsheet_kind(SimpleUploadedFile("r.xlsx", b"")) == "xlsx"
    error = refused(uploads.spreadsheet_kind, SimpleUploadedFile("r.txt", b"a,b"), field="file")
    assert set(error.message_dict) == {"file"} and codes(error) == {"wrong_type"}


@pytest.mark.parametrize(
    "data",
    ["รหัส,ค่า\n500105,1\n".encode(), "\ufeffรหัส,ค่า\n".encode(), "รหัส,ค่า\n".encode("cp874")],
    ids=["utf-8", "utf-8-bom", "cp874"],
)
def test_csv_text_in_utf8_with_or_without_bom_or_thai_windows_is_read(data):
    assert uploads.read_csv_text(SimpleUploadedFile("r.csv", data)).startswith("รหัส,ค่า\n")


@pytest.mark.parametrize(
    ("data", "code"),
    [(xlsx_bytes(), "not_csv"), (b"a,b\n\x00\x01", "not_text"), (b"a,b\n\xdb\xfc\xff", "not_text")],
    ids=["workbook-named-csv", "nul-bytes", "not-utf8-or-cp874"],
)
def test_a_csv_that_is_not_text_is_refused(data, code):
    assert codes(refused(uploads.read_csv_text, SimpleUploadedFile("r.csv", data))) == {code}


def test_evidence_is_typed_by_its_first_bytes_and_its_name_must_agree(settings):
    assert uploads.evidence_content_type(SimpleUploadedFile("a.pdf", PDF)) == "application/pdf"
    assert uploads.evidence_content_type(SimpleUploadedFile("a.png", PNG)) == "image/png"
    for name, data, code in [
        ("photo.pdf", PNG, "name_mismatch"),
        ("report.pdf", HTML, "wrong_type"),
        ("empty.pdf", b"", "empty"),
    ]:
        error = refused(uploads.evidence_content_type, SimpleUploadedFile(name, data))
        assert set(error.message_dict) == {"evidence"} and codes(error) == {code}, name
    settings.UPLOAD_EVIDENCE_MAX_BYTES = 100
    big = refused(uploads.evidence_content_type, SimpleUploadedFile("big.pdf", PDF + b" " * 200))
    assert codes(big) == {"too_large"}


# Every upload endpoint refuses a hostile file and saves nothing --------------------------------------------------


@pytest.fixture
def rep(reference_data):
    return community_rep("500105")


@pytest.fixture
def indicator(reference_data):
    return IndicatorFactory(code="UPLOAD-TEST")


def signed_in(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_the_tambon_plan_upload_refuses_a_workbook_with_entities_and_keeps_nothing(rep):
    plan = plan_services.create_tambon_plan(
        tambon=Subdistrict.objects.get(code="500105"), period_start_be=2563, period_end_be=2565, by=rep
    )
    client = signed_in(rep)
    hostile = with_dtd(excel.export_plan(plan), member="xl/workbook.xml")
    response = client.post(
        reverse("workstreams:import", args=[plan.pk]),
        {"step": "check", "file": SimpleUploadedFile("plan.xlsx", hostile)},
    )
    assert response.status_code == 200 and response.context["file_errors"] == [
        thai(uploads.check_xlsx, SimpleUploadedFile("plan.xlsx", hostile))
    ]
    assert not any(key.startswith("workstreams-upload") for key in client.session.keys())
    confirmed = client.post(reverse("workstreams:import", args=[plan.pk]), {"step": "confirm"})
    assert confirmed.status_code == 302  # nothing was kept to confirm
    assert TambonPlan.objects.get(pk=plan.pk).revision == plan.revision


def test_the_results_upload_refuses_a_zip_bomb_and_saves_nothing(indicator, rep):
    bomb = zip_bomb(xlsx_bytes([["indicator_code", "area_code", "fiscal_year", "quarter", "value"]]))
    response = signed_in(rep).post(
        reverse("indicators:upload"),
        {"file": SimpleUploadedFile("results.xlsx", bomb), "action": "save", "submit_for_review": "on"},
    )
    expected = thai(uploads.check_xlsx, SimpleUploadedFile("results.xlsx", bomb))
    assert response.status_code == 200 and response.context["form"].errors["file"] == [expected]
    assert not Result.objects.exists()


def test_the_results_upload_refuses_a_workbook_named_csv_and_saves_nothing(indicator, rep):
    renamed = xlsx_bytes([["indicator_code", "area_code", "fiscal_year", "quarter", "value"]])
    response = signed_in(rep).post(
        reverse("indicators:upload"), {"file": SimpleUploadedFile("results.csv", renamed), "action": "save"}
    )
    expected = thai(uploads.read_csv_text, SimpleUploadedFile("results.csv", renamed))
    assert response.status_code == 200 and response.context["form"].errors["file"] == [expected]
    assert not Result.objects.exists()


def result_form(indicator, evidence):
    return {
        "indicator": indicator.code,
        "area": "500105",
        "fiscal_year": current_fiscal_year(),  # the entry form offers this year (and years with data)
        "quarter": 1,
        "value": "1",
        "evidence": evidence,
        "action": "save",
    }


def test_the_result_form_refuses_html_named_pdf_as_evidence_and_saves_nothing(indicator, rep):
    hostile = SimpleUploadedFile("evidence.pdf", HTML, content_type="application/pdf")
    response = signed_in(rep).post(reverse("indicators:result_new"), result_form(indicator, hostile))
    expected = thai(uploads.evidence_content_type, SimpleUploadedFile("evidence.pdf", HTML))
    assert response.status_code == 200 and response.context["form"].errors["evidence"] == [expected]
    assert not Result.objects.exists()


def test_the_result_edit_form_refuses_hostile_evidence_and_keeps_the_result(indicator, rep):
    result = ResultFactory(indicator=indicator, status=ResultStatus.DRAFT, quarter=2, created_by=rep)
    response = signed_in(rep).post(
        reverse("indicators:result_edit", args=[result.pk]),
        {"revision": result.revision, "value": "2", "evidence": SimpleUploadedFile("photo.png", HTML)},
    )
    expected = thai(uploads.evidence_content_type, SimpleUploadedFile("photo.png", HTML))
    assert response.status_code == 200 and response.context["form"].errors["evidence"] == [expected]
    result.refresh_from_db()
    assert result.value == 1 and not result.evidence


def test_the_results_api_refuses_hostile_evidence_on_create_and_on_change(indicator, rep):
    client = signed_in(rep)
    created = client.post(
        "/api/v1/results/",
        {
            "indicator": indicator.code,
            "area_code": "500105",
            "fiscal_year": 2565,
            "quarter": 3,
            "value": "7",
            "evidence": SimpleUploadedFile("evidence.pdf", HTML),
        },
        format="multipart",
    )
    assert created.status_code == 400 and "evidence" in str(created.json())
    assert not Result.objects.exists()
    result = ResultFactory(indicator=indicator, status=ResultStatus.DRAFT, quarter=2, created_by=rep)
    changed = client.patch(
        f"/api/v1/results/{result.pk}/",
        {"revision": result.revision, "value": "2", "evidence": SimpleUploadedFile("photo.pdf", PNG)},
        format="multipart",
    )
    assert changed.status_code == 400
    result.refresh_from_db()
    assert result.value == 1 and not result.evidence


def _stored(tmp_path, name: str, data: bytes):
    """A FieldFile-like stored file: Django's File over a real file on disk, as FileSystemStorage opens it."""
    from django.core.files import File

    path = tmp_path / name
    path.write_bytes(data)
    return File(path.open("rb"), name=str(path))


@pytest.mark.parametrize(
    ("name", "data", "attach_only_pdf", "content_type", "attached"),
    [
        ("e.pdf", PDF, False, "application/pdf", True),
        ("e.png", PNG, False, "image/png", True),
        ("e.pdf", PDF, True, "application/pdf", True),
        ("e.png", PNG, True, "image/png", False),
        ("e.pdf", HTML, True, "application/octet-stream", False),
    ],
)
def test_evidence_is_served_with_the_type_its_bytes_show(tmp_path, name, data, attach_only_pdf, content_type, attached):
    response = uploads.evidence_response(_stored(tmp_path, name, data), attach_only_pdf=attach_only_pdf)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment" if attached else "inline")
    assert f'filename="{name}"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == data


def test_evidence_gone_from_storage_is_a_404():
    from django.db.models.fields.files import FieldFile
    from django.http import Http404

    from indicators.models import Result

    missing = FieldFile(Result(), Result._meta.get_field("evidence"), "evidence/none/gone.pdf")
    with pytest.raises(Http404):
        uploads.evidence_response(missing)
