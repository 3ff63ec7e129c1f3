import pytest
from django.core.exceptions import ValidationError

from indicators.models import Aggregation, AreaLevel, Measure, PlanLevel, get_area
from strategies.models import PlanNode

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_indicator_level_must_match_its_plan_item(reference_data):
    indicator = IndicatorFactory.build(
        level=PlanLevel.NATIONAL_TARGET, plan_node=PlanNode.objects.get(code="WS-ECONOMY")
    )
    with pytest.raises(ValidationError, match="A National target indicator cannot belong to") as error:
        indicator.full_clean()
    assert "plan_node" in error.value.message_dict
    IndicatorFactory.build(level=PlanLevel.NATIONAL_TARGET, plan_node=PlanNode.objects.get(code="NS-4-I4")).full_clean()


def test_counting_areas_needs_a_threshold_and_narratives_do_not_add_up(reference_data):
    with pytest.raises(ValidationError, match="reach"):
        IndicatorFactory.build(aggregation=Aggregation.COUNT_MEETING).full_clean()
    with pytest.raises(ValidationError, match="narrative"):
        IndicatorFactory.build(measure=Measure.NARRATIVE, aggregation=Aggregation.SUM).full_clean()
    with pytest.raises(ValidationError, match="baseline"):
        IndicatorFactory.build(baseline_value=0).full_clean()


def test_project_level_indicator_needs_its_project(reference_data):
    with pytest.raises(ValidationError, match="A tambon-project indicator needs its project") as error:
        IndicatorFactory.build(
            level=PlanLevel.PROJECT, plan_node=PlanNode.objects.get(code="WS-ECONOMY-G1-P1")
        ).full_clean()
    assert "project" in error.value.message_dict


def test_areas_are_found_by_level_and_public_code(reference_data):
    assert get_area(AreaLevel.COUNTRY, "") is None
    assert get_area(AreaLevel.REGION, "north").key == "north"
    assert get_area(AreaLevel.TAMBON, "500105").code == "500105"
    with pytest.raises(ValidationError, match="There is no Tambon with code"):
        get_area(AreaLevel.TAMBON, "999999")
    with pytest.raises(ValidationError, match="There is no Province group with code None"):
        get_area(AreaLevel.PROVINCE_GROUP, "north")
