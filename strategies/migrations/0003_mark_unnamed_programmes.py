"""Programmes the seed does not name: 22 programmes under the economy, welfare and housing workstreams
were named after their goal when first loaded. Mark them as placeholders (name_known=False), the way the
council's unnamed programmes are, and replace the invented name with a placeholder label.

Only rows that still carry the invented name are changed, so a name staff gave in the browser survives.
Each change is written to the item's history and bumps its revision (an open edit form must reload).
"""

import re

from django.db import migrations
from django.utils import timezone

# Code → the name that was invented for it (as loaded from plan_hierarchy.json before this migration).
INVENTED_NAMES = {
    "WS-ECONOMY-G1-P1": "ฟื้นฟูและพัฒนาพื้นที่เศรษฐกิจและทุนชุมชนเดิม",
    "WS-ECONOMY-G2-P1": "ขยายพื้นที่ใหม่สู่การพัฒนาระบบเศรษฐกิจฐานราก",
    "WS-ECONOMY-G3-P1": "วิเคราะห์ศักยภาพและฐานข้อมูลเศรษฐกิจพื้นที่และองค์กรชุมชน",
    "WS-ECONOMY-G4-P1": "ส่งเสริมการจัดทำแผนพัฒนาระบบเศรษฐกิจฐานราก",
    "WS-ECONOMY-G5-P1": "เชื่อมโยงและบูรณาการแผนเศรษฐกิจและทุนชุมชน",
    "WS-ECONOMY-G6-P1": "ศูนย์บ่มเพาะเศรษฐกิจและทุนชุมชน",
    "WS-ECONOMY-G7-P1": "พัฒนาคนในพื้นที่ให้เป็นผู้ประกอบการทางสังคม",
    "WS-WELFARE-G1-P1": "เสริมสร้างกองทุนสวัสดิการชุมชนระดับตำบล",
    "WS-WELFARE-G2-P1": "พัฒนาเครือข่ายและความร่วมมือภาคีกองทุนสวัสดิการชุมชน",
    "WS-WELFARE-G3-P1": "ความมั่นคงทางการเงินของกองทุนสวัสดิการชุมชน",
    "WS-WELFARE-G4-P1": "ระบบข้อมูลและชุดความรู้กองทุนสวัสดิการชุมชน",
    "WS-WELFARE-G5-P1": "พัฒนานโยบายสวัสดิการชุมชนสู่ระบบสวัสดิการสังคมของประเทศ",
    "WS-HOUSING-G1-P1": "การพัฒนาที่อยู่อาศัยทั้งเมืองและชนบท",
    "WS-HOUSING-G2-P1": "บูรณาการภาคส่วนในการพัฒนาที่อยู่อาศัย",
    "WS-HOUSING-G3-P1": "สำรวจข้อมูลที่อยู่อาศัยและคุณภาพชีวิต",
    "WS-HOUSING-G4-P1": "สภาองค์กรชุมชนเป็นพื้นที่กลางขับเคลื่อนงานที่อยู่อาศัย",
    "WS-HOUSING-G5-P1": "พัฒนาและฟื้นฟูเครือข่ายที่อยู่อาศัย",
    "WS-HOUSING-G6-P1": "พัฒนาคน กลไก องค์กร โครงการ และกองทุนในพื้นที่เมือง/ตำบล",
    "WS-HOUSING-G7-P1": "คณะทำงานที่อยู่อาศัยจังหวัด",
    "WS-HOUSING-G8-P1": "จัดการความรู้และขยายผลการพัฒนาที่อยู่อาศัย",
    "WS-HOUSING-G9-P1": "พัฒนาศักยภาพคนทำงานเป็นนักจัดกระบวนการ",
    "WS-HOUSING-G10-P1": "พัฒนาคุณภาพองค์กร สหกรณ์ กองทุน และส่งเสริมการออม",
}
REASON = "programme name not given in the seed: marked as a placeholder"


def placeholder(code: str) -> dict:
    goal = int(re.fullmatch(r"WS-[A-Z]+-G(\d+)-P1", code).group(1))
    return {
        "name_th": f"แผนงานตามเป้าหมายที่ {goal}",
        "name_en": f"Programme for goal {goal} (name not given in the seed)",
        "name_known": False,
        "description_th": f"ต้นฉบับระบุเป้าหมายข้อ {goal} แต่ไม่ได้ระบุชื่อแผนงาน",
        "description_en": f"Placeholder: the seed gives goal {goal} but does not name its programme.",
    }


def _record_history(apps, node) -> None:
    history_model = apps.get_model("strategies", "HistoricalPlanNode")
    through = apps.get_model("strategies", "HistoricalPlanNode_aligns_to")
    values = {f.attname: getattr(node, f.attname) for f in node._meta.concrete_fields}
    record = history_model.objects.create(
        **values, history_date=timezone.now(), history_type="~", history_change_reason=REASON, history_user=None
    )
    aligned = node.aligns_to.through.objects.filter(from_plannode_id=node.pk).values_list("to_plannode_id", flat=True)
    through.objects.bulk_create(
        [through(history=record, from_plannode_id=node.pk, to_plannode_id=target) for target in aligned]
    )


def mark_unnamed_programmes(apps, schema_editor):
    """Turn the 22 invented programme names into placeholders; a second run changes nothing."""
    PlanNode = apps.get_model("strategies", "PlanNode")
    for node in PlanNode.objects.filter(code__in=INVENTED_NAMES, name_known=True):
        if node.name_th != INVENTED_NAMES[node.code]:
            continue  # renamed by staff: their name is kept
        # An UPDATE, not save(): no model signal may write a second history row.
        PlanNode.objects.filter(pk=node.pk).update(
            **placeholder(node.code), revision=node.revision + 1, updated_at=timezone.now()
        )
        node.refresh_from_db()
        _record_history(apps, node)


class Migration(migrations.Migration):
    dependencies = [
        ("strategies", "0002_plan_node_revision"),
    ]

    operations = [
        migrations.RunPython(mark_unnamed_programmes, migrations.RunPython.noop),
    ]
