"""The progress workflow: reporting, review four-eyes, frozen approved reports, amendments with a reason, locks."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import budget_viewer, central_staff, community_rep
from codi_plans.concurrency import EditConflict
from codi_plans.thai_calendar import current_fiscal_year

from ..models import IndicatorActual, ProgressSpending, ProgressStatus, ProgressTransition, ProjectProgress
from ..permissions import OWN_WORK_MESSAGE
from ..selectors import current_period
from ..services import (
    ProgressInput,
    add_evidence,
    amend_report,
    approve_report,
    return_report,
    save_report,
    submit_report,
)
from .conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


def _first(plan):
    return plan.projects.get(number=1)


def _input(project, **overrides) -> ProgressInput:
    members, savings = project.indicators.order_by("id")
    values = {
        "activity_status": "under_way",
        "note": "ประชุมสมาชิกแล้ว",
        "actuals": {members.pk: "๑๒๐", savings.pk: "25,000"},
        "spending": {"codi": "๕,๐๐๐.๕๐", "community": "1200", "local_government": ""},
    }
    values.update(overrides)
    return ProgressInput(**values)


def _report(plan, rep, **kwargs):
    year, quarter = current_period()
    project = _first(plan)
    return save_report(project=project, fiscal_year=year, quarter=quarter, data=_input(project), by=rep, **kwargs)


def test_rep_reports_with_thai_digits_and_submits(progress_plan, rep):
    report = _report(progress_plan, rep, submit=True)
    assert report.status == ProgressStatus.SUBMITTED
    assert report.submitted_by == rep
    assert sorted(IndicatorActual.objects.filter(report=report).values_list("value", flat=True)) == [
        Decimal(120),
        Decimal(25000),
    ]
    assert dict(ProgressSpending.objects.filter(report=report).values_list("source", "amount")) == {
        "codi": Decimal("5000.50"),
        "community": Decimal(1200),
    }
    moves = list(ProgressTransition.objects.filter(report=report).values_list("from_status", "to_status", "by"))
    assert moves == [("draft", "submitted", rep.pk)]


def test_rep_of_another_tambon_and_read_only_accounts_cannot_report(progress_plan):
    for user in (community_rep("100101"), budget_viewer()):
        with pytest.raises(PermissionDenied):
            _report(progress_plan, user)
    assert not ProjectProgress.objects.exists()


def test_future_quarter_and_earlier_year_are_refused(progress_plan, rep):
    year, quarter = current_period()
    project = _first(progress_plan)
    periods = [(year - 1, 4)]
    if quarter < 4:
        periods.append((year, quarter + 1))
    for fy, q in periods:
        with pytest.raises(ValidationError) as error:
            save_report(project=project, fiscal_year=fy, quarter=q, data=_input(project), by=rep)
        assert "quarter" in error.value.message_dict
    assert not ProjectProgress.objects.exists()


def test_bad_input_changes_nothing(progress_plan, rep):
    project = _first(progress_plan)
    members, _ = project.indicators.order_by("id")
    year, quarter = current_period()
    bad = _input(project, activity_status="stopped", actuals={members.pk: "-3"}, spending={"codi": "abc"})
    with pytest.raises(ValidationError) as error:
        save_report(project=project, fiscal_year=year, quarter=quarter, data=bad, by=rep)
    assert {"stop_reason", f"actual_{members.pk}", "spent_codi"} <= set(error.value.message_dict)
    assert not ProjectProgress.objects.exists()
    # an evidence file that is not what it says is refused too, and nothing is saved
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        _report(progress_plan, rep, evidence=[fake])
    assert not ProjectProgress.objects.exists() and not IndicatorActual.objects.exists()


def test_an_indicator_of_another_project_is_refused(progress_plan, rep):
    other = progress_plan.projects.get(number=2)
    project = _first(progress_plan)
    foreign = project.indicators.first()
    year, quarter = current_period()
    with pytest.raises(ValidationError) as error:
        save_report(
            project=other, fiscal_year=year, quarter=quarter, data=_input(project, actuals={foreign.pk: 1}), by=rep
        )
    assert "actuals" in error.value.message_dict


def test_coordinator_returns_with_reason_rep_resubmits_coordinator_approves(progress_plan, rep, coordinator):
    report = _report(progress_plan, rep, submit=True)
    with pytest.raises(ValidationError):
        return_report(report=report, by=coordinator, reason="  ")
    report = return_report(report=report, by=coordinator, reason="ขอรูปถ่ายกิจกรรม")
    assert (report.status, report.status_reason) == (ProgressStatus.RETURNED, "ขอรูปถ่ายกิจกรรม")
    photo = SimpleUploadedFile("activity.jpg", jpeg_bytes(), content_type="image/jpeg")
    report = save_report(
        project=report.project,
        fiscal_year=report.fiscal_year,
        quarter=report.quarter,
        data=_input(report.project),
        by=rep,
        expected_revision=report.revision,
        evidence=[photo],
        submit=True,
    )
    assert report.status == ProgressStatus.RESUBMITTED
    assert report.evidence.get().kind == "photo"
    report = approve_report(report=report, by=coordinator, expected_revision=report.revision)
    assert (report.status, report.approved_by) == (ProgressStatus.APPROVED, coordinator)
    assert list(ProgressTransition.objects.filter(report=report).values_list("to_status", "comment")) == [
        ("submitted", ""),
        ("returned", "ขอรูปถ่ายกิจกรรม"),
        ("resubmitted", ""),
        ("approved", ""),
    ]


def test_nobody_approves_what_they_submitted(progress_plan, coordinator):
    report = _report(progress_plan, coordinator, submit=True)
    with pytest.raises(PermissionDenied) as refusal:
        approve_report(report=report, by=coordinator)
    assert str(refusal.value) == str(OWN_WORK_MESSAGE)
    assert ProjectProgress.objects.get().status == ProgressStatus.SUBMITTED


def test_coordinator_of_another_province_cannot_review(progress_plan, rep, other_coordinator):
    report = _report(progress_plan, rep, submit=True)
    with pytest.raises(PermissionDenied):
        approve_report(report=report, by=other_coordinator)
    with pytest.raises(PermissionDenied):
        return_report(report=report, by=other_coordinator, reason="x")


def test_approved_report_is_frozen_and_amended_only_with_a_reason(progress_plan, rep, coordinator):
    report = approve_report(report=_report(progress_plan, rep, submit=True), by=coordinator)
    project = report.project
    with pytest.raises(ValidationError) as error:
        save_report(
            project=project,
            fiscal_year=report.fiscal_year,
            quarter=report.quarter,
            data=_input(project, note="แก้ไข"),
            by=rep,
            expected_revision=report.revision,
        )
    assert error.value.code == "read_only"
    with pytest.raises(PermissionDenied):
        add_evidence(report=report, by=rep, files=[SimpleUploadedFile("a.jpg", jpeg_bytes())])
    with pytest.raises(PermissionDenied):  # the rep is no reviewer
        amend_report(report=report, by=rep, reason="typo", expected_revision=report.revision, data=_input(project))
    with pytest.raises(ValidationError) as error:
        amend_report(report=report, by=coordinator, reason="", expected_revision=report.revision, data=_input(project))
    assert "reason" in error.value.message_dict
    members, savings = project.indicators.order_by("id")
    amended = amend_report(
        report=report,
        by=coordinator,
        reason="ตัวเลขสมาชิกพิมพ์ผิด",
        expected_revision=report.revision,
        data=_input(project, actuals={members.pk: "110", savings.pk: "25000"}),
    )
    assert amended.status == ProgressStatus.APPROVED
    assert IndicatorActual.objects.get(report=report, indicator=members).value == Decimal(110)
    last = ProgressTransition.objects.filter(report=report).last()
    assert (last.from_status, last.to_status, last.comment, last.by) == (
        "approved",
        "approved",
        "ตัวเลขสมาชิกพิมพ์ผิด",
        coordinator,
    )
    # the history keeps the old actual value and the report's versions
    old_values = set(IndicatorActual.history.filter(indicator=members).values_list("value", flat=True))
    assert {Decimal(120), Decimal(110)} <= old_values
    assert amended.history.first().history_change_reason.startswith("amended")


def test_the_reviewer_who_wrote_a_report_cannot_amend_it(progress_plan, rep, coordinator):
    staff = central_staff()
    report = approve_report(report=_report(progress_plan, coordinator, submit=True), by=staff)
    with pytest.raises(PermissionDenied):
        amend_report(
            report=report, by=coordinator, reason="x", expected_revision=report.revision, data=_input(report.project)
        )


def test_stale_revision_is_a_conflict_and_changes_nothing(progress_plan, rep):
    report = _report(progress_plan, rep)
    stale = report.revision
    project = report.project
    report = save_report(
        project=project,
        fiscal_year=report.fiscal_year,
        quarter=report.quarter,
        data=_input(project, note="ฉบับที่สอง"),
        by=rep,
        expected_revision=stale,
    )
    with pytest.raises(EditConflict):
        save_report(
            project=project,
            fiscal_year=report.fiscal_year,
            quarter=report.quarter,
            data=_input(project, note="ฉบับเก่า"),
            by=rep,
            expected_revision=stale,
        )
    assert ProjectProgress.objects.get().note == "ฉบับที่สอง"
    with pytest.raises(EditConflict):
        submit_report(report=report, by=rep, expected_revision=stale)


def test_only_accepted_plans_take_progress(progress_plan, rep):
    progress_plan.status = "draft"
    progress_plan.save()
    with pytest.raises(ValidationError) as error:
        _report(progress_plan, rep)
    assert error.value.code == "plan_not_accepted"


def test_a_pdf_is_evidence_of_kind_pdf(progress_plan, rep):
    report = _report(progress_plan, rep)
    pdf = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    (evidence,) = add_evidence(report=report, by=rep, files=[pdf])
    assert evidence.kind == "pdf"
    assert current_fiscal_year() == report.fiscal_year
