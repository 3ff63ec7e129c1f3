import pytest
from django.db import IntegrityError, transaction

from accounts.tests.factories import (
    budget_viewer,
    central_staff,
    community_rep,
    provincial_coordinator,
    regional_staff,
)
from areas.models import Province, Region
from reports.models import Report, ReportKind, ReportStatus, audience_key

pytestmark = pytest.mark.django_db


def report(**fields):
    values = {
        "kind": ReportKind.PLAN,
        "scope_level": "country",
        "scope_key": "country",
        "fiscal_year": 2569,
        "audience_key": "national",
        "data_fingerprint": "a" * 64,
        "snapshot": "reports/snapshots/aa/x.json.gz",
    }
    values.update(fields)
    return Report.objects.create(**values)


def province_report(code, audience="national"):
    province = Province.objects.get(code=code)
    return report(scope_level="province", scope_key=f"province:{code}", province=province, audience_key=audience)


def test_the_same_report_on_the_same_data_cannot_be_filed_twice(reference_data):
    report()
    with pytest.raises(IntegrityError), transaction.atomic():
        report()
    report(data_fingerprint="b" * 64)  # other data: another report
    report(language="en")


def test_only_the_quarterly_report_has_a_quarter(reference_data):
    report(kind=ReportKind.PROGRESS, quarter=2)
    with pytest.raises(IntegrityError, match="report_quarter_only_for_quarterly_kinds"), transaction.atomic():
        report(kind=ReportKind.PROGRESS, quarter=None, data_fingerprint="c" * 64)
    with pytest.raises(IntegrityError, match="report_quarter_only_for_quarterly_kinds"), transaction.atomic():
        report(quarter=1, data_fingerprint="d" * 64)


def test_a_scope_names_exactly_its_own_area(reference_data):
    with pytest.raises(IntegrityError, match="report_scope_matches_level"), transaction.atomic():
        report(scope_level="province", scope_key="province:50")
    with pytest.raises(IntegrityError, match="report_scope_matches_level"), transaction.atomic():
        report(region=Region.objects.get(key="north"))


def test_a_finished_report_has_both_files_and_a_failed_one_its_reason(reference_data):
    with pytest.raises(IntegrityError, match="report_done_has_files"), transaction.atomic():
        report(status=ReportStatus.DONE, progress=100)
    with pytest.raises(IntegrityError, match="report_failure_has_reason"), transaction.atomic():
        report(status=ReportStatus.FAILED, data_fingerprint="e" * 64)


def test_audience_keys_name_what_each_role_sees(reference_data):
    assert audience_key(None) == "national"
    assert audience_key(central_staff()) == audience_key(budget_viewer()) == "national"
    north = regional_staff("north")
    assert audience_key(north) == f"region:{north.region_id}"
    rep = community_rep("500106", "500105")
    assert audience_key(rep) == "tambons:" + ",".join(str(i) for i in sorted(rep.tambon_ids))


def test_reports_are_visible_to_national_roles_and_to_whoever_sees_all_they_hold(reference_data):
    national = report()
    chiang_mai = province_report("50")
    lamphun = province_report("51")
    coordinator = provincial_coordinator("50")
    coordinators_own = report(audience_key=audience_key(coordinator), data_fingerprint="f" * 64)
    north = regional_staff("north")

    assert set(Report.objects.visible_to(budget_viewer())) == {national, chiang_mai, lamphun, coordinators_own}
    assert set(Report.objects.visible_to(coordinator)) == {chiang_mai, coordinators_own}
    assert set(Report.objects.visible_to(north)) == {chiang_mai, lamphun}
    assert not Report.objects.visible_to(community_rep("500105")).exists()
