"""Who answers for an area at each level of the ladder work escalates along: the tambon's community
representatives, the province's coordinators, the region's staff, then CODI's central staff.

Late work climbs this ladder one level at a time (see the escalation app). The lookups are made for many areas at
once, one query per level, so that chasing every tambon in the country costs four queries, not one per tambon.
"""

from collections import defaultdict

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Role, User


class Level(models.IntegerChoices):
    """A rung of the ladder, from the tambon up; a higher number is further from the work and nearer the centre."""

    TAMBON = 0, _("Community representative")
    PROVINCE = 1, _("Provincial coordinator")
    REGION = 2, _("Regional staff")
    CENTRAL = 3, _("CODI central staff")


TOP = Level.CENTRAL
# The role that holds each level; the level's area is the user's tambons, province, region or the whole country.
LEVEL_ROLES = {
    Level.TAMBON: Role.COMMUNITY_REP,
    Level.PROVINCE: Role.PROVINCIAL_COORDINATOR,
    Level.REGION: Role.REGIONAL_STAFF,
    Level.CENTRAL: Role.CENTRAL_STAFF,
}


def level_of(user) -> Level | None:
    """Return the rung the user stands on (None for Budget Bureau viewers, API clients and users with no role)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_central_staff:
        return Level.CENTRAL
    if user.is_regional_staff:
        return Level.REGION
    if user.is_provincial_coordinator:
        return Level.PROVINCE
    if user.is_community_rep:
        return Level.TAMBON
    return None


def reachable():
    """Keep active users with an e-mail address: the ones a reminder can reach."""
    return User.objects.filter(is_active=True).exclude(email="")


def people_at(level: int, area_ids) -> dict:
    """Return {area id: [users]} of the people holding `level` for each area (one query).

    Areas are tambon ids at the tambon level, province ids at the province level and region ids at the region
    level; at the central level the only key is None (central staff answer for the whole country)."""
    level = Level(level)
    people = reachable()
    found = defaultdict(list)
    if level == Level.CENTRAL:
        users = list(people.filter(models.Q(role=Role.CENTRAL_STAFF) | models.Q(is_superuser=True)).order_by("pk"))
        if users:
            found[None] = users
        return found
    ids = sorted({i for i in area_ids if i is not None})
    if not ids:
        return found
    if level == Level.TAMBON:
        links = (
            User.tambons.through.objects.filter(subdistrict_id__in=ids, user__in=people.filter(role=Role.COMMUNITY_REP))
            .select_related("user")
            .order_by("user_id")
        )
        for link in links:
            found[link.subdistrict_id].append(link.user)
        return found
    field = "province_id" if level == Level.PROVINCE else "region_id"
    for user in people.filter(role=LEVEL_ROLES[level], **{f"{field}__in": ids}).order_by("pk"):
        found[getattr(user, field)].append(user)
    return found
