"""Write a report Document as an A4 PDF with WeasyPrint, in the style of a Thai government document.

Sarabun is embedded from the pinned fontpkg_sarabun package through file:// URLs, so neither a system
font nor the network is needed; every other URL is refused. Page numbers ("หน้า X / Y") come from CSS
page counters. The same document gives the same bytes. Every drawn line of text carries its own text as
/ActualText, so Thai words are found as typed when the PDF is searched or its text is extracted.
"""

import functools
import inspect
import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import fontpkg_sarabun
from django.template.loader import render_to_string

from codi_plans.thai_calendar import format_baht

from .document import Document, Section
from .wording import word

FONT_DIR = Path(fontpkg_sarabun.__file__).parent / "files"
# WeasyPrint logs every page it lays out at INFO: thousands of lines for a national report.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logger = logging.getLogger(__name__)
FONTS = {400: "Sarabun-Regular.ttf", 700: "Sarabun-Bold.ttf"}


def font_faces() -> str:
    """Return the @font-face rules that embed Sarabun from the installed package."""
    rules = []
    for weight, name in FONTS.items():
        url = (FONT_DIR / name).resolve().as_uri()
        rules.append(f'@font-face {{ font-family: "Sarabun"; src: url("{url}"); font-weight: {weight}; }}')
    return "\n".join(rules)


def _local_fonts_fetcher():
    """Return a URL fetcher that reads the embedded font files and nothing else (no network, no other file)."""
    from weasyprint.urls import URLFetcher

    allowed = {(FONT_DIR / name).resolve().as_uri() for name in FONTS.values()}

    class LocalFontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"report PDFs load no external resources: {url}")
            return super().fetch(url, headers)

    # A missing font must stop the build rather than print boxes.
    return LocalFontsOnly(fail_on_errors=True)


# WeasyPrint writes one ToUnicode entry per glyph: the text of the first cluster the glyph was drawn in.
# Thai shaping reuses glyphs across clusters (SARA AM ำ is drawn as NIKHAHIT + SARA AA, tone marks get
# positioned variants), so once "ำ" has claimed the SARA AA glyph every later "า" reads back as "ำ"
# ("ปีงบประมำณ"), and "น้ำ" reads back as "นำ". No font or font setting avoids this (Sarabun and TLWG
# fonts, with and without `ccmp`, and `full_fonts=True` were tried). Wrapping each drawn line in a
# marked-content span whose /ActualText is the line's own text does: PDF readers and poppler's pdftotext
# take the text from there. The layout and the drawing are untouched; only BDC/EMC operators are added.
# Installed once, and only on the WeasyPrint version whose function this wraps (requirements.txt pins it).
_ACTUAL_TEXT_WEASYPRINT = "70.0"
_ACTUAL_TEXT_SIGNATURE = ["stream", "textbox", "text_overflow", "block_ellipsis", "matrix"]


@functools.cache  # once per process: the check, and the warning when it does not apply
def _install_actual_text() -> bool:
    """Wrap WeasyPrint's line drawing so each line carries its text as /ActualText; return whether it is on."""
    import pydyf
    import weasyprint
    from weasyprint.draw import text as draw_text_module

    original = draw_text_module.draw_first_line
    if getattr(original, "codi_actual_text", False):
        return True
    if (
        weasyprint.__version__ != _ACTUAL_TEXT_WEASYPRINT
        or list(inspect.signature(original).parameters) != _ACTUAL_TEXT_SIGNATURE
    ):
        logger.warning(
            "WeasyPrint %s is not %s: report PDFs are written without /ActualText, so extracted Thai text may be "
            "wrong; check reports/pdf.py against the new draw_first_line",
            weasyprint.__version__,
            _ACTUAL_TEXT_WEASYPRINT,
        )
        return False

    @functools.wraps(original)
    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        if not textbox.text.strip():  # drawn as nothing, so it needs no text either
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(textbox.text)}))
        try:
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        finally:
            stream.end_marked_content()

    draw_first_line.codi_actual_text = True
    # draw_text() (and SVG text) look the function up on the module at each call.
    draw_text_module.draw_first_line = draw_first_line
    return True


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _cell_text(value, kind: str) -> tuple[str, bool]:
    if value is None or value == "":
        return "", kind != "text"
    if isinstance(value, Decimal):
        if kind == "percent":
            return f"{value:,.2f}", True
        if kind == "quantity" and value == value.to_integral_value():
            return f"{value:,.0f}", True
        return format_baht(value), True
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}", True
    return str(value), False


def _table(section: Section) -> dict:
    columns = section.columns
    groups = []
    if any(c.group for c in columns):
        for column in columns:
            if groups and column.group and groups[-1]["title"] == column.group:
                groups[-1]["span"] += 1
            else:
                groups.append({"title": column.group, "span": 1})
    rows = []
    for row in section.rows_for_pdf:
        cells = [_cell_text(value, columns[i].kind) for i, value in enumerate(row.cells)]
        rows.append({"style": row.style, "indent": row.indent, "cells": cells})
    total_width = sum(c.width for c in columns) or 1
    widths = [f"{c.width * 100 / total_width:.2f}" for c in columns]
    return {"columns": columns, "groups": groups, "rows": rows, "widths": widths}


def render_html(document: Document) -> str:
    """Return the HTML the PDF is printed from."""
    lang = document.language
    sections = []
    for section in document.sections:
        if not section.in_pdf:
            continue
        sections.append(
            {
                "section": section,
                "table": _table(section) if section.rows_for_pdf else None,
                "notes": section.notes + section.pdf_notes,
            }
        )
    return render_to_string(
        "reports/report_pdf.html",
        {
            "doc": document,
            "sections": sections,
            "font_faces": font_faces(),
            "header_text": _css_string(document.organisation),
            "form_text": _css_string(document.form),
            "page_word": _css_string(word("page", lang) + " "),
            "labels": {
                "agency": word("agency", lang),
                "scope": word("scope", lang),
                "as_of": word("as_of", lang),
                "fingerprint": word("fingerprint", lang),
                "contents": word("contents", lang),
            },
        },
    )


def render_pdf(document: Document, *, on_layout: Callable[[], None] | None = None) -> bytes:
    """Return the PDF of a document (the same document gives the same bytes)."""
    from weasyprint import HTML

    _install_actual_text()
    html = render_html(document)
    laid_out = HTML(string=html, url_fetcher=_local_fonts_fetcher()).render()
    if on_layout is not None:
        on_layout()
    return laid_out.write_pdf()
