from decimal import Decimal

import factory

from accounts.tests.factories import UserFactory
from areas.models import Subdistrict
from indicators.models import (
    Aggregation,
    AreaLevel,
    Indicator,
    Measure,
    PlanLevel,
    Result,
    ResultStatus,
    Target,
)
from strategies.models import PlanNode


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"TEST-IND-{n}")
    name_th = factory.Sequence(lambda n: f"ตัวชี้วัดทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test indicator {n}")
    unit_th = "คน"
    unit_en = "people"
    measure = Measure.COUNT
    aggregation = Aggregation.SUM
    level = PlanLevel.WORKSTREAM_GOAL
    plan_node = factory.LazyFunction(lambda: PlanNode.objects.get(code="WS-ECONOMY-G7"))


def _area_for(level, code):
    from indicators.models import get_area

    return get_area(level, code)


class TargetFactory(factory.django.DjangoModelFactory):
    """Build with area=("province", "50") or leave it for the whole country."""

    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    fiscal_year = 2565
    quarter = None
    value = Decimal("100")
    area_spec = (AreaLevel.COUNTRY, None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        level, code = kwargs.pop("area_spec")
        obj = model_class(*args, **kwargs)
        obj.set_area(level, _area_for(level, code))
        obj.save()
        return obj


class ResultFactory(factory.django.DjangoModelFactory):
    """Build with tambon="500105" (or area_spec=(level, code) for another level)."""

    class Meta:
        model = Result

    indicator = factory.SubFactory(IndicatorFactory)
    fiscal_year = 2565
    quarter = 1
    value = Decimal("1")
    status = ResultStatus.APPROVED
    tambon_code = "500105"
    area_spec = None
    created_by = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("created_by")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        tambon_code = kwargs.pop("tambon_code")
        spec = kwargs.pop("area_spec") or (AreaLevel.TAMBON, tambon_code)
        obj = model_class(*args, **kwargs)
        if spec[0] == AreaLevel.TAMBON:
            obj.set_area(AreaLevel.TAMBON, Subdistrict.objects.get(code=spec[1]))
        else:
            obj.set_area(spec[0], _area_for(*spec))
        obj.save()
        return obj
