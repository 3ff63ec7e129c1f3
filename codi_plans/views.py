from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from strategies.models import NodeKind, PlanNode
from strategies.views import build_tree


def home(request):
    nodes = list(PlanNode.objects.visible_to(request.user).order_by("number", "code"))
    roots = build_tree(nodes)
    workstreams = [n for n in nodes if n.kind == NodeKind.WORKSTREAM]
    for ws in workstreams:
        ws.goal_count = sum(child.kind == NodeKind.GOAL for child in ws.tree_children)
    headline_targets = sorted(
        (n for n in nodes if n.target_value is not None), key=lambda n: (n.kind != NodeKind.WORKSTREAM, n.number or 0)
    )
    return render(
        request,
        "home.html",
        {"roots": roots, "workstreams": workstreams, "headline_targets": headline_targets},
    )


def health(request):
    """Report whether the database, Redis and Celery workers answer; 503 when one that is configured does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        from codi_plans.celery import app

        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {exc.__class__.__name__}"
        try:
            replies = app.control.ping(timeout=1.0) or []
            checks["workers"] = len(replies)
        except Exception as exc:  # noqa: BLE001
            checks["workers"] = f"error: {exc.__class__.__name__}"
    else:
        checks["redis"] = "not configured (tasks run eagerly)"
        checks["workers"] = "eager"
    healthy = checks["database"] == "ok" and not str(checks["redis"]).startswith("error")
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
