from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        # strategies sits below indicators and never imports it: a rolled-forward plan asks for its indicators here.
        from strategies.signals import plan_rolled_forward

        from .services import copy_indicators_on_roll_forward

        plan_rolled_forward.connect(copy_indicators_on_roll_forward, dispatch_uid="indicators.copy_on_roll_forward")
