import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codi_plans.settings")

app = Celery("codi_plans")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
