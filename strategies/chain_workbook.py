"""The eMENSCR chain from a workbook: national strategy targets (Z), master-plan issue targets (Y2), sub-plans and
their targets (Y1), one item a row, with their official codes. Every row is checked; any error and nothing is saved
(all or nothing); a second upload of the same file changes nothing.

Columns (first row; Thai or English headers):
  ระดับ / level            Z, Y2, แผนย่อย (or SUB), Y1
  อยู่ภายใต้ / under        the item it sits under, by its code here: a strategy (NS-4) for Z, a master plan
                           (MP-2566-16) for Y2, sub-plans and Y1 (a Y1 finds its sub-plan by its code's first four
                           digits; the sub-plan may be a row of the same file)
  รหัสทางการ / official_code  as NESDC writes it (Thai digits fine): Z 0401, Y2 160001, sub-plan 1601, Y1 160101
  ชื่อ (ไทย) / name_th, ชื่อ (อังกฤษ) / name_en
  สนับสนุนเป้าหมาย / serves  optional, official codes separated by commas: the Z targets a Y2 serves (same strategy
                           plan), the Y2 targets of its own master plan a Y1 serves
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from codi_plans import uploads
from codi_plans.spreadsheets import append_row, cell_text, reading_workbook, row_values

from . import permissions, selectors
from .models import CHAIN_KINDS, NodeKind, PlanNode
from .services import _generate_code, _validate, normal_official_code

COLUMNS = {
    "level": gettext_lazy("Level: Z, Y2, แผนย่อย (sub-plan) or Y1"),
    "under": gettext_lazy("Under: the code here of the strategy (Z) or the master plan (Y2, sub-plan, Y1)"),
    "official_code": gettext_lazy("Official code as NESDC writes it (Z 0401, Y2 160001, sub-plan 1601, Y1 160101)"),
    "name_th": gettext_lazy("Thai name"),
    "name_en": gettext_lazy("English name (optional)"),
    "serves": gettext_lazy("Serves (optional): official codes of the Z targets of a Y2, or the Y2 targets of a Y1"),
}
THAI_HEADERS = {
    "ระดับ": "level",
    "อยู่ภายใต้": "under",
    "รหัสทางการ": "official_code",
    "ชื่อ (ไทย)": "name_th",
    "ชื่อ (อังกฤษ)": "name_en",
    "สนับสนุนเป้าหมาย": "serves",
}
HEADER_ROW = ["ระดับ", "อยู่ภายใต้", "รหัสทางการ", "ชื่อ (ไทย)", "ชื่อ (อังกฤษ)", "สนับสนุนเป้าหมาย"]
REQUIRED = ["level", "under", "official_code", "name_th"]
LEVELS = {
    "z": NodeKind.STRATEGY_TARGET,
    "y2": NodeKind.MASTER_PLAN_TARGET,
    "sub": NodeKind.SUB_PLAN,
    "แผนย่อย": NodeKind.SUB_PLAN,
    "sub-plan": NodeKind.SUB_PLAN,
    "y1": NodeKind.SUB_PLAN_TARGET,
}
LEVEL_NAMES = {
    NodeKind.STRATEGY_TARGET: "Z",
    NodeKind.MASTER_PLAN_TARGET: "Y2",
    NodeKind.SUB_PLAN: "แผนย่อย",
    NodeKind.SUB_PLAN_TARGET: "Y1",
}
# Rows are applied top-down, whatever their order in the file: a Y1 may follow its sub-plan or precede it.
ORDER = [NodeKind.STRATEGY_TARGET, NodeKind.MASTER_PLAN_TARGET, NodeKind.SUB_PLAN, NodeKind.SUB_PLAN_TARGET]
UNDER_KINDS = {
    NodeKind.STRATEGY_TARGET: NodeKind.STRATEGY,
    NodeKind.MASTER_PLAN_TARGET: NodeKind.MASTER_PLAN,
    NodeKind.SUB_PLAN: NodeKind.MASTER_PLAN,
    NodeKind.SUB_PLAN_TARGET: NodeKind.MASTER_PLAN,
}
MAX_ROWS = 5000
CHANGE_REASON = "loaded from the chain workbook"


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ChainLoadReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    """Return (row number, values by column) for the first sheet's data rows; refuse wrong columns."""
    with reading_workbook(data, unreadable=lambda: uploads.not_xlsx("file")) as workbook:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None) or ()
        names = [THAI_HEADERS.get(cell_text(c, collapse=True), cell_text(c, collapse=True).lower()) for c in header]
        missing = [c for c in REQUIRED if c not in names]
        unknown = [n for n in names if n and n not in COLUMNS]
        if missing or unknown or len(set(filter(None, names))) != len(list(filter(None, names))):
            raise ValidationError(
                {
                    "file": _("The first row must name the columns %(cols)s (download the template).")
                    % {"cols": ", ".join(HEADER_ROW)}
                }
            )
        out = []
        for number, cells in enumerate(rows, start=2):
            values = row_values(cells, names, collapse=True)
            if not any(values.values()):
                continue
            if len(out) >= MAX_ROWS:
                raise ValidationError({"file": _("The sheet has more than %(n)s rows.") % {"n": MAX_ROWS}})
            out.append((number, values))
    if not out:
        raise ValidationError({"file": _("The sheet has no data rows.")})
    return out


class _Rollback(Exception):
    pass


def load_chain_workbook(*, file, by=None, dry_run: bool = False) -> ChainLoadReport:
    """Check every row of an uploaded chain workbook and save all of them, or none when any row is wrong.

    `by` is the person uploading (central staff; None for the management command, which runs as the system).
    """
    if by is not None and not permissions.can_edit_plan(by):
        raise PermissionDenied(_("Only CODI central staff load the eMENSCR chain."))
    data = uploads.check_xlsx(file, field="file")
    rows = read_rows(data)
    report = ChainLoadReport(rows=len(rows), dry_run=dry_run)
    try:
        with transaction.atomic():
            _apply(rows, by, report)
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        if report.errors:
            report.created = report.updated = report.unchanged = 0
    report.errors.sort(key=lambda e: e.row)
    return report


def _apply(rows, by, report: ChainLoadReport) -> None:
    parsed = []
    for number, values in rows:
        level = LEVELS.get(values.get("level", "").lower())
        if level is None:
            report.errors.append(
                RowError(
                    number,
                    "ระดับ",
                    _("“%(value)s” is not a level: write Z, Y2, แผนย่อย or Y1.") % {"value": values.get("level", "")},
                )
            )
            continue
        parsed.append((ORDER.index(level), number, level, values))
    parsed.sort(key=lambda p: (p[0], p[1]))
    # Parents by code, chain items by (parent id, official code): read once, grown as rows are saved.
    nodes = {n.code: n for n in PlanNode.objects.filter(is_draft=False).select_related("parent")}
    by_parent_code = {(n.parent_id, n.official_code): n for n in nodes.values() if n.kind in CHAIN_KINDS}
    pending_links = []
    seen = {}
    for _order, number, level, values in parsed:
        under = nodes.get(values.get("under", ""))
        if under is None or under.kind != UNDER_KINDS[level]:
            report.errors.append(
                RowError(
                    number,
                    "อยู่ภายใต้",
                    _("“%(value)s” is not the code of a %(kind)s here.")
                    % {"value": values.get("under", ""), "kind": NodeKind(UNDER_KINDS[level]).label},
                )
            )
            continue
        code = normal_official_code(values.get("official_code"))
        parent = under
        if level == NodeKind.SUB_PLAN_TARGET:
            parent = by_parent_code.get((under.pk, code[:4]))
            if parent is None or parent.kind != NodeKind.SUB_PLAN:
                report.errors.append(
                    RowError(
                        number,
                        "รหัสทางการ",
                        _("Master plan %(master)s has no sub-plan %(sub)s: add it first (a row of this file will do).")
                        % {"master": under.code, "sub": code[:4] or "—"},
                    )
                )
                continue
        key = (parent.pk, code)
        if key in seen:
            report.errors.append(
                RowError(
                    number,
                    "รหัสทางการ",
                    _("Row %(row)s already gives the code %(code)s here.") % {"row": seen[key], "code": code},
                )
            )
            continue
        seen[key] = number
        node = by_parent_code.get(key)
        name_th, name_en = values.get("name_th", ""), values.get("name_en", "")
        if node is not None and node.kind != level:
            report.errors.append(
                RowError(
                    number,
                    "ระดับ",
                    _("Code %(code)s is already a %(kind)s here.") % {"code": code, "kind": node.get_kind_display()},
                )
            )
            continue
        if node is None:
            node = PlanNode(parent=parent, kind=level, official_code=code, name_th=name_th, name_en=name_en)
            node.number = int(code[-2:]) if code[-2:].isdigit() else None
            action = "created"
        elif node.name_th == name_th and node.name_en == name_en:
            action = "unchanged"
        else:
            node.name_th, node.name_en = name_th, name_en
            action = "updated"
        try:
            _validate(node)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = {"official_code": "รหัสทางการ", "name_th": "ชื่อ (ไทย)", "name_en": "ชื่อ (อังกฤษ)"}.get(name, name)
                for message in messages:
                    report.errors.append(RowError(number, column, message))
            continue
        if action != "unchanged":
            if node.pk is None:
                node.code = _generate_code(parent, level, node.number)
            else:
                node.revision += 1
            node._history_user = by
            node._change_reason = CHANGE_REASON
            node.save()
            by_parent_code[key] = node
            nodes[node.code] = node
        setattr(report, action, getattr(report, action) + 1)
        if values.get("serves"):
            pending_links.append((number, node, values["serves"]))
    for number, node, serves in pending_links:
        _link(number, node, serves, report)


def _link(number, node, serves: str, report: ChainLoadReport) -> None:
    """Set what a Y2 (Z targets) or a Y1 (its master plan's Y2 targets) serves, by official codes."""
    codes = [normal_official_code(c) for c in serves.replace(";", ",").split(",") if c.strip()]
    if node.kind == NodeKind.MASTER_PLAN_TARGET:
        candidates = PlanNode.objects.filter(kind=NodeKind.STRATEGY_TARGET, is_draft=False)
    elif node.kind == NodeKind.SUB_PLAN_TARGET:
        candidates = PlanNode.objects.filter(kind=NodeKind.MASTER_PLAN_TARGET, parent_id=node.parent.parent_id)
    else:
        report.errors.append(RowError(number, "สนับสนุนเป้าหมาย", _("Only Y2 and Y1 targets name what they serve.")))
        return
    found = {n.official_code: n for n in candidates.filter(official_code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        report.errors.append(
            RowError(
                number,
                "สนับสนุนเป้าหมาย",
                _("No target with the code(s) %(codes)s that this item may serve.") % {"codes": ", ".join(unknown)},
            )
        )
        return
    if set(node.aligns_to.values_list("pk", flat=True)) != {n.pk for n in found.values()}:
        node.aligns_to.set(found.values())


def template_workbook() -> bytes:
    """Return the template: the header row, then the chain items already entered (edit and upload it back)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "chain"

    append_row(sheet, HEADER_ROW)
    items = (
        PlanNode.objects.filter(kind__in=CHAIN_KINDS, is_draft=False)
        .select_related("parent__parent")
        .prefetch_related("aligns_to")
    )
    for item in sorted(items, key=lambda n: (ORDER.index(n.kind), n.parent.code if n.parent else "", n.official_code)):
        under = item.parent.parent if item.kind == NodeKind.SUB_PLAN_TARGET else item.parent
        serves = ", ".join(sorted(n.official_code for n in item.aligns_to.all() if n.official_code))
        append_row(
            sheet,
            [
                LEVEL_NAMES[item.kind],
                under.code if under else "",
                item.official_code,
                item.name_th,
                item.name_en,
                serves,
            ],
        )
    help_sheet = workbook.create_sheet("columns")
    for header, (name, meaning) in zip(HEADER_ROW, COLUMNS.items(), strict=True):
        append_row(help_sheet, [header, name, str(meaning)])
    append_row(help_sheet, [])
    append_row(help_sheet, [_("Codes of the strategies and master plans here")])
    for node in selectors.chain_parents():
        append_row(help_sheet, [node.code, node.get_kind_display(), node.name_th])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
