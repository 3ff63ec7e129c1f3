"""What serves each plan item (tambon projects, budgets, progress) and which plan items nothing serves."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "coverage"
    verbose_name = _("Coverage")

    def ready(self):
        # strategies sits below coverage and cannot import it: the plan item's page shows our summary through
        # strategies.panels, filled in here.
        from strategies.panels import register_node_panel

        from .views import node_panel

        register_node_panel("coverage", node_panel)
