"""Locust users for `make load`: people browsing plans, reps writing, coordinators reviewing, API clients pulling.

Run by bench/load.py, which signs the accounts of the national data set in (server-side sessions, API tokens) and
passes them in the JSON file named by LOAD_ACCOUNTS. Every response other than the expected status is a failure;
a form that comes back with errors instead of redirecting counts as one too.
"""

import itertools
import json
import os
import re
import secrets
from html.parser import HTMLParser

from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())
CSRF = secrets.token_hex(16)  # an unmasked 32-character secret, sent as cookie and as form field alike
_rep_ids = itertools.count()
_api_ids = itertools.count()


class FormParser(HTMLParser):
    """The fields of each <form method="post"> of a page, with their current values."""

    def __init__(self):
        super().__init__()
        self.forms, self.fields, self.in_form, self.textarea, self.select = [], {}, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.in_form, self.fields = True, {}
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.setdefault(name, a.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea, self.fields[name] = name, ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select:
            if "selected" in a or self.select not in self.fields:
                self.fields[self.select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
            self.forms.append(self.fields)
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def form_fields(html: str) -> dict:
    """The fields of the page's main form: the post form with the most fields (not the header's sign-out form)."""
    parser = FormParser()
    parser.feed(html)
    return max(parser.forms, key=len, default={})


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        self.account = self.pick()
        self.client.cookies.set("sessionid", self.account["session"])
        self.client.cookies.set("csrftoken", CSRF)

    def pick(self):
        accounts = ACCOUNTS[self.role]
        return accounts[secrets.randbelow(len(accounts))]

    def get(self, url, name=None):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
            return r

    def post_form(self, url, changes: dict, name=None):
        """GET a form, change some fields, POST it back: a save redirects (302); a re-rendered form is a failure."""
        page = self.get(url, name=name)
        if page.status_code != 200:
            return
        data = {**form_fields(page.text), **changes, "csrfmiddlewaretoken": CSRF}
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True, headers={"Referer": url}
        ) as r:
            if r.status_code != 302:
                errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.{0,200})', r.text)
                r.failure(f"{r.status_code} {errors[:1]}")


class Browser(SignedIn):
    """Central staff reading: the plan tree, plan lists, a plan, the indicators dashboard."""

    weight = 20
    role = "central"

    @task(3)
    def plan_list(self):
        self.get(f"/tambon-plans/?page={secrets.randbelow(50) + 1}", name="/tambon-plans/?page=N")

    @task(3)
    def plan_detail(self):
        self.get(f"/tambon-plans/{secrets.choice(ACCOUNTS['plan_ids'])}/", name="/tambon-plans/<pk>/")

    @task(2)
    def plan_tree(self):
        self.get("/plans/")

    @task(1)
    def plan_node(self):
        self.get(f"/plans/{secrets.choice(ACCOUNTS['node_codes'])}/", name="/plans/<code>/")

    @task(1)
    def indicators_dashboard(self):
        self.get("/indicators/")

    @task(1)
    def budgets(self):
        self.get("/budgets/")

    @task(1)
    def national_map(self):
        self.get("/map/")

    @task(1)
    def programme_drill(self):
        self.get("/plans/WS-ECONOMY-G1-P1/served-by/", name="/plans/<code>/served-by/")

    @task(1)
    def coverage(self):
        self.get("/coverage/")

    @task(1)
    def fairness(self):
        self.get("/budgets/fairness/")


class Coordinator(SignedIn):
    """A provincial coordinator working the review queues."""

    weight = 10
    role = "coordinator"

    @task(3)
    def review_queue(self):
        self.get("/tambon-plans/review/")

    @task(1)
    def results_queue(self):
        self.get("/indicators/queue/")

    @task(2)
    def plan_detail(self):
        self.get(f"/tambon-plans/{secrets.choice(ACCOUNTS['coordinator_plan_ids'])}/", name="/tambon-plans/<pk>/")

    @task(1)
    def progress_queue(self):
        self.get("/progress/queue/")


class Rep(SignedIn):
    """A community representative on a phone: their plan, editing its profile, reporting a quarter's result."""

    weight = 10
    role = "rep"

    def pick(self):
        accounts = ACCOUNTS[self.role]
        return accounts[next(_rep_ids) % len(accounts)]  # one rep per simulated user: no edit conflicts

    def on_start(self):
        super().on_start()
        self.slots = iter(self.account["result_slots"])

    @task(3)
    def my_plan(self):
        self.get(f"/tambon-plans/{self.account['plan_id']}/", name="/tambon-plans/<pk>/")

    @task(1)
    def my_progress(self):
        self.get("/progress/")

    @task(2)
    def edit_plan(self):
        self.post_form(
            f"/tambon-plans/{self.account['plan_id']}/edit/",
            {"households": str(300 + secrets.randbelow(5000))},
            name="/tambon-plans/<pk>/edit/ (save)",
        )

    @task(1)
    def submit_result(self):
        slot = next(self.slots, None)
        if slot is None:
            return
        code, year, quarter = slot
        url = f"/indicators/results/new/?indicator={code}"
        page = self.get(url, name="/indicators/results/new/?indicator=X")
        if page.status_code != 200:
            return
        data = {
            **form_fields(page.text),
            "indicator": code,
            "area": self.account["tambon_code"],
            "fiscal_year": str(year),
            "quarter": str(quarter),
            "value": str(secrets.randbelow(2)),
            "note": "load test",
            "action": "submit",
            "csrfmiddlewaretoken": CSRF,
        }
        with self.client.post(
            url, data=data, name="/indicators/results/new/ (submit)", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 302:
                errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.{0,200})', r.text)
                r.failure(f"{r.status_code} {errors[:1]}")


class Visitor(HttpUser):
    """Anyone, not signed in, reading the public pages: the country, a province, a tambon."""

    weight = 10
    wait_time = between(1, 3)

    def get(self, url, name=None):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    @task(1)
    def country(self):
        self.get("/open/")

    @task(3)
    def province(self):
        tambon = secrets.choice(ACCOUNTS["rep"])["tambon_code"]
        self.get(f"/open/province/{tambon[:2]}/", name="/open/province/<code>/")

    @task(2)
    def tambon(self):
        tambon = secrets.choice(ACCOUNTS["rep"])["tambon_code"]
        self.get(f"/open/tambon/{tambon}/", name="/open/tambon/<code>/")


class ApiClient(HttpUser):
    """A REST client with its own token pulling pages of indicator results, following the cursor."""

    weight = 10
    wait_time = between(0.5, 2)

    def on_start(self):
        tokens = ACCOUNTS["api_tokens"]
        self.client.headers["Authorization"] = f"Token {tokens[next(_api_ids) % len(tokens)]}"
        self.next_url = None

    @task
    def results_page(self):
        if self.next_url:
            url, self.next_url = self.next_url, None
        else:
            code = secrets.choice(ACCOUNTS["indicator_codes"])
            quarter = secrets.randbelow(4) + 1
            year = ACCOUNTS["fiscal_year"]
            url = f"/api/v1/results/?indicator={code}&fiscal_year={year}&quarter={quarter}&page_size=100"
        with self.client.get(url, name="/api/v1/results/", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
                return
            nxt = r.json().get("next")
            if nxt and secrets.randbelow(2):
                self.next_url = nxt

    @task
    def indicators(self):
        with self.client.get("/api/v1/indicators/", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
