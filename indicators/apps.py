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

        from django.db.models.signals import post_migrate

        from .freshness import install_triggers_after_migrate

        # After every migrate: a migration may have rebuilt a watched table (SQLite drops its triggers then).
        post_migrate.connect(install_triggers_after_migrate, sender=self, dispatch_uid="indicators.figures_triggers")
