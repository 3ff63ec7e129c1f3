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
