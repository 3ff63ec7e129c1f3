from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpengovConfig(AppConfig):
    name = "opengov"
    verbose_name = _("Open government exports")
