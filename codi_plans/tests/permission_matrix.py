"""The permission matrix as data: every role x every URL x every method, with the outcome each must get.

Outcomes (what `test_permission_matrix.outcome` names a response):
  ok     the request got past every permission check: 2xx, a redirect other than to a login page, or a 400/409
         (a write with an empty body turned down on its content or on the object's state). An empty body is sent
         on every write, so "ok" on a write row says "allowed to try", not "succeeded".
  login  302 to the login page (/accounts/login/, or /admin/login/ for the admin).
  401    no credentials, or bad ones, on the API (with a WWW-Authenticate header naming the Token scheme).
  403    signed in but not allowed to do this.
  404    the object is not visible to this role (scoped queryset), or the page does not exist for it.
  405    the URL does not take this method.
Scopes "own…" (four-eyes) hold, for each role, a record whose decision would be that user's own work: a plan they
submitted or accepted, a result they reported, a budget request they wrote. Roles that may decide on other people's
records (see the "inside" rows) are refused here, with a message that no one decides on their own work.
Roles are the columns, in ROLES order. `api_client` carries a DRF token and no session, so every HTML page
treats it as anonymous. Scopes: "-" for URLs without an area; "inside" is data in the community
representative's tambon 500105 (Chiang Mai, province 50, north region); "outside" is data in Bangkok (10).

Left out of the table on purpose: the Django admin's own pages beyond its index (the admin checks is_staff and
model permissions on each of them), and DRF's format-suffix variants (`/api/v1/regions.json`), which are the same
view under the same URL name as the row that covers them.

BUGS holds the cells where the code does not yet do what the table says: each is an xfail(strict) with the bug.
"""

ROLES = (
    "anonymous",
    "community_rep",
    "provincial_coordinator",
    "regional_staff",
    "central_staff",
    "budget_viewer",
    "api_client",
)
OK, LOGIN = "ok", "login"
OUTCOMES = {OK, LOGIN, "401", "403", "404", "405"}

# URLs tested with GET only: no form behind them, and (for the results template, a workbook of every tambon in
# scope that takes a second to build) a POST row would only repeat the GET one. Every other HTML URL gets a GET
# and a POST row; a DRF route gets GET plus every method its router maps.
GET_ONLY = {
    "admin:index",
    "schema",
    "api-docs",
    "api-root",
    "health",
    "indicators:upload_template",
    "areas:population_template",
    "strategies:chain_template",
}

# Each URL name -> {scope: url kwargs}. "@name" is replaced by the pk (or code) of the fixture object `name`;
# the key "?" holds query-string parameters (for two-step forms whose permission check needs the chosen area).
# Scope "-" means the URL has no area (a list, a form, national reference data); "inside" is data in the
# community representative's tambon 500105 / Chiang Mai (50) / the north; "outside" is data in Bangkok (10).
ROUTES = {
    "home": {"-": {}},
    "health": {"-": {}},
    "set_language": {"-": {}},
    "login": {"-": {}},
    "logout": {"-": {}},
    "admin:index": {"-": {}},
    "schema": {"-": {}},
    "api-docs": {"-": {}},
    "api-root": {"-": {}},
    "accounts:profile": {"-": {}},
    # The map of Thailand (budgets.views.national_map): every signed-in role; budget figures stop at the scope.
    "map": {"-": {}},
    # strategies: the national plan tree is one tree for everybody (no area).
    "strategies:tree": {"-": {}},
    "strategies:add_root": {"-": {"kind": "codi_strategy"}},
    "strategies:node": {"-": {"code": "WS-ECONOMY"}},
    "strategies:edit": {"-": {"code": "WS-ECONOMY"}},
    "strategies:add": {"-": {"code": "WS-ECONOMY", "kind": "goal"}},
    "strategies:alignment": {"-": {"code": "WS-ECONOMY"}},
    "strategies:move": {"-": {"code": "WS-ECONOMY"}},
    "strategies:delete": {"-": {"code": "WS-ECONOMY"}},
    "strategies:history": {"-": {"code": "WS-ECONOMY"}},
    # plan cycles: the seed plan is published, so it can be rolled forward but not published again
    "strategies:roll_forward": {"-": {"code": "CODI-AP"}},
    "strategies:publish": {"-": {"code": "CODI-AP"}},
    # the eMENSCR chain: what is entered and missing (public, like the tree); its workbook (central staff)
    "strategies:chain": {"-": {}},
    "strategies:chain_upload": {"-": {}},
    "strategies:chain_template": {"-": {}},
    # areas
    "areas:index": {"-": {}},
    "areas:mine": {"-": {}},
    "areas:province": {"inside": {"code": "50"}, "outside": {"code": "10"}},
    "areas:district": {"inside": {"code": "@district_in"}, "outside": {"code": "@district_out"}},
    # central staff give a province (Bangkok) to a region's team
    "areas:province_region": {"inside": {"code": "50"}, "outside": {"code": "10"}},
    # central staff import official population figures; everyone signed in reads what is on file
    "areas:population": {"-": {}},
    "areas:population_template": {"-": {}},
    # workstreams (tambon plans)
    "workstreams:list": {"-": {}},
    "workstreams:start": {"-": {}},
    "workstreams:template": {"-": {}},
    "workstreams:review": {"-": {}},
    "workstreams:province": {"inside": {"code": "50", "start": 2563}, "outside": {"code": "10", "start": 2563}},
    "workstreams:province_in_force": {"inside": {"code": "50"}, "outside": {"code": "10"}},
    "workstreams:detail": {"inside": {"pk": "@plan_in"}, "outside": {"pk": "@plan_out"}},
    "workstreams:edit": {"inside": {"pk": "@plan_in"}, "outside": {"pk": "@plan_out"}},
    "workstreams:problems": {"inside": {"pk": "@plan_in"}, "outside": {"pk": "@plan_out"}},
    "workstreams:project_new": {"inside": {"pk": "@plan_in"}, "outside": {"pk": "@plan_out"}},
    "workstreams:project_edit": {
        "inside": {"pk": "@plan_in", "number": 1},
        "outside": {"pk": "@plan_out", "number": 1},
    },
    "workstreams:project_delete": {
        "inside": {"pk": "@plan_in", "number": 1},
        "outside": {"pk": "@plan_out", "number": 1},
    },
    "workstreams:export": {"inside": {"pk": "@plan_in"}, "outside": {"pk": "@plan_out"}},
    "workstreams:import": {"inside": {"pk": "@plan_in"}, "outside": {"pk": "@plan_out"}},
    "workstreams:compare": {"inside": {"pk": "@plan_in"}, "outside": {"pk": "@plan_out"}},
    "workstreams:next": {"inside": {"pk": "@endorsed_in"}, "outside": {"pk": "@endorsed_out"}},
    "workstreams:transition": {
        "inside": {"pk": "@plan_in", "action": "submit"},
        "outside": {"pk": "@plan_out", "action": "submit"},
        "own": {"pk": "@plan_submitted_own", "action": "accept"},
        "own-accepted": {"pk": "@plan_accepted_own", "action": "endorse"},
    },
    # indicators
    "indicators:dashboard": {"-": {}},
    "indicators:indicator": {"-": {"code": "@indicator"}},
    "indicators:targets": {"-": {"code": "@indicator"}},
    "indicators:plan": {"-": {"code": "WS-ECONOMY-G7"}},
    "indicators:results": {"-": {}},
    "indicators:result_new": {"-": {"?": {"indicator": "@indicator"}}},
    "indicators:upload": {"-": {}},
    "indicators:upload_template": {"-": {"?": {"indicator": "@indicator"}}},
    "indicators:result": {"inside": {"pk": "@result_in"}, "outside": {"pk": "@result_out"}},
    "indicators:result_edit": {"inside": {"pk": "@result_in"}, "outside": {"pk": "@result_out"}},
    "indicators:evidence": {"inside": {"pk": "@result_in"}, "outside": {"pk": "@result_out"}},
    "indicators:result_move": {
        "inside": {"pk": "@result_in", "move": "approve"},
        "outside": {"pk": "@result_out", "move": "approve"},
        "own": {"pk": "@result_own", "move": "approve"},
    },
    "indicators:queue": {"-": {}},
    "indicators:queue_approve": {"-": {}},
    # budgets
    "budgets:index": {"-": {}},
    "budgets:request_create": {
        "inside": {"?": {"province": "@province_in", "fiscal_year": 2570}},
        "outside": {"?": {"province": "@province_out", "fiscal_year": 2570}},
    },
    "budgets:request": {"inside": {"pk": "@request_in"}, "outside": {"pk": "@request_out"}},
    "budgets:request_edit": {"inside": {"pk": "@request_in"}, "outside": {"pk": "@request_out"}},
    "budgets:spending_plan": {"inside": {"pk": "@request_in"}, "outside": {"pk": "@request_out"}},
    "budgets:actuals": {"inside": {"pk": "@request_in", "quarter": 1}, "outside": {"pk": "@request_out", "quarter": 1}},
    "budgets:monitoring": {
        "inside": {"pk": "@request_in", "quarter": 1},
        "outside": {"pk": "@request_out", "quarter": 1},
    },
    "budgets:evaluation": {"inside": {"pk": "@request_in"}, "outside": {"pk": "@request_out"}},
    "budgets:request_move": {
        "inside": {"pk": "@request_in", "move": "submit"},
        "outside": {"pk": "@request_out", "move": "submit"},
        "own": {"pk": "@request_submitted_own", "move": "prioritise"},
        "own-forwarded": {"pk": "@request_forwarded_own", "move": "approve"},
    },
    "budgets:consolidation": {"-": {}},
    "budgets:fairness": {"-": {}},
    "budgets:ceilings": {"-": {}},
    # coverage: what serves a plan item, and the coverage of the plan in force (figures inside the user's area)
    "coverage:served_by": {"-": {"code": "WS-ECONOMY-G1-P1"}},
    "coverage:index": {"-": {}},
    "budgets:plans": {"-": {}},
    "budgets:plan_create": {"inside": {"?": {"province": "50"}}, "outside": {"?": {"province": "10"}}},
    "budgets:plan": {"inside": {"pk": "@devplan_in"}, "outside": {"pk": "@devplan_out"}},
    "budgets:plan_edit": {"inside": {"pk": "@devplan_in"}, "outside": {"pk": "@devplan_out"}},
    "budgets:issue_create": {"inside": {"pk": "@devplan_in"}, "outside": {"pk": "@devplan_out"}},
    "budgets:issue_edit": {
        "inside": {"pk": "@devplan_in", "issue_pk": "@issue_in"},
        "outside": {"pk": "@devplan_out", "issue_pk": "@issue_out"},
    },
    # reports
    "reports:list": {"-": {}},
    "reports:detail": {"inside": {"pk": "@report_in"}, "outside": {"pk": "@report_out"}},
    "reports:status": {"inside": {"pk": "@report_in"}, "outside": {"pk": "@report_out"}},
    "reports:download": {"inside": {"pk": "@report_in", "fmt": "pdf"}, "outside": {"pk": "@report_out", "fmt": "pdf"}},
    # opengov: eMENSCR exports (staff and coordinators, their own area) and the public IATI file.
    "opengov:emenscr": {"-": {}},
    "opengov:emenscr-detail": {"inside": {"pk": "@export_in"}, "outside": {"pk": "@export_out"}},
    "opengov:emenscr-status": {"inside": {"pk": "@export_in"}, "outside": {"pk": "@export_out"}},
    "opengov:emenscr-download": {
        "inside": {"pk": "@export_in", "fmt": "xlsx"},
        "outside": {"pk": "@export_out", "fmt": "xlsx"},
    },
    "opengov:iati-activities": {"-": {}},
    # mywork: each role's home page after login
    "mywork:home": {"-": {}},
    # API: areas and plan nodes are national reference data
    "region-list": {"-": {}},
    "region-detail": {"-": {"pk": "@region"}},
    "provincegroup-list": {"-": {}},
    "provincegroup-detail": {"-": {"pk": "@province_group"}},
    "province-list": {"-": {}},
    "province-detail": {"inside": {"pk": "@province_in"}, "outside": {"pk": "@province_out"}},
    "district-list": {"-": {}},
    "district-detail": {"inside": {"pk": "@district_in_pk"}, "outside": {"pk": "@district_out_pk"}},
    "subdistrict-list": {"-": {}},
    "subdistrict-detail": {"inside": {"pk": "@tambon_in"}, "outside": {"pk": "@tambon_out"}},
    "plannode-list": {"-": {}},
    "plannode-detail": {"-": {"code": "WS-ECONOMY"}},
    # API: tambon plans, projects, province plans
    "tambonplan-list": {"-": {}},
    "tambonplan-detail": {"inside": {"pk": "@plan_in"}, "outside": {"pk": "@plan_out"}},
    "tambonplan-accept": {
        "inside": {"pk": "@plan_in"},
        "outside": {"pk": "@plan_out"},
        "own": {"pk": "@plan_submitted_own"},
    },
    "tambonplan-endorse": {
        "inside": {"pk": "@plan_in"},
        "outside": {"pk": "@plan_out"},
        "own": {"pk": "@plan_accepted_own"},
    },
    "tambonplan-problems": {"inside": {"pk": "@plan_in"}, "outside": {"pk": "@plan_out"}},
    "tambonplan-return": {"inside": {"pk": "@plan_in"}, "outside": {"pk": "@plan_out"}},
    "tambonplan-submit": {"inside": {"pk": "@plan_in"}, "outside": {"pk": "@plan_out"}},
    "project-list": {"-": {}},
    "project-detail": {"inside": {"pk": "@project_in"}, "outside": {"pk": "@project_out"}},
    "provinceplan-list": {"-": {}},
    "provinceplan-detail": {"inside": {"pk": "@province_plan_in"}, "outside": {"pk": "@province_plan_out"}},
    # API: indicators, targets, results
    "indicator-list": {"-": {}},
    "indicator-plan-progress": {"-": {}},
    "indicator-detail": {"-": {"code": "@indicator"}},
    "indicator-rollup": {"-": {"code": "@indicator"}},
    "target-list": {"-": {}},
    "target-detail": {"inside": {"pk": "@target_in"}, "outside": {"pk": "@target_out"}},
    "target-remove": {"inside": {"pk": "@target_in"}, "outside": {"pk": "@target_out"}},
    "result-list": {"-": {}},
    "result-detail": {"inside": {"pk": "@result_in"}, "outside": {"pk": "@result_out"}},
    "result-approve": {
        "inside": {"pk": "@result_in"},
        "outside": {"pk": "@result_out"},
        "own": {"pk": "@result_own"},
    },
    "result-change": {"inside": {"pk": "@result_in"}, "outside": {"pk": "@result_out"}},
    "result-return-": {"inside": {"pk": "@result_in"}, "outside": {"pk": "@result_out"}},
    "result-submit": {"inside": {"pk": "@result_in"}, "outside": {"pk": "@result_out"}},
    "result-withdraw": {"inside": {"pk": "@result_in"}, "outside": {"pk": "@result_out"}},
    # API: budgets
    "provincialdevelopmentplan-list": {"-": {}},
    "provincialdevelopmentplan-detail": {"inside": {"pk": "@devplan_in"}, "outside": {"pk": "@devplan_out"}},
    "budgetceiling-list": {"-": {}},
    "budgetceiling-detail": {"inside": {"pk": "@ceiling_in"}, "outside": {"pk": "@ceiling_out"}},
    "budgetrequest-list": {"-": {}},
    "budgetrequest-detail": {"inside": {"pk": "@request_in"}, "outside": {"pk": "@request_out"}},
    "budget-consolidation-list": {"-": {}},
    "fairness-list": {"-": {}},
    "fairness-provinces": {"-": {}},
    "fairness-tambons": {"-": {}},
    # API: coverage
    "coverage-served-by-list": {"-": {"code": "WS-ECONOMY-G1-P1"}},
    "coverage-served-by-summary": {"-": {"code": "WS-ECONOMY-G1-P1"}},
    "coverage-list": {"-": {}},
    "coverage-shares": {"-": {}},
    # API: reports
    "report-list": {"-": {}},
    "report-detail": {"inside": {"pk": "@report_in"}, "outside": {"pk": "@report_out"}},
    "report-files": {"inside": {"pk": "@report_in", "fmt": "pdf"}, "outside": {"pk": "@report_out", "fmt": "pdf"}},
}
# public pages and open data (public/): the same for every role, anonymous included; a draft plan's project is 404.
ROUTES.update(
    {
        "public:country": {"-": {}},
        "public:region": {"-": {"code": "north"}},
        "public:province": {"inside": {"code": "50"}, "outside": {"code": "10"}},
        "public:tambon": {"inside": {"code": "500105"}, "outside": {"code": "100101"}},
        "public:project": {"inside": {"pk": "@project_in"}, "outside": {"pk": "@project_out"}},
        "public:data": {"-": {}},
        "public:dataset": {"-": {"dataset_id": "projects"}},
        "public:download": {"-": {"dataset_id": "projects", "fmt": "csv"}},
        "public:catalog": {"-": {}},
        "public:sitemap": {"-": {}},
        "public:robots": {"-": {}},
        "public:ckan_package_list": {"-": {}},
        "public:ckan_package_show": {"-": {"?": {"id": "projects"}}},
        "public:ckan_current_package_list_with_resources": {"-": {}},
    }
)
BUDGET_REQUEST_ACTIONS = [
    "actuals",
    "approve",
    "close",
    "ex-post",
    "forward",
    "monitoring",
    "prioritise",
    "reject",
    "return-to-draft",
    "spending-plan",
    "start-execution",
    "submit",
]
for _action in BUDGET_REQUEST_ACTIONS:
    ROUTES[f"budgetrequest-{_action}"] = {"inside": {"pk": "@request_in"}, "outside": {"pk": "@request_out"}}
# Four-eyes: the request's writer neither ranks, forwards nor approves it.
ROUTES["budgetrequest-prioritise"]["own"] = {"pk": "@request_submitted_own"}
ROUTES["budgetrequest-forward"]["own"] = {"pk": "@request_prioritised_own"}
ROUTES["budgetrequest-approve"]["own"] = {"pk": "@request_forwarded_own"}


# Project progress (progress app): "inside" is a submitted report in the rep's tambon, "outside" one in Bangkok.
_PROGRESS_REPORT = {"inside": {"pk": "@progress_report_in"}, "outside": {"pk": "@progress_report_out"}}
ROUTES.update(
    {
        "progress:home": {"-": {}},
        "progress:queue": {"-": {}},
        "progress:project": {"inside": {"pk": "@progress_project_in"}, "outside": {"pk": "@progress_project_out"}},
        "progress:report_form": {
            scope: {"pk": f"@progress_project_{key}", "fiscal_year": "@progress_year", "quarter": "@progress_quarter"}
            for scope, key in (("inside", "in"), ("outside", "out"))
        },
        "progress:report": _PROGRESS_REPORT,
        "progress:amend": _PROGRESS_REPORT,
        "progress:move": {
            "inside": {"pk": "@progress_report_in", "move": "approve"},
            "outside": {"pk": "@progress_report_out", "move": "approve"},
            "own": {"pk": "@progress_report_own", "move": "approve"},
        },
        "progress:evidence": {"inside": {"pk": "@progress_evidence_in"}, "outside": {"pk": "@progress_evidence_out"}},
        "progress:excel_template": {"-": {}},
        "progress:excel_upload": {"-": {}},
        "progress-report-list": {"-": {}},
        "progress-report-detail": _PROGRESS_REPORT,
        "progress-report-submit": _PROGRESS_REPORT,
        "progress-report-approve": {**_PROGRESS_REPORT, "own": {"pk": "@progress_report_own"}},
        "progress-report-return-": _PROGRESS_REPORT,
        "progress-report-amend": _PROGRESS_REPORT,
        "progress-report-evidence": _PROGRESS_REPORT,
    }
)
GET_ONLY.add("progress:excel_template")


# Cells where the code does not do what the table says (each runs as xfail(strict=True) naming the bug).
# (url names, method, scopes, roles, what the table expects, the bug).
_BODY_FIRST = (
    "the API action validates the request body before it fetches the object through visible_to() and before "
    "the service checks permission, so this caller gets 400 instead of {expected}"
)
BUG_RULES: list = []  # empty: the API now fetches through visible_to() and checks permission before the body
BUGS: dict[tuple[str, str, str, str], str] = {
    (role, method, name, scope): _BODY_FIRST.format(expected=expected)
    for names, method, scopes, roles, expected in BUG_RULES
    for name in names
    for scope in scopes
    for role in roles
}
BUG_EXPECTED = {
    (role, method, name, scope): expected
    for names, method, scopes, roles, expected in BUG_RULES
    for name in names
    for scope in scopes
    for role in roles
}

# url name, scope, method, then one outcome per role (anonymous, rep, coordinator, regional, central, viewer, api).
TABLE = """
# l name                           scope    method anon   rep    coord  region centrl viewer api
home                               -        GET    ok     ok     ok     ok     ok     ok     ok
home                               -        POST   ok     ok     ok     ok     ok     ok     ok
health                             -        GET    ok     ok     ok     ok     ok     ok     ok
set_language                       -        GET    ok     ok     ok     ok     ok     ok     ok
set_language                       -        POST   ok     ok     ok     ok     ok     ok     ok
login                              -        GET    ok     ok     ok     ok     ok     ok     ok
login                              -        POST   ok     ok     ok     ok     ok     ok     ok
logout                             -        GET    405    405    405    405    405    405    405
logout                             -        POST   ok     ok     ok     ok     ok     ok     ok
admin:index                        -        GET    login  login  login  login  ok     login  login
schema                             -        GET    ok     ok     ok     ok     ok     ok     ok
api-docs                           -        GET    ok     ok     ok     ok     ok     ok     ok
api-root                           -        GET    401    ok     ok     ok     ok     ok     ok
accounts:profile                   -        GET    login  ok     ok     ok     ok     ok     login
accounts:profile                   -        POST   login  ok     ok     ok     ok     ok     login
map                                -        GET    login  ok     ok     ok     ok     ok     login
map                                -        POST   login  ok     ok     ok     ok     ok     login
strategies:tree                    -        GET    ok     ok     ok     ok     ok     ok     ok
strategies:tree                    -        POST   ok     ok     ok     ok     ok     ok     ok
strategies:add_root                -        GET    login  403    403    403    ok     403    login
strategies:add_root                -        POST   login  403    403    403    ok     403    login
strategies:node                    -        GET    ok     ok     ok     ok     ok     ok     ok
strategies:node                    -        POST   ok     ok     ok     ok     ok     ok     ok
strategies:edit                    -        GET    login  403    403    403    ok     403    login
strategies:edit                    -        POST   login  403    403    403    ok     403    login
strategies:add                     -        GET    login  403    403    403    ok     403    login
strategies:add                     -        POST   login  403    403    403    ok     403    login
strategies:alignment               -        GET    login  403    403    403    ok     403    login
strategies:alignment               -        POST   login  403    403    403    ok     403    login
strategies:move                    -        GET    login  403    403    403    ok     403    login
strategies:move                    -        POST   login  403    403    403    ok     403    login
strategies:delete                  -        GET    login  403    403    403    ok     403    login
strategies:delete                  -        POST   login  403    403    403    ok     403    login
strategies:history                 -        GET    login  403    403    403    ok     403    login
strategies:history                 -        POST   login  405    405    405    405    405    login
strategies:roll_forward            -        GET    login  403    403    403    ok     403    login
strategies:roll_forward            -        POST   login  403    403    403    ok     403    login
strategies:publish                 -        GET    login  403    403    403    403    403    login
strategies:publish                 -        POST   login  403    403    403    403    403    login
strategies:chain                   -        GET    ok     ok     ok     ok     ok     ok     ok
strategies:chain                   -        POST   ok     ok     ok     ok     ok     ok     ok
strategies:chain_upload            -        GET    login  403    403    403    ok     403    login
strategies:chain_upload            -        POST   login  403    403    403    ok     403    login
strategies:chain_template          -        GET    login  403    403    403    ok     403    login
areas:index                        -        GET    ok     ok     ok     ok     ok     ok     ok
areas:index                        -        POST   ok     ok     ok     ok     ok     ok     ok
areas:mine                         -        GET    login  ok     ok     ok     ok     ok     login
areas:mine                         -        POST   login  ok     ok     ok     ok     ok     login
areas:province                     inside   GET    ok     ok     ok     ok     ok     ok     ok
areas:province                     inside   POST   ok     ok     ok     ok     ok     ok     ok
areas:province                     outside  GET    ok     ok     ok     ok     ok     ok     ok
areas:province                     outside  POST   ok     ok     ok     ok     ok     ok     ok
areas:district                     inside   GET    ok     ok     ok     ok     ok     ok     ok
areas:district                     inside   POST   ok     ok     ok     ok     ok     ok     ok
areas:district                     outside  GET    ok     ok     ok     ok     ok     ok     ok
areas:district                     outside  POST   ok     ok     ok     ok     ok     ok     ok
areas:province_region              inside   GET    login  403    403    403    ok     403    login
areas:province_region              inside   POST   login  403    403    403    ok     403    login
areas:province_region              outside  GET    login  403    403    403    ok     403    login
areas:province_region              outside  POST   login  403    403    403    ok     403    login
areas:population                   -        GET    login  ok     ok     ok     ok     ok     login
areas:population                   -        POST   login  403    403    403    ok     403    login
areas:population_template          -        GET    login  ok     ok     ok     ok     ok     login
workstreams:list                   -        GET    login  ok     ok     ok     ok     ok     login
workstreams:list                   -        POST   login  ok     ok     ok     ok     ok     login
workstreams:start                  -        GET    login  ok     403    403    ok     403    login
workstreams:start                  -        POST   login  ok     403    403    ok     403    login
workstreams:template               -        GET    login  ok     ok     ok     ok     ok     login
workstreams:template               -        POST   login  ok     ok     ok     ok     ok     login
workstreams:review                 -        GET    login  403    ok     ok     ok     403    login
workstreams:review                 -        POST   login  403    ok     ok     ok     403    login
workstreams:province               inside   GET    login  ok     ok     ok     ok     ok     login
workstreams:province               inside   POST   login  403    ok     403    ok     403    login
workstreams:province               outside  GET    login  404    404    404    ok     ok     login
workstreams:province               outside  POST   login  404    404    404    ok     403    login
workstreams:province_in_force      inside   GET    login  ok     ok     ok     ok     ok     login
workstreams:province_in_force      inside   POST   login  405    405    405    405    405    login
workstreams:province_in_force      outside  GET    login  404    404    404    ok     ok     login
workstreams:province_in_force      outside  POST   login  405    405    405    405    405    login
workstreams:detail                 inside   GET    login  ok     ok     ok     ok     ok     login
workstreams:detail                 inside   POST   login  ok     ok     ok     ok     ok     login
workstreams:detail                 outside  GET    login  404    404    404    ok     ok     login
workstreams:detail                 outside  POST   login  404    404    404    ok     ok     login
workstreams:edit                   inside   GET    login  ok     403    403    ok     403    login
workstreams:edit                   inside   POST   login  ok     403    403    ok     403    login
workstreams:edit                   outside  GET    login  404    404    404    ok     403    login
workstreams:edit                   outside  POST   login  404    404    404    ok     403    login
workstreams:problems               inside   GET    login  ok     403    403    ok     403    login
workstreams:problems               inside   POST   login  ok     403    403    ok     403    login
workstreams:problems               outside  GET    login  404    404    404    ok     403    login
workstreams:problems               outside  POST   login  404    404    404    ok     403    login
workstreams:project_new            inside   GET    login  ok     403    403    ok     403    login
workstreams:project_new            inside   POST   login  ok     403    403    ok     403    login
workstreams:project_new            outside  GET    login  404    404    404    ok     403    login
workstreams:project_new            outside  POST   login  404    404    404    ok     403    login
workstreams:project_edit           inside   GET    login  ok     403    403    ok     403    login
workstreams:project_edit           inside   POST   login  ok     403    403    ok     403    login
workstreams:project_edit           outside  GET    login  404    404    404    ok     403    login
workstreams:project_edit           outside  POST   login  404    404    404    ok     403    login
workstreams:project_delete         inside   GET    login  ok     403    403    ok     403    login
workstreams:project_delete         inside   POST   login  ok     403    403    ok     403    login
workstreams:project_delete         outside  GET    login  404    404    404    ok     403    login
workstreams:project_delete         outside  POST   login  404    404    404    ok     403    login
workstreams:export                 inside   GET    login  ok     ok     ok     ok     ok     login
workstreams:export                 inside   POST   login  ok     ok     ok     ok     ok     login
workstreams:export                 outside  GET    login  404    404    404    ok     ok     login
workstreams:export                 outside  POST   login  404    404    404    ok     ok     login
workstreams:import                 inside   GET    login  ok     403    403    ok     403    login
workstreams:import                 inside   POST   login  ok     403    403    ok     403    login
workstreams:import                 outside  GET    login  404    404    404    ok     403    login
workstreams:import                 outside  POST   login  404    404    404    ok     403    login
workstreams:compare                inside   GET    login  ok     ok     ok     ok     ok     login
workstreams:compare                inside   POST   login  ok     ok     ok     ok     ok     login
workstreams:compare                outside  GET    login  404    404    404    ok     ok     login
workstreams:compare                outside  POST   login  404    404    404    ok     ok     login
workstreams:next                   inside   GET    login  ok     403    403    ok     403    login
workstreams:next                   inside   POST   login  ok     403    403    ok     403    login
workstreams:next                   outside  GET    login  404    404    404    ok     403    login
workstreams:next                   outside  POST   login  404    404    404    ok     403    login
workstreams:transition             inside   GET    login  ok     403    403    ok     403    login
workstreams:transition             inside   POST   login  ok     403    403    ok     403    login
workstreams:transition             outside  GET    login  404    404    404    ok     403    login
workstreams:transition             outside  POST   login  404    404    404    ok     403    login
indicators:dashboard               -        GET    login  ok     ok     ok     ok     ok     login
indicators:dashboard               -        POST   login  ok     ok     ok     ok     ok     login
indicators:indicator               -        GET    login  ok     ok     ok     ok     ok     login
indicators:indicator               -        POST   login  ok     ok     ok     ok     ok     login
indicators:targets                 -        GET    login  ok     ok     ok     ok     ok     login
indicators:targets                 -        POST   login  403    ok     ok     ok     403    login
indicators:plan                    -        GET    login  ok     ok     ok     ok     ok     login
indicators:plan                    -        POST   login  ok     ok     ok     ok     ok     login
indicators:results                 -        GET    login  ok     ok     ok     ok     ok     login
indicators:results                 -        POST   login  ok     ok     ok     ok     ok     login
indicators:result_new              -        GET    login  ok     ok     ok     ok     403    login
indicators:result_new              -        POST   login  ok     ok     ok     ok     403    login
indicators:upload                  -        GET    login  ok     ok     ok     ok     403    login
indicators:upload                  -        POST   login  ok     ok     ok     ok     403    login
indicators:upload_template         -        GET    login  ok     ok     ok     ok     ok     login
indicators:result                  inside   GET    login  ok     ok     ok     ok     404    login
indicators:result                  inside   POST   login  ok     ok     ok     ok     404    login
indicators:result                  outside  GET    login  404    404    404    ok     404    login
indicators:result                  outside  POST   login  404    404    404    ok     404    login
indicators:result_edit             inside   GET    login  403    403    403    403    404    login
indicators:result_edit             inside   POST   login  403    403    403    403    404    login
indicators:result_edit             outside  GET    login  404    404    404    403    404    login
indicators:result_edit             outside  POST   login  404    404    404    403    404    login
indicators:evidence                inside   GET    login  404    404    404    404    404    login
indicators:evidence                inside   POST   login  404    404    404    404    404    login
indicators:evidence                outside  GET    login  404    404    404    404    404    login
indicators:evidence                outside  POST   login  404    404    404    404    404    login
indicators:result_move             inside   GET    login  405    405    405    405    405    login
indicators:result_move             inside   POST   login  403    ok     ok     ok     404    login
indicators:result_move             outside  GET    login  405    405    405    405    405    login
indicators:result_move             outside  POST   login  404    404    404    ok     404    login
indicators:queue                   -        GET    login  403    ok     ok     ok     403    login
indicators:queue                   -        POST   login  403    ok     ok     ok     403    login
indicators:queue_approve           -        GET    login  405    405    405    405    405    login
indicators:queue_approve           -        POST   login  403    ok     ok     ok     403    login
budgets:index                      -        GET    login  ok     ok     ok     ok     ok     login
budgets:index                      -        POST   login  ok     ok     ok     ok     ok     login
budgets:request_create             inside   GET    login  403    ok     ok     ok     403    login
budgets:request_create             inside   POST   login  403    ok     ok     ok     403    login
budgets:request_create             outside  GET    login  ok     ok     ok     ok     403    login
budgets:request_create             outside  POST   login  ok     ok     ok     ok     403    login
budgets:request                    inside   GET    login  404    ok     ok     ok     ok     login
budgets:request                    inside   POST   login  404    ok     ok     ok     ok     login
budgets:request                    outside  GET    login  404    404    404    ok     ok     login
budgets:request                    outside  POST   login  404    404    404    ok     ok     login
budgets:request_edit               inside   GET    login  404    ok     ok     ok     403    login
budgets:request_edit               inside   POST   login  404    ok     ok     ok     403    login
budgets:request_edit               outside  GET    login  404    404    404    ok     403    login
budgets:request_edit               outside  POST   login  404    404    404    ok     403    login
budgets:spending_plan              inside   GET    login  404    ok     ok     ok     403    login
budgets:spending_plan              inside   POST   login  404    ok     ok     ok     403    login
budgets:spending_plan              outside  GET    login  404    404    404    ok     403    login
budgets:spending_plan              outside  POST   login  404    404    404    ok     403    login
budgets:actuals                    inside   GET    login  404    ok     ok     ok     403    login
budgets:actuals                    inside   POST   login  404    ok     ok     ok     403    login
budgets:actuals                    outside  GET    login  404    404    404    ok     403    login
budgets:actuals                    outside  POST   login  404    404    404    ok     403    login
budgets:monitoring                 inside   GET    login  404    ok     ok     ok     403    login
budgets:monitoring                 inside   POST   login  404    ok     ok     ok     403    login
budgets:monitoring                 outside  GET    login  404    404    404    ok     403    login
budgets:monitoring                 outside  POST   login  404    404    404    ok     403    login
budgets:evaluation                 inside   GET    login  404    ok     ok     ok     403    login
budgets:evaluation                 inside   POST   login  404    ok     ok     ok     403    login
budgets:evaluation                 outside  GET    login  404    404    404    ok     403    login
budgets:evaluation                 outside  POST   login  404    404    404    ok     403    login
budgets:request_move               inside   GET    login  405    405    405    405    405    login
budgets:request_move               inside   POST   login  404    ok     ok     ok     403    login
budgets:request_move               outside  GET    login  405    405    405    405    405    login
budgets:request_move               outside  POST   login  404    404    404    ok     403    login
budgets:consolidation              -        GET    login  ok     ok     ok     ok     ok     login
budgets:consolidation              -        POST   login  ok     ok     ok     ok     ok     login
budgets:fairness                   -        GET    login  ok     ok     ok     ok     ok     login
budgets:fairness                   -        POST   login  ok     ok     ok     ok     ok     login
coverage:served_by                 -        GET    login  ok     ok     ok     ok     ok     login
coverage:served_by                 -        POST   login  405    405    405    405    405    login
coverage:index                     -        GET    login  ok     ok     ok     ok     ok     login
coverage:index                     -        POST   login  405    405    405    405    405    login
budgets:ceilings                   -        GET    login  ok     ok     ok     ok     ok     login
budgets:ceilings                   -        POST   login  403    403    403    ok     403    login
budgets:plans                      -        GET    login  ok     ok     ok     ok     ok     login
budgets:plans                      -        POST   login  ok     ok     ok     ok     ok     login
budgets:plan_create                inside   GET    login  403    ok     ok     ok     403    login
budgets:plan_create                inside   POST   login  403    ok     ok     ok     403    login
budgets:plan_create                outside  GET    login  403    403    403    ok     403    login
budgets:plan_create                outside  POST   login  403    403    403    ok     403    login
budgets:plan                       inside   GET    login  ok     ok     ok     ok     ok     login
budgets:plan                       inside   POST   login  ok     ok     ok     ok     ok     login
budgets:plan                       outside  GET    login  ok     ok     ok     ok     ok     login
budgets:plan                       outside  POST   login  ok     ok     ok     ok     ok     login
budgets:plan_edit                  inside   GET    login  403    ok     ok     ok     403    login
budgets:plan_edit                  inside   POST   login  403    ok     ok     ok     403    login
budgets:plan_edit                  outside  GET    login  403    403    403    ok     403    login
budgets:plan_edit                  outside  POST   login  403    403    403    ok     403    login
budgets:issue_create               inside   GET    login  403    ok     ok     ok     403    login
budgets:issue_create               inside   POST   login  403    ok     ok     ok     403    login
budgets:issue_create               outside  GET    login  403    403    403    ok     403    login
budgets:issue_create               outside  POST   login  403    403    403    ok     403    login
budgets:issue_edit                 inside   GET    login  403    ok     ok     ok     403    login
budgets:issue_edit                 inside   POST   login  403    ok     ok     ok     403    login
budgets:issue_edit                 outside  GET    login  403    403    403    ok     403    login
budgets:issue_edit                 outside  POST   login  403    403    403    ok     403    login
mywork:home                        -        GET    login  ok     ok     ok     ok     ok     login
mywork:home                        -        POST   login  405    405    405    405    405    login
reports:list                       -        GET    login  ok     ok     ok     ok     ok     login
reports:list                       -        POST   login  ok     ok     ok     ok     403    login
reports:detail                     inside   GET    login  404    ok     ok     ok     ok     login
reports:detail                     inside   POST   login  405    405    405    405    405    login
reports:detail                     outside  GET    login  404    404    404    ok     ok     login
reports:detail                     outside  POST   login  405    405    405    405    405    login
reports:status                     inside   GET    login  404    ok     ok     ok     ok     login
reports:status                     inside   POST   login  405    405    405    405    405    login
reports:status                     outside  GET    login  404    404    404    ok     ok     login
reports:status                     outside  POST   login  405    405    405    405    405    login
reports:download                   inside   GET    login  404    404    404    404    404    login
reports:download                   inside   POST   login  405    405    405    405    405    login
reports:download                   outside  GET    login  404    404    404    404    404    login
reports:download                   outside  POST   login  405    405    405    405    405    login
opengov:emenscr                    -        GET    login  403    ok     ok     ok     403    login
opengov:emenscr                    -        POST   login  403    ok     ok     ok     403    login
opengov:emenscr-detail             inside   GET    login  404    ok     ok     ok     404    login
opengov:emenscr-detail             inside   POST   login  405    405    405    405    405    login
opengov:emenscr-detail             outside  GET    login  404    404    404    ok     404    login
opengov:emenscr-detail             outside  POST   login  405    405    405    405    405    login
opengov:emenscr-status             inside   GET    login  404    ok     ok     ok     404    login
opengov:emenscr-status             inside   POST   login  405    405    405    405    405    login
opengov:emenscr-status             outside  GET    login  404    404    404    ok     404    login
opengov:emenscr-status             outside  POST   login  405    405    405    405    405    login
opengov:emenscr-download           inside   GET    login  404    404    404    404    404    login
opengov:emenscr-download           inside   POST   login  405    405    405    405    405    login
opengov:emenscr-download           outside  GET    login  404    404    404    404    404    login
opengov:emenscr-download           outside  POST   login  405    405    405    405    405    login
opengov:iati-activities            -        GET    ok     ok     ok     ok     ok     ok     ok
opengov:iati-activities            -        POST   405    405    405    405    405    405    405
region-list                        -        GET    401    ok     ok     ok     ok     ok     ok
region-detail                      -        GET    401    ok     ok     ok     ok     ok     ok
provincegroup-list                 -        GET    401    ok     ok     ok     ok     ok     ok
provincegroup-detail               -        GET    401    ok     ok     ok     ok     ok     ok
province-list                      -        GET    401    ok     ok     ok     ok     ok     ok
province-detail                    inside   GET    401    ok     ok     ok     ok     ok     ok
province-detail                    outside  GET    401    ok     ok     ok     ok     ok     ok
district-list                      -        GET    401    ok     ok     ok     ok     ok     ok
district-detail                    inside   GET    401    ok     ok     ok     ok     ok     ok
district-detail                    outside  GET    401    ok     ok     ok     ok     ok     ok
subdistrict-list                   -        GET    401    ok     ok     ok     ok     ok     ok
subdistrict-detail                 inside   GET    401    ok     ok     ok     ok     ok     ok
subdistrict-detail                 outside  GET    401    ok     ok     ok     ok     ok     ok
plannode-list                      -        GET    401    ok     ok     ok     ok     ok     ok
plannode-detail                    -        GET    401    ok     ok     ok     ok     ok     ok
tambonplan-list                    -        GET    401    ok     ok     ok     ok     ok     ok
tambonplan-list                    -        POST   401    ok     403    403    ok     403    403
tambonplan-detail                  inside   GET    401    ok     ok     ok     ok     ok     ok
tambonplan-detail                  inside   PATCH  401    ok     403    403    ok     403    403
tambonplan-detail                  outside  GET    401    404    404    404    ok     ok     ok
tambonplan-detail                  outside  PATCH  401    404    404    404    ok     403    403
tambonplan-accept                  inside   GET    401    405    405    405    405    405    405
tambonplan-accept                  inside   POST   401    403    ok     403    ok     403    403
tambonplan-accept                  outside  GET    401    405    405    405    405    405    405
tambonplan-accept                  outside  POST   401    404    404    404    ok     403    403
tambonplan-endorse                 inside   GET    401    405    405    405    405    405    405
tambonplan-endorse                 inside   POST   401    403    403    ok     ok     403    403
tambonplan-endorse                 outside  GET    401    405    405    405    405    405    405
tambonplan-endorse                 outside  POST   401    404    404    404    ok     403    403
tambonplan-problems                inside   GET    401    405    405    405    405    405    405
tambonplan-problems                inside   PUT    401    ok     403    403    ok     403    403
tambonplan-problems                outside  GET    401    405    405    405    405    405    405
tambonplan-problems                outside  PUT    401    404    404    404    ok     403    403
tambonplan-return                  inside   GET    401    405    405    405    405    405    405
# regional staff: can_review_tambon_plan lets only the province's coordinator (and central staff) return a plan
tambonplan-return                  inside   POST   401    403    ok     403    ok     403    403
tambonplan-return                  outside  GET    401    405    405    405    405    405    405
tambonplan-return                  outside  POST   401    404    404    404    ok     403    403
tambonplan-submit                  inside   GET    401    405    405    405    405    405    405
tambonplan-submit                  inside   POST   401    ok     403    403    ok     403    403
tambonplan-submit                  outside  GET    401    405    405    405    405    405    405
tambonplan-submit                  outside  POST   401    404    404    404    ok     403    403
project-list                       -        GET    401    ok     ok     ok     ok     ok     ok
project-list                       -        POST   401    ok     403    403    ok     403    403
project-detail                     inside   GET    401    ok     ok     ok     ok     ok     ok
project-detail                     inside   DELETE 401    ok     403    403    ok     403    403
project-detail                     inside   PATCH  401    ok     403    403    ok     403    403
project-detail                     inside   PUT    401    ok     403    403    ok     403    403
project-detail                     outside  GET    401    404    404    404    ok     ok     ok
project-detail                     outside  DELETE 401    404    404    404    ok     403    403
project-detail                     outside  PATCH  401    404    404    404    ok     403    403
project-detail                     outside  PUT    401    404    404    404    ok     403    403
provinceplan-list                  -        GET    401    ok     ok     ok     ok     ok     ok
provinceplan-detail                inside   GET    401    ok     ok     ok     ok     ok     ok
provinceplan-detail                inside   PATCH  401    403    ok     403    ok     403    403
provinceplan-detail                inside   PUT    401    403    ok     403    ok     403    403
provinceplan-detail                outside  GET    401    404    404    404    ok     ok     ok
provinceplan-detail                outside  PATCH  401    404    404    404    ok     403    403
provinceplan-detail                outside  PUT    401    404    404    404    ok     403    403
indicator-list                     -        GET    401    ok     ok     ok     ok     ok     ok
indicator-plan-progress            -        GET    401    ok     ok     ok     ok     ok     ok
indicator-detail                   -        GET    401    ok     ok     ok     ok     ok     ok
indicator-rollup                   -        GET    401    ok     ok     ok     ok     ok     ok
target-list                        -        GET    401    ok     ok     ok     ok     ok     ok
target-list                        -        POST   401    403    ok     ok     ok     403    403
target-detail                      inside   GET    401    ok     ok     ok     ok     ok     ok
target-detail                      outside  GET    401    ok     ok     ok     ok     ok     ok
target-remove                      inside   GET    401    405    405    405    405    405    405
target-remove                      inside   POST   401    403    ok     ok     ok     403    403
target-remove                      outside  GET    401    405    405    405    405    405    405
# coordinator/regional of the north: can_set_target refuses a Bangkok target (outside their area)
target-remove                      outside  POST   401    403    403    403    ok     403    403
result-list                        -        GET    401    ok     ok     ok     ok     ok     ok
result-list                        -        POST   401    ok     ok     ok     ok     403    403
result-detail                      inside   GET    401    ok     ok     ok     ok     404    404
result-detail                      inside   PATCH  401    ok     ok     ok     ok     403    403
result-detail                      inside   PUT    401    405    405    405    405    403    403
result-detail                      outside  GET    401    404    404    404    ok     404    404
result-detail                      outside  PATCH  401    404    404    404    ok     403    403
result-detail                      outside  PUT    401    405    405    405    405    403    403
result-approve                     inside   GET    401    405    405    405    405    405    405
result-approve                     inside   POST   401    403    ok     ok     ok     403    403
result-approve                     outside  GET    401    405    405    405    405    405    405
result-approve                     outside  POST   401    404    404    404    ok     403    403
result-change                      inside   GET    401    405    405    405    405    405    405
# representative: correcting an approved result is a review move (can_review_result), never a reporter's
result-change                      inside   POST   401    403    ok     ok     ok     403    403
result-change                      outside  GET    401    405    405    405    405    405    405
result-change                      outside  POST   401    404    404    404    ok     403    403
result-return-                     inside   GET    401    405    405    405    405    405    405
result-return-                     inside   POST   401    403    ok     ok     ok     403    403
result-return-                     outside  GET    401    405    405    405    405    405    405
result-return-                     outside  POST   401    404    404    404    ok     403    403
result-submit                      inside   GET    401    405    405    405    405    405    405
result-submit                      inside   POST   401    ok     ok     ok     ok     403    403
result-submit                      outside  GET    401    405    405    405    405    405    405
result-submit                      outside  POST   401    404    404    404    ok     403    403
result-withdraw                    inside   GET    401    405    405    405    405    405    405
# representative: withdrawing an approved result is a review move (can_review_result), never a reporter's
result-withdraw                    inside   POST   401    403    ok     ok     ok     403    403
result-withdraw                    outside  GET    401    405    405    405    405    405    405
result-withdraw                    outside  POST   401    404    404    404    ok     403    403
provincialdevelopmentplan-list     -        GET    401    ok     ok     ok     ok     ok     ok
provincialdevelopmentplan-detail   inside   GET    401    ok     ok     ok     ok     ok     ok
provincialdevelopmentplan-detail   outside  GET    401    ok     ok     ok     ok     ok     ok
budgetceiling-list                 -        GET    401    ok     ok     ok     ok     ok     ok
budgetceiling-detail               inside   GET    401    ok     ok     ok     ok     ok     ok
budgetceiling-detail               outside  GET    401    404    404    404    ok     ok     ok
budgetrequest-list                 -        GET    401    ok     ok     ok     ok     ok     ok
budgetrequest-list                 -        POST   401    ok     ok     ok     ok     403    403
budgetrequest-detail               inside   GET    401    404    ok     ok     ok     ok     ok
budgetrequest-detail               inside   PUT    401    404    ok     ok     ok     403    403
budgetrequest-detail               outside  GET    401    404    404    404    ok     ok     ok
budgetrequest-detail               outside  PUT    401    404    404    404    ok     403    403
budget-consolidation-list          -        GET    401    ok     ok     ok     ok     ok     ok
fairness-list                      -        GET    401    ok     ok     ok     ok     ok     ok
fairness-provinces                 -        GET    401    ok     ok     ok     ok     ok     ok
fairness-tambons                   -        GET    401    ok     ok     ok     ok     ok     ok
coverage-served-by-list            -        GET    401    ok     ok     ok     ok     ok     ok
coverage-served-by-summary         -        GET    401    ok     ok     ok     ok     ok     ok
coverage-list                      -        GET    401    ok     ok     ok     ok     ok     ok
coverage-shares                    -        GET    401    ok     ok     ok     ok     ok     ok
report-list                        -        GET    401    ok     ok     ok     ok     ok     ok
report-list                        -        POST   401    ok     ok     ok     ok     403    403
report-detail                      inside   GET    401    404    ok     ok     ok     ok     ok
report-detail                      outside  GET    401    404    404    404    ok     ok     ok
report-files                       inside   GET    401    404    404    404    404    404    404
report-files                       outside  GET    401    404    404    404    404    404    404
budgetrequest-actuals              inside   GET    401    405    405    405    405    405    405
budgetrequest-actuals              inside   POST   401    404    ok     ok     ok     403    403
budgetrequest-actuals              outside  GET    401    405    405    405    405    405    405
budgetrequest-actuals              outside  POST   401    404    404    404    ok     403    403
budgetrequest-approve              inside   GET    401    405    405    405    405    405    405
# coordinator/regional: can_decide_budget_request lets only central staff approve
budgetrequest-approve              inside   POST   401    404    403    403    ok     403    403
budgetrequest-approve              outside  GET    401    405    405    405    405    405    405
budgetrequest-approve              outside  POST   401    404    404    404    ok     403    403
budgetrequest-close                inside   GET    401    405    405    405    405    405    405
budgetrequest-close                inside   POST   401    404    ok     ok     ok     403    403
budgetrequest-close                outside  GET    401    405    405    405    405    405    405
budgetrequest-close                outside  POST   401    404    404    404    ok     403    403
budgetrequest-ex-post              inside   GET    401    405    405    405    405    405    405
budgetrequest-ex-post              inside   POST   401    404    ok     ok     ok     403    403
budgetrequest-ex-post              outside  GET    401    405    405    405    405    405    405
budgetrequest-ex-post              outside  POST   401    404    404    404    ok     403    403
budgetrequest-forward              inside   GET    401    405    405    405    405    405    405
budgetrequest-forward              inside   POST   401    404    ok     ok     ok     403    403
budgetrequest-forward              outside  GET    401    405    405    405    405    405    405
budgetrequest-forward              outside  POST   401    404    404    404    ok     403    403
budgetrequest-monitoring           inside   GET    401    405    405    405    405    405    405
budgetrequest-monitoring           inside   POST   401    404    ok     ok     ok     403    403
budgetrequest-monitoring           outside  GET    401    405    405    405    405    405    405
budgetrequest-monitoring           outside  POST   401    404    404    404    ok     403    403
budgetrequest-prioritise           inside   GET    401    405    405    405    405    405    405
budgetrequest-prioritise           inside   POST   401    404    ok     ok     ok     403    403
budgetrequest-prioritise           outside  GET    401    405    405    405    405    405    405
budgetrequest-prioritise           outside  POST   401    404    404    404    ok     403    403
budgetrequest-reject               inside   GET    401    405    405    405    405    405    405
# coordinator/regional: can_decide_budget_request lets only central staff reject
budgetrequest-reject               inside   POST   401    404    403    403    ok     403    403
budgetrequest-reject               outside  GET    401    405    405    405    405    405    405
budgetrequest-reject               outside  POST   401    404    404    404    ok     403    403
budgetrequest-return-to-draft      inside   GET    401    405    405    405    405    405    405
budgetrequest-return-to-draft      inside   POST   401    404    ok     ok     ok     403    403
budgetrequest-return-to-draft      outside  GET    401    405    405    405    405    405    405
budgetrequest-return-to-draft      outside  POST   401    404    404    404    ok     403    403
budgetrequest-spending-plan        inside   GET    401    405    405    405    405    405    405
budgetrequest-spending-plan        inside   PUT    401    404    ok     ok     ok     403    403
budgetrequest-spending-plan        outside  GET    401    405    405    405    405    405    405
budgetrequest-spending-plan        outside  PUT    401    404    404    404    ok     403    403
budgetrequest-start-execution      inside   GET    401    405    405    405    405    405    405
budgetrequest-start-execution      inside   POST   401    404    ok     ok     ok     403    403
budgetrequest-start-execution      outside  GET    401    405    405    405    405    405    405
budgetrequest-start-execution      outside  POST   401    404    404    404    ok     403    403
budgetrequest-submit               inside   GET    401    405    405    405    405    405    405
budgetrequest-submit               inside   POST   401    404    ok     ok     ok     403    403
budgetrequest-submit               outside  GET    401    405    405    405    405    405    405
budgetrequest-submit               outside  POST   401    404    404    404    ok     403    403
# four-eyes: no one decides on their own work; roles that decide on others' records (inside rows) are refused here
workstreams:transition             own      GET    login  403    403    403    403    403    login
workstreams:transition             own      POST   login  403    403    403    403    403    login
workstreams:transition             own-accepted GET    login  403    403    403    403    403    login
workstreams:transition             own-accepted POST   login  403    403    403    403    403    login
indicators:result_move             own      GET    login  405    405    405    405    405    login
indicators:result_move             own      POST   login  403    403    403    403    404    login
budgets:request_move               own      GET    login  405    405    405    405    405    login
budgets:request_move               own      POST   login  404    403    403    403    403    login
budgets:request_move               own-forwarded GET    login  405    405    405    405    405    login
budgets:request_move               own-forwarded POST   login  404    403    403    403    403    login
tambonplan-accept                  own      GET    401    405    405    405    405    405    405
tambonplan-accept                  own      POST   401    403    403    403    403    403    403
tambonplan-endorse                 own      GET    401    405    405    405    405    405    405
tambonplan-endorse                 own      POST   401    403    403    403    403    403    403
result-approve                     own      GET    401    405    405    405    405    405    405
result-approve                     own      POST   401    403    403    403    403    403    403
budgetrequest-approve              own      GET    401    405    405    405    405    405    405
budgetrequest-approve              own      POST   401    404    403    403    403    403    403
budgetrequest-forward              own      GET    401    405    405    405    405    405    405
budgetrequest-forward              own      POST   401    404    403    403    403    403    403
budgetrequest-prioritise           own      GET    401    405    405    405    405    405    405
budgetrequest-prioritise           own      POST   401    404    403    403    403    403    403
# public pages and open data: every role the same; the matrix's projects belong to draft plans, so 404
public:country                     -        GET    ok     ok     ok     ok     ok     ok     ok
public:country                     -        POST   405    405    405    405    405    405    405
public:region                      -        GET    ok     ok     ok     ok     ok     ok     ok
public:region                      -        POST   405    405    405    405    405    405    405
public:province                    inside   GET    ok     ok     ok     ok     ok     ok     ok
public:province                    inside   POST   405    405    405    405    405    405    405
public:province                    outside  GET    ok     ok     ok     ok     ok     ok     ok
public:province                    outside  POST   405    405    405    405    405    405    405
public:tambon                      inside   GET    ok     ok     ok     ok     ok     ok     ok
public:tambon                      inside   POST   405    405    405    405    405    405    405
public:tambon                      outside  GET    ok     ok     ok     ok     ok     ok     ok
public:tambon                      outside  POST   405    405    405    405    405    405    405
public:project                     inside   GET    404    404    404    404    404    404    404
public:project                     inside   POST   405    405    405    405    405    405    405
public:project                     outside  GET    404    404    404    404    404    404    404
public:project                     outside  POST   405    405    405    405    405    405    405
public:data                        -        GET    ok     ok     ok     ok     ok     ok     ok
public:data                        -        POST   405    405    405    405    405    405    405
public:dataset                     -        GET    ok     ok     ok     ok     ok     ok     ok
public:dataset                     -        POST   405    405    405    405    405    405    405
public:download                    -        GET    ok     ok     ok     ok     ok     ok     ok
public:download                    -        POST   405    405    405    405    405    405    405
public:catalog                     -        GET    ok     ok     ok     ok     ok     ok     ok
public:catalog                     -        POST   405    405    405    405    405    405    405
public:sitemap                     -        GET    ok     ok     ok     ok     ok     ok     ok
public:sitemap                     -        POST   405    405    405    405    405    405    405
public:robots                      -        GET    ok     ok     ok     ok     ok     ok     ok
public:robots                      -        POST   405    405    405    405    405    405    405
public:ckan_package_list           -        GET    ok     ok     ok     ok     ok     ok     ok
public:ckan_package_list           -        POST   405    405    405    405    405    405    405
public:ckan_package_show           -        GET    ok     ok     ok     ok     ok     ok     ok
public:ckan_package_show           -        POST   405    405    405    405    405    405    405
public:ckan_current_package_list_with_resources -        GET    ok     ok     ok     ok     ok     ok     ok
public:ckan_current_package_list_with_resources -        POST   405    405    405    405    405    405    405
"""


# Project progress (progress app).
TABLE += """
progress:home                      -        GET    login  ok     ok     ok     ok     403    login
progress:home                      -        POST   login  ok     ok     ok     ok     403    login
progress:queue                     -        GET    login  403    ok     ok     ok     403    login
progress:queue                     -        POST   login  403    ok     ok     ok     403    login
progress:project                   inside   GET    login  ok     ok     ok     ok     ok     login
progress:project                   inside   POST   login  ok     ok     ok     ok     ok     login
progress:project                   outside  GET    login  404    404    404    ok     ok     login
progress:project                   outside  POST   login  404    404    404    ok     ok     login
progress:report_form               inside   GET    login  ok     ok     ok     ok     403    login
progress:report_form               inside   POST   login  ok     ok     ok     ok     403    login
progress:report_form               outside  GET    login  404    404    404    ok     403    login
progress:report_form               outside  POST   login  404    404    404    ok     403    login
progress:report                    inside   GET    login  ok     ok     ok     ok     404    login
progress:report                    inside   POST   login  ok     ok     ok     ok     404    login
progress:report                    outside  GET    login  404    404    404    ok     404    login
progress:report                    outside  POST   login  404    404    404    ok     404    login
progress:amend                     inside   GET    login  403    ok     ok     ok     404    login
progress:amend                     inside   POST   login  403    ok     ok     ok     404    login
progress:amend                     outside  GET    login  404    404    404    ok     404    login
progress:amend                     outside  POST   login  404    404    404    ok     404    login
progress:move                      inside   GET    login  405    405    405    405    405    login
progress:move                      inside   POST   login  403    ok     ok     ok     404    login
progress:move                      outside  GET    login  405    405    405    405    405    login
progress:move                      outside  POST   login  404    404    404    ok     404    login
progress:move                      own      GET    login  405    405    405    405    405    login
progress:move                      own      POST   login  403    403    403    403    404    login
progress:evidence                  inside   GET    login  ok     ok     ok     ok     404    login
progress:evidence                  inside   POST   login  ok     ok     ok     ok     404    login
progress:evidence                  outside  GET    login  404    404    404    ok     404    login
progress:evidence                  outside  POST   login  404    404    404    ok     404    login
progress:excel_template            -        GET    login  403    ok     ok     ok     403    login
progress:excel_upload              -        GET    login  403    ok     ok     ok     403    login
progress:excel_upload              -        POST   login  403    ok     ok     ok     403    login
progress-report-list               -        GET    401    ok     ok     ok     ok     ok     ok
progress-report-list               -        POST   401    ok     ok     ok     ok     403    403
progress-report-detail             inside   GET    401    ok     ok     ok     ok     404    404
progress-report-detail             inside   PATCH  401    ok     ok     ok     ok     403    403
progress-report-detail             inside   PUT    401    ok     ok     ok     ok     403    403
progress-report-detail             outside  GET    401    404    404    404    ok     404    404
progress-report-detail             outside  PATCH  401    404    404    404    ok     403    403
progress-report-detail             outside  PUT    401    404    404    404    ok     403    403
progress-report-submit             inside   GET    401    405    405    405    405    405    405
progress-report-submit             inside   POST   401    ok     ok     ok     ok     403    403
progress-report-submit             outside  GET    401    405    405    405    405    405    405
progress-report-submit             outside  POST   401    404    404    404    ok     403    403
progress-report-approve            inside   GET    401    405    405    405    405    405    405
progress-report-approve            inside   POST   401    403    ok     ok     ok     403    403
progress-report-approve            outside  GET    401    405    405    405    405    405    405
progress-report-approve            outside  POST   401    404    404    404    ok     403    403
progress-report-approve            own      GET    401    405    405    405    405    405    405
progress-report-approve            own      POST   401    403    403    403    403    403    403
progress-report-return-            inside   GET    401    405    405    405    405    405    405
progress-report-return-            inside   POST   401    403    ok     ok     ok     403    403
progress-report-return-            outside  GET    401    405    405    405    405    405    405
progress-report-return-            outside  POST   401    404    404    404    ok     403    403
progress-report-amend              inside   GET    401    405    405    405    405    405    405
progress-report-amend              inside   POST   401    403    ok     ok     ok     403    403
progress-report-amend              outside  GET    401    405    405    405    405    405    405
progress-report-amend              outside  POST   401    404    404    404    ok     403    403
progress-report-evidence           inside   GET    401    405    405    405    405    405    405
progress-report-evidence           inside   POST   401    403    403    403    403    403    403
progress-report-evidence           outside  GET    401    405    405    405    405    405    405
progress-report-evidence           outside  POST   401    404    404    404    403    403    403
"""


def format_row(name: str, scope: str, method: str, cells) -> str:
    return f"{name:<34} {scope:<8} {method:<7}" + " ".join(f"{c:<6}" for c in cells).rstrip()


def matrix() -> dict[tuple[str, str, str], tuple[str, ...]]:
    """Parse TABLE into {(url name, scope, method): outcomes in ROLES order}."""
    rows = {}
    for line in TABLE.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, scope, method, *cells = line.split()
        assert len(cells) == len(ROLES), f"row {name} {scope} {method}: {len(cells)} cells for {len(ROLES)} roles"
        assert set(cells) <= OUTCOMES, f"row {name} {scope} {method}: unknown outcome in {cells}"
        assert (name, scope, method) not in rows, f"row {name} {scope} {method} appears twice"
        rows[(name, scope, method)] = tuple(cells)
    return rows
