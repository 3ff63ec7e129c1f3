import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.tests.factories import (
    api_client_user,
    budget_viewer,
    central_staff,
    community_rep,
    provincial_coordinator,
)
from indicators import services
from indicators.models import Result, ResultStatus, Target

from .factories import IndicatorFactory, ResultFactory, TargetFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def seeded(reference_data):
    services.load_indicators()
    from indicators.models import Indicator

    indicator = Indicator.objects.get(code="ECON-TAMBONS-UPGRADED")
    for code in ("500101", "500102", "570101", "400101"):
        ResultFactory(indicator=indicator, tambon_code=code, fiscal_year=2564, quarter=2, value=1)
    return indicator


def login(client, user):
    client.force_login(user)
    return client


def test_dashboard_shows_progress_by_workstream_and_by_region(client, seeded):
    login(client, budget_viewer())
    response = client.get(reverse("indicators:dashboard"), {"fy": 2564, "q": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "band-" in html
    regions = response.context["regions"]
    assert regions.total.actual == 4
    assert {r.area.code: r.actual for r in regions.rows if r.actual} == {"north": 3, "northeast": 1}
    assert "Grassroots Economy" in html or "เศรษฐกิจฐานราก" in html


def test_dashboard_needs_a_login(client, seeded):
    response = client.get(reverse("indicators:dashboard"))
    assert response.status_code == 302


def test_drill_down_from_region_to_province_to_tambon_to_its_results(client, seeded):
    login(client, budget_viewer())
    url = reverse("indicators:indicator", args=[seeded.code])
    north = client.get(url, {"fy": 2564, "q": 2, "area": "region:north"})
    assert north.context["data"].total.actual == 3
    chiang_mai = client.get(url, {"fy": 2564, "q": 2, "area": "province:50"})
    districts = {row.area.code: (row.actual, link) for row, link in chiang_mai.context["rows"]}
    assert districts["5001"][0] == 2
    district = client.get(districts["5001"][1])
    tambons = {row.area.code: link for row, link in district.context["rows"]}
    results = client.get(tambons["500101"])
    assert [r.tambon.code for r in results.context["page"]] == ["500101"]
    assert client.get(url, {"area": "province:XX"}).status_code == 404


def test_plan_page_summarises_the_parts_of_a_plan_item(client, seeded):
    login(client, community_rep("500105"))
    response = client.get(reverse("indicators:plan", args=["CODI-AP"]), {"fy": 2565, "q": 4})
    assert response.status_code == 200
    parts = {p.node.code for p in response.context["progress"].children}
    assert {"WS-ECONOMY", "WS-WELFARE"} <= parts


def test_the_form_opened_from_my_work_starts_on_its_tambon_and_quarter(client, seeded):
    login(client, community_rep("500105", "500106"))
    form = client.get(reverse("indicators:result_new"), {"indicator": seeded.code, "area": "500106", "quarter": "3"})
    assert form.context["form"]["area"].value() == "500106"
    assert str(form.context["form"]["quarter"].value()) == "3"


def test_rep_reports_a_result_with_evidence_from_the_form(client, seeded):
    rep = community_rep("500105", "500106")
    login(client, rep)
    form = client.get(reverse("indicators:result_new"), {"indicator": seeded.code})
    assert [c[0] for c in form.context["form"].fields["area"].choices] == ["500105", "500106"]
    response = client.post(
        reverse("indicators:result_new"),
        {
            "indicator": seeded.code,
            "area": "500105",
            "fiscal_year": 2565,
            "quarter": 2,
            "value": "1",
            "note": "กลุ่มแปรรูปข้าว",
            "evidence": SimpleUploadedFile("evidence.pdf", PDF),
            "action": "submit",
        },
    )
    result = Result.objects.get(tambon__code="500105")
    assert response.status_code == 302 and result.status == ResultStatus.SUBMITTED
    download = client.get(reverse("indicators:evidence", args=[result.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    other = login(client.__class__(), community_rep("400101"))
    assert other.get(reverse("indicators:evidence", args=[result.pk])).status_code == 404
    assert other.get(reverse("indicators:result", args=[result.pk])).status_code == 404


def test_form_refuses_a_tambon_outside_the_reps_area(client, seeded):
    login(client, community_rep("500105"))
    response = client.post(
        reverse("indicators:result_new"),
        {"indicator": seeded.code, "area": "500106", "fiscal_year": 2565, "quarter": 2, "value": "1"},
    )
    assert response.status_code == 200 and not Result.objects.filter(tambon__code="500106").exists()


def test_coordinator_approves_from_the_queue_and_returns_with_a_reason(client, seeded):
    rep = community_rep("500105", "500106")
    first = services.create_result(
        indicator=seeded,
        level="tambon",
        area=rep.tambons.get(code="500105"),
        fiscal_year=2565,
        quarter=1,
        value=1,
        submit=True,
        by=rep,
    )
    second = services.create_result(
        indicator=seeded,
        level="tambon",
        area=rep.tambons.get(code="500106"),
        fiscal_year=2565,
        quarter=1,
        value=1,
        submit=True,
        by=rep,
    )
    login(client, provincial_coordinator("50"))
    queue = client.get(reverse("indicators:queue"))
    assert {r.pk for r in queue.context["pending"]} == {first.pk, second.pk}
    client.post(reverse("indicators:queue_approve"), {"result": [first.pk]})
    first.refresh_from_db()
    assert first.status == ResultStatus.APPROVED
    client.post(reverse("indicators:result_move", args=[second.pk, "return"]), {"reason": ""})
    second.refresh_from_db()
    assert second.status == ResultStatus.SUBMITTED
    client.post(reverse("indicators:result_move", args=[second.pk, "return"]), {"reason": "ขาดหลักฐาน"})
    second.refresh_from_db()
    assert second.status == ResultStatus.RETURNED
    login(client, provincial_coordinator("57"))
    assert client.get(reverse("indicators:queue")).context["pending"] == []


def test_upload_page_checks_then_saves(client, seeded):
    login(client, provincial_coordinator("50"))
    template = client.get(reverse("indicators:upload_template"), {"indicator": seeded.code, "fy": 2565, "q": 3})
    workbook = load_workbook(io.BytesIO(template.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("indicator_code", "area_code", "fiscal_year", "quarter", "value")
    assert len(rows) - 1 == provincial_coordinator("50").province.subdistricts.count()

    def upload(action, value):
        book = Workbook()
        book.active.append(["indicator_code", "area_code", "fiscal_year", "quarter", "value"])
        book.active.append([seeded.code, "500105", 2565, 3, value])
        buffer = io.BytesIO()
        book.save(buffer)
        return client.post(
            reverse("indicators:upload"),
            {"file": SimpleUploadedFile("r.xlsx", buffer.getvalue()), "action": action, "submit_for_review": "on"},
        )

    bad = upload("save", 7)
    assert [(e.row, e.column) for e in bad.context["report"].errors] == [(2, "value")]
    checked = upload("check", 1)
    assert checked.context["report"].ok and not Result.objects.filter(quarter=3).exists()
    saved = upload("save", 1)
    assert saved.status_code == 302 and Result.objects.filter(quarter=3).count() == 1


def test_upload_refuses_a_bad_file_with_a_message(client, seeded):
    login(client, provincial_coordinator("50"))
    response = client.post(
        reverse("indicators:upload"), {"file": SimpleUploadedFile("r.xlsx", b"not a zip"), "action": "check"}
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_api_client_accounts_cannot_open_the_entry_pages(client, seeded):
    login(client, api_client_user())
    assert client.get(reverse("indicators:upload")).status_code == 403
    assert client.get(reverse("indicators:result_new"), {"indicator": seeded.code}).status_code == 403


def test_staff_change_a_target_with_a_reason_on_the_targets_page(client, seeded):
    login(client, central_staff())
    target = Target.objects.get(indicator=seeded)
    url = reverse("indicators:targets", args=[seeded.code])
    data = {
        "area_level": "country",
        "area_code": "",
        "fiscal_year": 2565,
        "quarter": "",
        "value": "3600",
        "revision": target.revision,
    }
    missing_reason = client.post(url, data)
    assert missing_reason.status_code == 200
    target.refresh_from_db()
    assert target.value == 3500
    client.post(url, {**data, "reason": "board decision"})
    target.refresh_from_db()
    assert target.value == 3600 and target.history.first().history_change_reason == "board decision"
    login(client, community_rep("500105"))
    assert client.post(url, {**data, "reason": "x"}).status_code == 403


def test_result_page_shows_history_and_the_correction_form_to_reviewers(client, seeded):
    TargetFactory(indicator=seeded, fiscal_year=2564, value=10)
    result = Result.objects.filter(tambon__code="500101").get()
    login(client, provincial_coordinator("50"))
    page = client.get(reverse("indicators:result", args=[result.pk]))
    assert page.context["can_correct"]
    client.post(
        reverse("indicators:result_move", args=[result.pk, "change"]),
        {"value": "0", "note": "", "reason": "not upgraded yet", "revision": result.revision},
    )
    result.refresh_from_db()
    assert result.value == 0
    page = client.get(reverse("indicators:result", args=[result.pk]))
    assert "not upgraded yet" in page.content.decode()


def test_nav_links_to_the_dashboard(client, seeded):
    login(client, community_rep("500105"))
    assert reverse("indicators:dashboard") in client.get("/").content.decode()


def test_indicator_page_for_a_404_code(client, seeded):
    login(client, community_rep("500105"))
    assert client.get(reverse("indicators:indicator", args=["NOPE"])).status_code == 404
    assert IndicatorFactory  # factories stay importable for the other tests


def test_pages_offer_result_actions_only_to_roles_that_may_take_them(client, seeded):
    actions = (reverse("indicators:result_new"), reverse("indicators:upload"), reverse("indicators:queue"))
    login(client, budget_viewer())
    for page in ("indicators:dashboard", "indicators:results"):
        html = client.get(reverse(page)).content.decode()
        assert not any(f'href="{url}"' in html for url in actions)
    for url in actions:
        assert client.get(url).status_code == 403
    login(client, community_rep("500105"))
    html = client.get(reverse("indicators:dashboard")).content.decode()
    assert f'href="{actions[0]}"' in html and f'href="{actions[1]}"' in html
    assert f'href="{actions[2]}"' not in html  # representatives report; they do not approve
    assert client.get(actions[2]).status_code == 403
    assert client.post(reverse("indicators:queue_approve"), {"result": [1]}).status_code == 403
    login(client, provincial_coordinator("50"))
    assert all(f'href="{url}"' in client.get(reverse("indicators:dashboard")).content.decode() for url in actions)


def test_a_review_move_is_refused_before_the_reason_is_read(client, seeded):
    rep = community_rep("500105")
    result = services.create_result(
        indicator=seeded,
        level="tambon",
        area=rep.tambons.get(),
        fiscal_year=2565,
        quarter=1,
        value=1,
        submit=True,
        by=rep,
    )
    login(client, rep)
    response = client.post(reverse("indicators:result_move", args=[result.pk, "return"]), {"reason": ""})
    assert response.status_code == 403
    result.refresh_from_db()
    assert result.status == ResultStatus.SUBMITTED
