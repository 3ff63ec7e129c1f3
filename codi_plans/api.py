"""One error body for the whole API, and Django's own exceptions mapped to 400/403."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .concurrency import EditConflict

security_log = logging.getLogger("codi_plans.security")


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "conflict"
    default_code = "conflict"


def exception_handler(exc, context):
    """Map Django's ValidationError/PermissionDenied and give every error the same shape."""
    if isinstance(exc, EditConflict):
        conflict = Conflict(exc.messages[0])
        response = drf_exception_handler(conflict, context)
        response.data = {
            "error": {
                "status": 409,
                "code": "conflict",
                "message": exc.messages[0],
                "fields": {},
                "current_revision": exc.current_revision,
                "changed_by": str(exc.changed_by) if exc.changed_by else None,
                "changed_at": exc.changed_at.isoformat() if exc.changed_at else None,
                "changes": [{k: str(v) for k, v in c.items()} for c in exc.changes],
            }
        }
        return response
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code in (401, 403):
        request = context.get("request")
        security_log.warning(
            "API authorisation failed: %s %s user=%s status=%s",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            getattr(getattr(request, "user", None), "pk", None),
            response.status_code,
        )
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        message, fields = data["detail"], {}
    else:
        message, fields = exc.default_detail if hasattr(exc, "default_detail") else "", data
    response.data = {
        "error": {
            "status": response.status_code,
            "code": getattr(exc, "default_code", "error"),
            "message": str(message),
            "fields": fields if isinstance(fields, dict) else {"non_field_errors": fields},
        }
    }
    return response
