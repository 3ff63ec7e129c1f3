"""The one hook a higher app answers when the plan hierarchy changes shape (strategies never imports them)."""

from django.dispatch import Signal

# Sent inside roll_forward_plan's transaction, after the tree is copied: old_plan, new_plan, mapping (old node id →
# its copy) and by. The indicators app copies the indicators and targets of the copied items; a receiver that
# raises rolls the whole roll-forward back.
plan_rolled_forward = Signal()
