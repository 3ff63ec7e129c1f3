"""Writes to accounts."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from rest_framework.authtoken.models import Token

from areas.models import Province, Region, Subdistrict

from .models import Role, User

DEMO_PASSWORD = "codi-demo-2569"  # nosec B105 # demo accounts only; create_demo_accounts refuses DEBUG=False


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    region_key: str = ""
    province_code: str = ""
    tambon_codes: tuple[str, ...] = ()


# Chiang Mai (50) in the north: a province with a group, a region and real tambons.
DEMO_ACCOUNTS = (
    DemoAccount("demo-staff", Role.CENTRAL_STAFF, "เจ้าหน้าที่ส่วนกลาง"),
    DemoAccount("demo-region", Role.REGIONAL_STAFF, "เจ้าหน้าที่ภาคเหนือ", region_key="north"),
    DemoAccount("demo-province", Role.PROVINCIAL_COORDINATOR, "ผู้ประสานงานจังหวัดเชียงใหม่", province_code="50"),
    DemoAccount("demo-rep", Role.COMMUNITY_REP, "ผู้แทนชุมชนตำบลช้างคลานและวัดเกต", tambon_codes=("500105", "500106")),
    DemoAccount("demo-viewer", Role.BUDGET_VIEWER, "สำนักงบประมาณ"),
    DemoAccount("demo-api", Role.API_CLIENT, "API client"),
)


def create_demo_accounts() -> list[User]:
    """Create (or reset) one demo account per role; refused unless demo accounts are allowed."""
    # Checked before any database work, so a production process refuses even without a database.
    if not settings.DEMO_ACCOUNTS_ALLOWED:
        raise ImproperlyConfigured("Demo accounts are never created under production settings (DJANGO_DEBUG=False).")
    with transaction.atomic():
        return _create_demo_accounts()


def _create_demo_accounts() -> list[User]:
    users = []
    for demo in DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "role": demo.role,
                "first_name": demo.first_name,
                "is_staff": demo.role == Role.CENTRAL_STAFF,
                "region": Region.objects.get(key=demo.region_key) if demo.region_key else None,
                "province": Province.objects.get(code=demo.province_code) if demo.province_code else None,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.tambons.set(Subdistrict.objects.filter(code__in=demo.tambon_codes))
        if demo.role == Role.API_CLIENT:
            Token.objects.get_or_create(user=user)
        users.append(user)
    return users
