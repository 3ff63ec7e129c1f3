"""One error body for the whole API, and Django's own exceptions mapped to 400/403."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy
from rest_framework import exceptions
from rest_framework import views as drf_views  # a module import: rest_framework.views may still be loading
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .concurrency import BUSY_MESSAGE, EditConflict, is_database_busy

security_log = logging.getLogger("codi_plans.security")
logger = logging.getLogger(__name__)


# Error bodies are in the request's language (Thai unless the client sends Accept-Language: en, see
# ThaiFirstMiddleware). DRF ships Thai for most of its messages; these, which the API can send, have none there, so
# they are listed here for makemessages to put them into the project's catalogue (which wins over DRF's).
DRF_MESSAGES_WITHOUT_THAI = (
    gettext_noop("Invalid input."),
    gettext_noop("Malformed request."),
    gettext_noop("Invalid token header. No credentials provided."),
    gettext_noop("Invalid token header. Token string should not contain spaces."),
    gettext_noop("Invalid token header. Token string should not contain invalid characters."),
    gettext_noop("Request was throttled."),
    ngettext_lazy("Expected available in {wait} second.", "Expected available in {wait} seconds.", "wait"),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Not a valid string."),
    gettext_noop("Datetime value out of range."),
    gettext_noop("This selection may not be empty."),
    gettext_noop("Surrogate characters are not allowed: U+{code_point:X}."),
)


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = _("Someone else saved in between.")
    default_code = "conflict"


class DatabaseBusy(Conflict):
    """A save gave up waiting for another save's database lock; nothing was saved and it may be sent again."""

    default_code = "busy"


def require(allowed: bool, message) -> None:
    """Refuse (403) before the body is read, with the permission rule's own answer; the service checks it again."""
    if not allowed:
        raise PermissionDenied(message)


class ReadOnlyRolesMayNotWrite(BasePermission):
    """Budget Bureau viewers and API clients read; they never write (checked before any input is read)."""

    message = _("Your role may read but not change anything.")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or not getattr(request.user, "is_read_only", True)


def exception_handler(exc, context):
    """Map Django's ValidationError/PermissionDenied and give every error the same shape."""
    if is_database_busy(exc):
        # Another save held the database longer than the lock timeout: nothing was saved, the client may retry.
        logger.warning("API request gave up waiting for the database lock: %s", exc)
        exc = DatabaseBusy(str(BUSY_MESSAGE))
    if isinstance(exc, EditConflict):
        conflict = Conflict(exc.messages[0])
        response = drf_views.exception_handler(conflict, context)
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
    elif isinstance(exc, Http404):
        # Http404's own text ("No TambonPlan matches the given query.") is for developers and English only.
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_views.exception_handler(exc, context)
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


# The responses every operation can give, documented once for the whole schema (drf-spectacular
# postprocessing hook, see SPECTACULAR_SETTINGS): the exception handler above gives them all one body.
ERROR_BODY_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {}},
            },
            "required": ["status", "code", "message", "fields"],
        }
    },
    "required": ["error"],
}
THROTTLED_PREFIXES = ("/api/v1/indicators/", "/api/v1/targets/", "/api/v1/results/")


def document_error_responses(result, generator, request, public):
    """Add the error responses (400, 401, 403, 404, 409 on writes, 429 where throttled) an operation lacks."""
    from django.utils.translation import gettext as _

    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorBody", ERROR_BODY_SCHEMA)
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    errors = {
        "400": _("Bad input: messages by field; nothing was saved"),
        "401": _("No credentials, or bad ones: send Authorization: Token <key>, or sign in"),
        "403": _("Not allowed for this user, or a read-only role"),
        "404": _("No such record in the user's area, or no such page"),
    }
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            wanted = dict(errors)
            if method != "get":
                wanted["409"] = _("Someone saved in between, or the record is not in a state that allows this")
            if path.startswith(THROTTLED_PREFIXES):
                wanted["429"] = _("Too many requests: try again later")
            responses = operation.setdefault("responses", {})
            for code, description in wanted.items():
                responses.setdefault(code, {"content": body, "description": description})
    return result


def not_found(request, exception=None):
    """Answer a URL that matches no route: the API's JSON error body under /api/, the site's 404 page elsewhere."""
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    from .views import page_not_found

    if not request.path.startswith("/api/"):
        return page_not_found(request, exception)
    body = {"error": {"status": 404, "code": "not_found", "message": _("Not found."), "fields": {}}}
    return JsonResponse(body, status=404)
