"""Fixtures shared by the progress tests (and by journeys that extend them): an accepted tambon plan in
Chiang Mai (tambon 500105) covering the running fiscal year, two projects, a rep and two coordinators."""

import io
from decimal import Decimal

import pytest
from PIL import Image

from accounts.tests.factories import community_rep, provincial_coordinator
from codi_plans.thai_calendar import current_fiscal_year
from workstreams.models import PlanStatus
from workstreams.tests.factories import ProjectFactory, ProjectIndicatorFactory, TambonPlanFactory


def jpeg_bytes(size=(64, 48), color=(200, 120, 40)) -> bytes:
    """A real small JPEG made with Pillow."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG", quality=80)
    return out.getvalue()


@pytest.fixture
def progress_plan(reference_data):
    """An accepted plan of tambon 500105 whose period covers the running fiscal year, with two projects."""
    year = current_fiscal_year()
    plan = TambonPlanFactory(period_start_be=year - 1, period_end_be=year + 1, status=PlanStatus.ACCEPTED)
    savings = ProjectFactory(plan=plan, number=1, name="กลุ่มออมทรัพย์ชุมชน")
    ProjectFactory(plan=plan, number=2, name="ตลาดชุมชนสีเขียว")
    ProjectIndicatorFactory(project=savings, name="สมาชิกกลุ่มออมทรัพย์", unit="คน", target_value=Decimal(200))
    ProjectIndicatorFactory(project=savings, name="เงินออมสะสม", unit="บาท", target_value=Decimal(50000))
    return plan


@pytest.fixture
def rep(reference_data):
    return community_rep("500105", username="rep")


@pytest.fixture
def coordinator(reference_data):
    return provincial_coordinator("50", username="coordinator")


@pytest.fixture
def other_coordinator(reference_data):
    return provincial_coordinator("10", username="bangkok-coordinator")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Keep evidence files written by tests out of the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
