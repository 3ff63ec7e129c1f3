"""Ceilings per province and per workstream and fiscal year: never below what is already approved."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from strategies.models import NodeKind

from .. import permissions
from ..models import (
    BudgetCeiling,
)
from ..selectors import committed_total
from .inputs import money


@transaction.atomic
def set_ceiling(*, by, fiscal_year: int, amount, province=None, workstream=None, note: str = "") -> BudgetCeiling:
    """Set the ceiling of a province or a workstream for a fiscal year; never below what is already approved."""
    if not permissions.can_set_ceiling(by):
        raise PermissionDenied(_("Only CODI central staff set ceilings."))
    if (province is None) == (workstream is None):
        raise ValidationError(_("A ceiling is for one province or one workstream."))
    if workstream is not None and workstream.kind != NodeKind.WORKSTREAM:
        raise ValidationError({"workstream": _("Choose a workstream.")})
    amount = money(amount)
    key = {"province": province} if province is not None else {"workstream": workstream}
    ceiling = BudgetCeiling.objects.select_for_update(of=("self",)).filter(fiscal_year=fiscal_year, **key).first()
    if ceiling is None:
        ceiling = BudgetCeiling(fiscal_year=fiscal_year, **key)
    committed = committed_total(fiscal_year=fiscal_year, **key)
    if amount < committed:
        raise ValidationError(
            {
                "amount": _("%(committed)s baht is already approved; the ceiling cannot be lower.")
                % {"committed": f"{committed:,.2f}"}
            }
        )
    ceiling.amount, ceiling.note, ceiling.updated_by = amount, note, by
    ceiling.full_clean()
    ceiling._history_user = by
    ceiling.save()
    return ceiling
