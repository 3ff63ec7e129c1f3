from rest_framework import serializers

from .models import PlanNode


class PlanNodeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    aligns_to = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = PlanNode
        fields = [
            "id",
            "code",
            "kind",
            "parent",
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
            "aligns_to",
            "updated_at",
        ]
