from django.utils import translation
from rest_framework import serializers

from .models import District, Province, ProvinceGroup, Region, Subdistrict


class LevelLabelFields(serializers.Serializer):
    """The area's level as its province names it: อำเภอ/ตำบล, or เขต/แขวง in Bangkok."""

    level_label_th = serializers.SerializerMethodField(help_text="อำเภอ or เขต (Bangkok); ตำบล or แขวง (Bangkok)")
    level_label_en = serializers.SerializerMethodField(help_text="The level in English")

    def get_level_label_th(self, obj) -> str:
        with translation.override("th"):
            return obj.level_label

    def get_level_label_en(self, obj) -> str:
        with translation.override("en"):
            return obj.level_label


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "key", "number", "name_th", "name_en"]


class ProvinceGroupSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = ProvinceGroup
        fields = ["id", "number", "name_th", "name_en", "region", "confidence", "evidence"]


class ProvinceSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    group = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Province
        fields = ["id", "code", "name_th", "name_en", "region", "group"]


class DistrictSerializer(LevelLabelFields, serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = District
        fields = ["id", "code", "name_th", "name_en", "level_label_th", "level_label_en", "province"]


class SubdistrictSerializer(LevelLabelFields, serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    postal_codes = serializers.SerializerMethodField()

    class Meta:
        model = Subdistrict
        fields = [
            "id",
            "code",
            "name_th",
            "name_en",
            "level_label_th",
            "level_label_en",
            "district",
            "province",
            "postal_codes",
        ]

    def get_postal_codes(self, obj) -> list[str]:
        return obj.postal_codes.split(",") if obj.postal_codes else []
