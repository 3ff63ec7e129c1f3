from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import (
    api_client_user,
    budget_viewer,
    central_staff,
    community_rep,
    provincial_coordinator,
    regional_staff,
)
from areas.models import Province, Region, Subdistrict
from codi_plans.concurrency import EditConflict
from indicators import services
from indicators.models import AreaLevel, Indicator, Measure, Result, ResultStatus, Target
from strategies.models import PlanNode

from .factories import IndicatorFactory, ResultFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def tambon(code="500105"):
    return Subdistrict.objects.get(code=code)


def report(indicator, by, code="500105", quarter=2, value="12", **kwargs):
    return services.create_result(
        indicator=indicator,
        level=AreaLevel.TAMBON,
        area=tambon(code),
        fiscal_year=2565,
        quarter=quarter,
        value=value,
        by=by,
        **kwargs,
    )


@pytest.fixture
def indicator(reference_data):
    return IndicatorFactory()


def test_rep_reports_a_draft_for_own_tambon_and_submits_it(indicator):
    rep = community_rep("500105")
    result = report(indicator, rep, note="  กลุ่มออมทรัพย์ 12 คน ")
    assert result.status == ResultStatus.DRAFT
    assert result.note == "กลุ่มออมทรัพย์ 12 คน"
    assert (result.tambon.code, result.district.code, result.province.code) == ("500105", "5001", "50")
    submitted = services.submit_result(result=result, by=rep, expected_revision=result.revision)
    assert submitted.status == ResultStatus.SUBMITTED and submitted.submitted_at is not None
    assert submitted.history.first().history_user == rep


def test_rep_cannot_report_for_another_tambon(indicator):
    with pytest.raises(PermissionDenied, match="You may not report results for this area"):
        report(indicator, community_rep("500105"), code="500106")


def test_read_only_accounts_cannot_report(indicator):
    for user in (api_client_user(), budget_viewer()):
        with pytest.raises(PermissionDenied, match="You may not report results for this area"):
            report(indicator, user)


def test_second_result_for_the_same_quarter_and_tambon_is_refused(indicator):
    rep = community_rep("500105")
    report(indicator, rep)
    with pytest.raises(ValidationError, match="already has a result"):
        report(indicator, rep, value="3")
    assert Result.objects.count() == 1


def test_values_must_fit_the_measure(reference_data):
    rep = community_rep("500105")
    yes_no = IndicatorFactory(measure=Measure.YES_NO)
    with pytest.raises(ValidationError, match="Enter 1 for yes or 0 for no"):
        report(yes_no, rep, value="2")
    percent = IndicatorFactory(measure=Measure.PERCENT)
    with pytest.raises(ValidationError, match="A percentage lies between"):
        report(percent, rep, value="120")
    count = IndicatorFactory(measure=Measure.COUNT)
    with pytest.raises(ValidationError, match="A count is a whole number"):
        report(count, rep, value="1.5")
    with pytest.raises(ValidationError, match="is not a number"):
        report(count, rep, value="abc")
    with pytest.raises(ValidationError, match="Enter a value"):
        report(count, rep, value=None)
    assert not Result.objects.exists()


def test_result_must_be_at_the_indicators_reporting_level(reference_data):
    indicator = IndicatorFactory(reporting_level=AreaLevel.PROVINCE)
    with pytest.raises(ValidationError, match="reported per"):
        report(indicator, central_staff())


def test_coordinator_approves_and_an_approved_result_is_read_only_for_the_rep(indicator):
    rep, coordinator = community_rep("500105"), provincial_coordinator("50")
    result = report(indicator, rep, submit=True)
    approved = services.approve_result(result=result, by=coordinator, expected_revision=result.revision)
    assert approved.status == ResultStatus.APPROVED and approved.reviewed_by == coordinator
    with pytest.raises(ValidationError, match="A result that is Approved cannot be edited"):
        services.update_result(result=approved, by=rep, expected_revision=approved.revision, value="1")


def test_coordinator_of_another_province_cannot_review(indicator):
    result = report(indicator, community_rep("500105"), submit=True)
    with pytest.raises(PermissionDenied, match="You may not review this result"):
        services.approve_result(result=result, by=provincial_coordinator("57"))
    with pytest.raises(PermissionDenied, match="You may not review this result"):
        services.approve_result(result=result, by=community_rep("500105"))


def test_regional_staff_review_inside_their_region_only(indicator):
    result = report(indicator, community_rep("500105"), submit=True)
    with pytest.raises(PermissionDenied, match="You may not review this result"):
        services.approve_result(result=result, by=regional_staff("northeast"))
    assert services.approve_result(result=result, by=regional_staff("north")).status == ResultStatus.APPROVED


def test_returning_needs_a_reason_and_the_rep_corrects_and_resubmits(indicator):
    rep, coordinator = community_rep("500105"), provincial_coordinator("50")
    result = report(indicator, rep, submit=True)
    with pytest.raises(ValidationError, match="Say why the result is returned"):
        services.return_result(result=result, by=coordinator, reason="  ")
    returned = services.return_result(result=result, by=coordinator, reason="แนบหลักฐานด้วย")
    assert returned.status == ResultStatus.RETURNED and returned.status_reason == "แนบหลักฐานด้วย"
    corrected = services.update_result(result=returned, by=rep, expected_revision=returned.revision, value="15")
    resubmitted = services.submit_result(result=corrected, by=rep)
    assert resubmitted.status == ResultStatus.SUBMITTED and resubmitted.value == Decimal("15")


def test_only_submitted_results_are_approved(indicator):
    result = report(indicator, community_rep("500105"))
    with pytest.raises(ValidationError, match="Only a submitted result"):
        services.approve_result(result=result, by=central_staff())


def test_changing_an_approved_result_needs_a_reason_and_keeps_the_old_value_in_history(indicator):
    coordinator = provincial_coordinator("50")
    result = services.approve_result(result=report(indicator, community_rep("500105"), submit=True), by=coordinator)
    with pytest.raises(ValidationError, match="Say why the approved result changes") as error:
        services.change_approved_result(result=result, by=coordinator, expected_revision=result.revision, reason="")
    assert "reason" in error.value.message_dict
    changed = services.change_approved_result(
        result=result, by=coordinator, expected_revision=result.revision, reason="นับซ้ำ", value="10"
    )
    assert changed.status == ResultStatus.APPROVED and changed.value == Decimal("10")
    latest, before = changed.history.all()[:2]
    assert latest.history_user == coordinator and before.value == Decimal("12")
    # The correction is a typed move, approved → approved, with its reason kept as data.
    moves = [(m.from_status, m.to_status, m.by, m.comment) for m in changed.transitions.order_by("at", "id")]
    assert moves == [
        ("draft", "submitted", changed.created_by, ""),
        ("submitted", "approved", coordinator, ""),
        ("approved", "approved", coordinator, "นับซ้ำ"),
    ]


def test_withdrawing_an_approved_result_needs_a_reason_and_lets_the_area_correct_it(indicator):
    rep, coordinator = community_rep("500105"), provincial_coordinator("50")
    result = services.approve_result(result=report(indicator, rep, submit=True), by=coordinator)
    with pytest.raises(ValidationError, match="Say why the approved result is withdrawn"):
        services.withdraw_result(result=result, by=coordinator, reason="")
    withdrawn = services.withdraw_result(result=result, by=coordinator, reason="หลักฐานไม่ตรง")
    assert withdrawn.status == ResultStatus.WITHDRAWN and withdrawn.status_reason == "หลักฐานไม่ตรง"
    assert services.update_result(result=withdrawn, by=rep, expected_revision=withdrawn.revision, value="11")


def test_stale_revision_is_a_conflict_that_says_who_changed_it(indicator):
    rep = community_rep("500105")
    result = report(indicator, rep)
    stale = result.revision
    services.update_result(result=result, by=rep, expected_revision=stale, value="13")
    with pytest.raises(EditConflict) as conflict:
        services.update_result(result=result, by=rep, expected_revision=stale, value="14")
    assert conflict.value.changed_by == rep
    result.refresh_from_db()
    assert result.value == Decimal("13")


def test_evidence_is_checked_by_content_not_name(indicator):
    rep = community_rep("500105", "500106")
    good = SimpleUploadedFile("หลักฐาน.pdf", PDF, content_type="application/pdf")
    result = report(indicator, rep, evidence=good)
    assert result.evidence.name.endswith(".pdf")
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError, match="PDF, PNG, JPEG or WebP"):
        report(indicator, rep, code="500106", evidence=fake)
    renamed = SimpleUploadedFile("evil.html", PDF, content_type="application/pdf")
    with pytest.raises(ValidationError, match="name does not match"):
        services.update_result(result=result, by=rep, expected_revision=result.revision, evidence=renamed)
    result.evidence.delete(save=False)


def test_evidence_larger_than_the_limit_is_refused(indicator, settings):
    settings.UPLOAD_EVIDENCE_MAX_BYTES = 100
    big = SimpleUploadedFile("big.pdf", PDF + b" " * 200, content_type="application/pdf")
    with pytest.raises(ValidationError, match="larger than"):
        report(indicator, community_rep("500105"), evidence=big)


def test_setting_a_target_then_changing_it_needs_the_revision_and_a_reason(indicator):
    staff = central_staff()
    target = services.set_target(
        indicator=indicator, level=AreaLevel.COUNTRY, area=None, fiscal_year=2565, quarter=None, value="100", by=staff
    )
    with pytest.raises(ValidationError, match="revision"):
        services.set_target(
            indicator=indicator,
            level=AreaLevel.COUNTRY,
            area=None,
            fiscal_year=2565,
            quarter=None,
            value="120",
            by=staff,
        )
    with pytest.raises(ValidationError, match="Say why the target changes"):
        services.set_target(
            indicator=indicator,
            level=AreaLevel.COUNTRY,
            area=None,
            fiscal_year=2565,
            quarter=None,
            value="120",
            by=staff,
            expected_revision=target.revision,
        )
    changed = services.set_target(
        indicator=indicator,
        level=AreaLevel.COUNTRY,
        area=None,
        fiscal_year=2565,
        quarter=None,
        value="120",
        by=staff,
        expected_revision=target.revision,
        reason="งบประมาณเพิ่ม",
    )
    assert changed.pk == target.pk and changed.value == Decimal("120")
    assert changed.history.first().history_change_reason == "งบประมาณเพิ่ม"
    assert changed.history.first().history_user == staff
    assert Target.objects.count() == 1


def test_coordinators_set_targets_inside_their_province_only(indicator):
    coordinator = provincial_coordinator("50")
    services.set_target(
        indicator=indicator,
        level=AreaLevel.TAMBON,
        area=tambon("500105"),
        fiscal_year=2565,
        quarter=2,
        value="5",
        by=coordinator,
    )
    for level, area in [
        (AreaLevel.PROVINCE, Province.objects.get(code="57")),
        (AreaLevel.REGION, Region.objects.get(key="north")),
        (AreaLevel.COUNTRY, None),
    ]:
        with pytest.raises(PermissionDenied, match="You may not set targets for this area"):
            services.set_target(
                indicator=indicator, level=level, area=area, fiscal_year=2565, quarter=None, value="5", by=coordinator
            )


def test_removing_a_target_needs_a_reason(indicator):
    staff = central_staff()
    target = services.set_target(
        indicator=indicator, level=AreaLevel.COUNTRY, area=None, fiscal_year=2565, quarter=None, value="1", by=staff
    )
    with pytest.raises(ValidationError, match="Say why the target is removed"):
        services.remove_target(target=target, by=staff, reason="", expected_revision=target.revision)
    services.remove_target(target=target, by=staff, reason="ซ้ำ", expected_revision=target.revision)
    assert not Target.objects.exists()
    assert Target.history.filter(history_type="-").get().history_change_reason == "ซ้ำ"


def test_database_refuses_a_row_whose_area_does_not_match_its_level(indicator):
    from django.db import IntegrityError, transaction

    staff = central_staff()
    # A province-level row that also names a tambon, and a tambon-level row without its province.
    for level, fields in [
        (AreaLevel.PROVINCE, {"province": Province.objects.get(code="50"), "tambon": tambon()}),
        (AreaLevel.TAMBON, {"tambon": tambon()}),
    ]:
        result = Result(
            indicator=indicator, fiscal_year=2565, quarter=1, value=1, level=level, created_by=staff, updated_by=staff
        )
        for name, value in fields.items():
            setattr(result, name, value)
        with pytest.raises(IntegrityError, match="result_area_matches_level"), transaction.atomic():
            result.save()
    ResultFactory(indicator=indicator, tambon_code="500105")
    with pytest.raises(IntegrityError), transaction.atomic():
        ResultFactory(indicator=indicator, tambon_code="500105")


def test_load_indicators_is_idempotent_and_seeds_the_headline_targets(reference_data):
    first = services.load_indicators()
    assert first.created == 12 and first.targets_created == 3
    second = services.load_indicators()
    assert (second.created, second.updated, second.targets_created) == (0, 0, 0)
    assert second.unchanged == 12
    headline = {
        t.indicator.plan_node.code: (t.value, t.fiscal_year)
        for t in Target.objects.filter(level=AreaLevel.COUNTRY).select_related("indicator__plan_node")
    }
    assert headline == {
        "WS-ECONOMY": (Decimal("3500"), 2565),
        "WS-WELFARE": (Decimal("6000"), 2565),
        "CODI-FY2563-P3": (Decimal("100"), 2563),
    }
    for node_code, (value, year) in headline.items():
        node = PlanNode.objects.get(code=node_code)
        assert (node.target_value, node.target_year_be) == (value, year)  # same figures as the plan tree


def test_load_indicators_update_restores_the_files_text(reference_data):
    services.load_indicators()
    Indicator.objects.filter(code="ECON-NEW-TAMBONS").update(name_en="edited")
    assert services.load_indicators().unchanged == 12
    assert services.load_indicators(update=True).updated == 1
    assert Indicator.objects.get(code="ECON-NEW-TAMBONS").name_en != "edited"
