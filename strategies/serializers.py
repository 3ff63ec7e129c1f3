from rest_framework import serializers

from .models import NODE_CONTENT_FIELDS, PlanNode


class PlanNodeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    aligns_to = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = PlanNode
        # official_code (in NODE_CONTENT_FIELDS) is NESDC's code of a chain item (Z, Y2, sub-plan, Y1); aligns_to
        # holds what an item serves: national items for CODI items, Z targets for a Y2, Y2 targets for a Y1.
        fields = ["id", "code", "kind", "parent", *NODE_CONTENT_FIELDS, "aligns_to", "updated_at"]
