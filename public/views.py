"""Public pages (no sign-in), open-data downloads and the DCAT catalogue. Thin: reads come from public/selectors.py
and public/datasets.py; caching from public/caching.py."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import catalog, selectors
from .caching import CACHE_SECONDS, page_language, public_page
from .datasets import DATASETS, FORMATS, LICENCE, TYPE_LABELS, csv_chunks, json_chunks

DOWNLOAD_MAX_AGE = 3600


def open_url(name: str, *args, lang: str = "th", year: int | None = None) -> str:
    """A public URL with the page's language and (when chosen) year in its query string."""
    url = reverse(f"public:{name}", args=args)
    params = {k: v for k, v in (("lang", "en" if lang == "en" else None), ("year", year)) if v}
    return f"{url}?{urlencode(params)}" if params else url


def _area_url(level: str, code: str, lang: str, year: int | None) -> str:
    return (
        open_url("country", lang=lang, year=year) if level == "country" else open_url(level, code, lang=lang, year=year)
    )


def _page(request, template: str, context: dict, *, lang: str, explicit_year: int | None) -> HttpResponse:
    """Render a public page without the request's context processors: no user, no session, no CSRF token."""
    path = request.path
    context.update(
        {
            "LANGUAGE_CODE": lang,
            "explicit_year": explicit_year,
            "switch_url": f"{path}?{urlencode({'lang': 'en', **({'year': explicit_year} if explicit_year else {})})}"
            if lang == "th"
            else (f"{path}?{urlencode({'year': explicit_year})}" if explicit_year else path),
            "thai_url": f"{path}?{urlencode({'year': explicit_year})}" if explicit_year else path,
            "english_url": f"{path}?{urlencode({'lang': 'en', **({'year': explicit_year} if explicit_year else {})})}",
            "home_url": open_url("country", lang=lang, year=explicit_year),
            "data_url": open_url("data", lang=lang),
            "licence": LICENCE,
            "path": path,
        }
    )
    return HttpResponse(render_to_string(template, context))


def _breadcrumbs(area: selectors.Area, lang: str, year: int | None) -> list[dict]:
    crumbs = [{"name": _("Thailand"), "url": open_url("country", lang=lang, year=year)}]
    for level, code, name in area.parents:
        crumbs.append({"name": name, "url": _area_url(level, code, lang, year)})
    if area.level != "country":
        crumbs.append({"name": area.name, "url": None})
    else:
        crumbs[-1]["url"] = None
    return crumbs


def _area_page(request, level: str, code: str, *, lang, year, explicit_year):
    area = selectors.find_area(level, code)
    summary = selectors.area_summary(area, year)
    children = selectors.child_rows(area, summary)
    for row in children:
        row["url"] = _area_url(row["level"], row["code"], lang, explicit_year)
        row["by_source_list"] = [row["by_source"][s] for s in selectors.SOURCES]
    total = summary["total"]
    context = {
        "area": area,
        "level": level,
        "year": year,
        "years": selectors.year_choices(),
        "plan_in_force": selectors.plan_in_force_name(year),
        "total": total,
        "sources": [(s, selectors.SOURCE_LABELS[s], total["by_source"][s]) for s in selectors.SOURCES],
        "children": children,
        "workstreams": selectors.workstream_totals(area, year),
        "results": selectors.area_results(area, year),
        "requests": selectors.area_requests(area, year),
        "breadcrumbs": _breadcrumbs(area, lang, explicit_year),
    }
    if level == "tambon":
        plan = selectors.tambon_plan(area, year)
        if plan:
            for project in plan["projects"]:
                project["url"] = open_url("project", project["id"], lang=lang, year=explicit_year)
        context["plan"] = plan
        return _page(request, "public/tambon.html", context, lang=lang, explicit_year=explicit_year)
    return _page(request, "public/area.html", context, lang=lang, explicit_year=explicit_year)


@public_page
def country(request, **page):
    return _area_page(request, "country", "", **page)


@public_page
def region(request, code, **page):
    return _area_page(request, "region", code, **page)


@public_page
def province(request, code, **page):
    return _area_page(request, "province", code, **page)


@public_page
def tambon(request, code, **page):
    return _area_page(request, "tambon", code, **page)


@public_page
def project(request, pk, *, lang, year, explicit_year):
    item = selectors.public_project_detail(pk)
    if item is None:
        raise Http404
    area = selectors.find_area("tambon", item["tambon_code"])
    crumbs = _breadcrumbs(area, lang, explicit_year)
    crumbs[-1]["url"] = _area_url("tambon", area.code, lang, explicit_year)
    crumbs.append({"name": item["name"], "url": None})
    context = {"project": item, "area": area, "breadcrumbs": crumbs, "year": year}
    return _page(request, "public/project.html", context, lang=lang, explicit_year=explicit_year)


# --- open data --------------------------------------------------------------------------------------------------


def _dataset_links(dataset, lang):
    return {
        "page": open_url("dataset", dataset.id, lang=lang),
        "csv": reverse("public:download", args=[dataset.id, "csv"]),
        "json": reverse("public:download", args=[dataset.id, "json"]),
    }


@public_page
def data_index(request, *, lang, year, explicit_year):
    datasets = [{"dataset": d, **_dataset_links(d, lang)} for d in DATASETS.values()]
    context = {
        "datasets": datasets,
        "breadcrumbs": [
            {"name": _("Thailand"), "url": open_url("country", lang=lang)},
            {"name": _("Open data"), "url": None},
        ],
        "catalog_url": reverse("public:catalog"),
        "ckan_url": reverse("public:ckan_package_list"),
        "year": year,
    }
    return _page(request, "public/data_index.html", context, lang=lang, explicit_year=None)


@public_page
def dataset_page(request, dataset_id, *, lang, year, explicit_year):
    dataset = DATASETS.get(dataset_id)
    if dataset is None:
        raise Http404
    english = lang == "en"
    columns = [
        {
            "name": c.name,
            "th": c.th,
            "en": c.en,
            "type": TYPE_LABELS.get(c.type, c.type),
            "unit": c.unit,
            "description": c.en if english else c.th,
        }
        for c in dataset.columns
    ]
    context = {
        "dataset": dataset,
        "columns": columns,
        "links": _dataset_links(dataset, lang),
        "year": year,
        "breadcrumbs": [
            {"name": _("Thailand"), "url": open_url("country", lang=lang)},
            {"name": _("Open data"), "url": open_url("data", lang=lang)},
            {"name": dataset.title, "url": None},
        ],
    }
    return _page(request, "public/dataset.html", context, lang=lang, explicit_year=None)


@require_safe
def download(request, dataset_id, fmt):
    """Stream a dataset as CSV (UTF-8 with BOM, formula-safe) or JSON; ?year=2568 keeps one fiscal year."""
    dataset = DATASETS.get(dataset_id)
    if dataset is None or fmt not in FORMATS:
        raise Http404
    year = selectors.parse_year(request.GET.get("year"))
    if fmt == "csv":
        chunks = csv_chunks(dataset, year)
        content_type = "text/csv; charset=utf-8"
    else:
        meta = {
            "dataset": dataset.id,
            "title": {"th": dataset.title_th, "en": dataset.title_en},
            "fiscal_year": year,
            "licence": LICENCE["url"],
            "attribution": LICENCE["attribution_th"],
            "generated": timezone.now().isoformat(timespec="seconds"),
            "dictionary": request.build_absolute_uri(reverse("public:dataset", args=[dataset.id])),
        }
        chunks = json_chunks(dataset, year, meta)
        content_type = "application/json; charset=utf-8"
    response = StreamingHttpResponse(chunks, content_type=content_type)
    suffix = f"-{year}" if year else ""
    response["Content-Disposition"] = f'attachment; filename="codi-{dataset.id}{suffix}.{fmt}"'
    response["Cache-Control"] = f"public, max-age={DOWNLOAD_MAX_AGE}"
    return response


@public_page
def catalog_jsonld(request, *, lang, year, explicit_year):
    """The DCAT-AP catalogue of the datasets as JSON-LD."""
    response = JsonResponse(catalog.dcat_catalog(request), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = "application/ld+json"
    return response


@public_page
def robots_txt(request, **page):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /api/v1/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('public:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


__all__ = ["CACHE_SECONDS", "page_language"]
