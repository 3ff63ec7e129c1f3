from django.apps import AppConfig


class CodiPlansConfig(AppConfig):
    name = "codi_plans"
    verbose_name = "CODI Plans"

    def ready(self):
        # The apps' URL patterns use these converters; they must exist before any urls.py is imported.
        from django.urls import register_converter

        from .converters import CONVERTERS

        for name, converter in CONVERTERS.items():
            register_converter(converter, name)

        # The admin has registered its models by now (django.contrib.admin comes first in INSTALLED_APPS).
        from django.contrib import admin

        from .admin import use_thai_dates_in_the_admin

        use_thai_dates_in_the_admin(admin.site)
