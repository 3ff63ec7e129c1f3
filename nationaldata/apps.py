from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalDataConfig(AppConfig):
    name = "nationaldata"
    verbose_name = _("National data set")
