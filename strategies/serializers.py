from rest_framework import serializers

from .models import NODE_CONTENT_FIELDS, PlanNode


class PlanNodeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    aligns_to = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = PlanNode
        fields = ["id", "code", "kind", "parent", *NODE_CONTENT_FIELDS, "aligns_to", "updated_at"]
