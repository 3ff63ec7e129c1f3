from rest_framework import serializers

from .models import District, Province, ProvinceGroup, Region, Subdistrict


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


class DistrictSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = District
        fields = ["id", "code", "name_th", "name_en", "province"]


class SubdistrictSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    postal_codes = serializers.SerializerMethodField()

    class Meta:
        model = Subdistrict
        fields = ["id", "code", "name_th", "name_en", "district", "province", "postal_codes"]

    def get_postal_codes(self, obj) -> list[str]:
        return obj.postal_codes.split(",") if obj.postal_codes else []
