"""Shapes of the served-by and coverage API responses (read only)."""

from rest_framework import serializers

MONEY = {"max_digits": 16, "decimal_places": 2}


class MoneySerializer(serializers.Serializer):
    planned = serializers.DecimalField(help_text="Budget lines of the projects' tambon plans for the year", **MONEY)
    requested = serializers.DecimalField(help_text="Share of budget requests past the draft stage", **MONEY)
    approved = serializers.DecimalField(help_text="Share of approved requests' approved amounts", **MONEY)
    spent = serializers.DecimalField(help_text="Share of approved requests' recorded spending", **MONEY)


class ProjectProgressFigureSerializer(serializers.Serializer):
    reported = serializers.BooleanField()
    quarter = serializers.IntegerField(allow_null=True, help_text="Latest approved quarter of the fiscal year")
    activity_status = serializers.CharField(allow_null=True)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    stopped = serializers.BooleanField()
    spent_reported = serializers.DecimalField(help_text="Money spent as the approved progress reports give it", **MONEY)


class AreaRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ServedProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField(help_text="Tambon plan id")
    number = serializers.IntegerField()
    name = serializers.CharField()
    tambon = AreaRefSerializer()
    district = AreaRefSerializer()
    province = AreaRefSerializer()
    workstream = serializers.CharField(help_text="Workstream code")
    goal = serializers.CharField(help_text="Goal code")
    programme = serializers.CharField(help_text="Programme code")
    progress = ProjectProgressFigureSerializer()
    money = MoneySerializer()


class RollupSerializer(serializers.Serializer):
    projects = serializers.IntegerField()
    reported = serializers.IntegerField()
    reporting_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    stopped = serializers.IntegerField()
    spent_reported = serializers.DecimalField(**MONEY)


class GroupSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Plan item code, or area code (region key, group number, DOPA code)")
    name = serializers.CharField()
    projects = serializers.IntegerField()
    tambons = serializers.IntegerField(help_text="Tambons with at least one of the projects")
    progress = RollupSerializer()
    money = MoneySerializer()


class DrillSummarySerializer(serializers.Serializer):
    plan_item = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    area_level = serializers.CharField()
    area_code = serializers.CharField()
    total = GroupSerializer()
    by_plan_item = GroupSerializer(many=True)
    by_area_level = serializers.CharField()
    by_area = GroupSerializer(many=True)


class CoverageItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    group = serializers.ChoiceField(choices=["national_target", "master_plan", "goal", "programme"])
    official_code = serializers.CharField()
    name = serializers.CharField()
    projects = serializers.IntegerField(help_text="Projects serving the item in the area this fiscal year")
    has_project = serializers.BooleanField()
    has_request = serializers.BooleanField()
    has_result = serializers.BooleanField()
    gaps = serializers.ListField(child=serializers.ChoiceField(choices=["no_project", "no_request", "no_result"]))


class ShareCellSerializer(serializers.Serializer):
    workstream = serializers.CharField()
    projects = serializers.IntegerField()
    share = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="This area's share of the workstream's projects, %"
    )


class ShareRowSerializer(serializers.Serializer):
    area_level = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    projects = serializers.IntegerField()
    workstreams = ShareCellSerializer(many=True)
