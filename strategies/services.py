"""Writes to the plan hierarchy."""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .models import PlanNode

PLAN_HIERARCHY_FILE = Path(__file__).parent / "data" / "plan_hierarchy.json"
NODE_FIELDS = [
    "kind",
    "number",
    "name_th",
    "name_en",
    "name_known",
    "vision_th",
    "vision_en",
    "description_th",
    "description_en",
    "period_start_be",
    "period_end_be",
    "edition",
    "target_value",
    "target_unit_th",
    "target_unit_en",
    "target_year_be",
    "source_th",
]
DEFAULTS = {"name_known": True, "number": None, "target_value": None}
for _name in ("period_start_be", "period_end_be", "target_year_be"):
    DEFAULTS[_name] = None


@dataclass
class PlanLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _values(row: dict) -> dict:
    values = {f: row.get(f, DEFAULTS.get(f, "")) for f in NODE_FIELDS}
    if row.get("version") and not row.get("edition"):
        values["edition"] = row["version"]
    if values["target_value"] is not None:
        values["target_value"] = Decimal(str(values["target_value"])).quantize(Decimal("0.01"))
    return values


@transaction.atomic
def load_plan_hierarchy(*, update: bool = False, path: Path = PLAN_HIERARCHY_FILE) -> PlanLoadReport:
    """Create the plan items of the data file that are missing; with update=True, also overwrite
    existing items with the file's text. A second run changes nothing.

    Existing items are left alone by default because staff edit them in the browser after the first load.
    """
    rows = json.loads(path.read_text(encoding="utf-8"))
    report = PlanLoadReport()
    nodes = {n.code: n for n in PlanNode.objects.prefetch_related("aligns_to")}
    for row in rows:
        values = _values(row)
        parent = nodes[row["parent"]] if row.get("parent") else None
        node = nodes.get(row["code"])
        if node is None:
            node = PlanNode(code=row["code"], parent=parent, **values)
            node._change_reason = "loaded from plan_hierarchy.json"
            node.save()
            nodes[node.code] = node
            report.created += 1
            continue
        if update and (
            node.parent_id != (parent.pk if parent else None) or any(getattr(node, f) != v for f, v in values.items())
        ):
            node.parent = parent
            for f, v in values.items():
                setattr(node, f, v)
            node._change_reason = "updated from plan_hierarchy.json"
            node.save()
            report.updated += 1
        else:
            report.unchanged += 1
    for row in rows:
        node = nodes[row["code"]]
        wanted = {nodes[code].pk for code in row.get("aligns_to", [])}
        current = {n.pk for n in node.aligns_to.all()}
        if wanted != current and (update or not current):
            node.aligns_to.set(wanted)
    return report
