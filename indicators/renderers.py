"""CSV for REST clients: ?format=csv or Accept: text/csv. A few lines instead of a dependency.

Text that a spreadsheet could run as a formula is neutralised and the file starts with a UTF-8 byte-order mark
(codi_plans.spreadsheets), so it opens safely, with Thai intact, in Excel.
"""

from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer

from codi_plans.spreadsheets import write_csv


def _flatten(row: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = ";".join(str(v) for v in value)
        else:
            flat[name] = "" if value is None else value
    return flat


class CSVRenderer(BaseRenderer):
    """Render a list (or a page's `results`) as CSV with one header row; nested objects become dotted columns."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, dict) and "rows" in data:
            rows = data["rows"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        rows = [_flatten(r) for r in rows]
        header = list(rows[0]) if rows else self._empty_header(renderer_context)
        return write_csv(header, rows)

    @staticmethod
    def _empty_header(renderer_context) -> list[str]:
        view = (renderer_context or {}).get("view")
        if view is None:
            return []
        try:
            return list(view.get_serializer_class().Meta.fields)
        except AttributeError:
            return []


class CsvResponses:
    """A viewset mixin: JSON or CSV (?format=csv); errors stay JSON; a CSV page names the next one in a Link header."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(response, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv":
            if response.status_code >= 400:
                # One error body everywhere: errors stay JSON even when CSV was asked for.
                response.accepted_renderer = JSONRenderer()
                response.accepted_media_type = "application/json"
            elif isinstance(response.data, dict) and response.data.get("next"):
                response["Link"] = f'<{response.data["next"]}>; rel="next"'
        return response
