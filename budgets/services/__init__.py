"""Writes to development plans, budget requests, ceilings, spending plans, actuals and monitoring records.

Money rules hold here and in the database constraints behind them: no negative amounts, an approval
never above the request nor above any ceiling (ceiling rows are locked for the approval), a spending
plan that adds up to the approved amount, and overspending that is explained and flagged.

One module per concern; `from budgets import services` and `services.<name>` reach every one of them.
Reads (totals, fundable projects, the ex-ante check, spending) are in budgets/selectors.py.
"""

from .ceilings import set_ceiling
from .demo import DEMO_FILE, DemoLoadReport, load_demo_budgets
from .development_plans import (
    DEVELOPMENT_PLAN_FIELDS,
    ISSUE_FIELDS,
    create_development_plan,
    delete_development_issue,
    save_development_issue,
    update_development_plan,
)
from .inputs import (
    MAX_MONEY,
    MONEY_RULE,
    SATANG,
    ZERO,
    ActivityInput,
    ActualInput,
    ExpenseInput,
    IndicatorInput,
    PeriodInput,
    money,
)
from .monitoring import record_ex_post_evaluation, record_quarterly_monitoring
from .requests import REQUEST_FIELDS, create_budget_request, update_budget_request
from .spending import record_actuals, save_spending_plan
from .workflow import (
    approve_budget_request,
    close_budget_request,
    forward_budget_request,
    prioritise_budget_request,
    reject_budget_request,
    return_budget_request,
    start_execution,
    submit_budget_request,
)

__all__ = [
    "DEMO_FILE",
    "DEVELOPMENT_PLAN_FIELDS",
    "ISSUE_FIELDS",
    "MAX_MONEY",
    "MONEY_RULE",
    "REQUEST_FIELDS",
    "SATANG",
    "ZERO",
    "ActivityInput",
    "ActualInput",
    "DemoLoadReport",
    "ExpenseInput",
    "IndicatorInput",
    "PeriodInput",
    "approve_budget_request",
    "close_budget_request",
    "create_budget_request",
    "create_development_plan",
    "delete_development_issue",
    "forward_budget_request",
    "load_demo_budgets",
    "money",
    "prioritise_budget_request",
    "record_actuals",
    "record_ex_post_evaluation",
    "record_quarterly_monitoring",
    "reject_budget_request",
    "return_budget_request",
    "save_development_issue",
    "save_spending_plan",
    "set_ceiling",
    "start_execution",
    "submit_budget_request",
    "update_budget_request",
    "update_development_plan",
]
