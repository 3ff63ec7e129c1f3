"""The review queue sends a fixed, small number of queries a page, for the HTML page and the API alike.

Measured through the real test client, signed in (force_login keeps a session), so the session and user look-ups
count too."""

import pytest
from django.test import Client

from accounts.tests import factories as users
from areas.models import Subdistrict
from workstreams.models import PlanStatus
from workstreams.tests.factories import ProblemFactory, ProjectBudgetFactory, ProjectFactory, TambonPlanFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 6
QUEUE = "/tambon-plans/review/"
API_QUEUE = "/api/v1/tambon-plans/?status=submitted&status=resubmitted"
ROLES = {"provincial coordinator": lambda: users.provincial_coordinator("50"), "central staff": users.central_staff}


def make_plans(tambons, rep):
    for i, tambon in enumerate(tambons):
        status = PlanStatus.RESUBMITTED if i % 3 == 0 else PlanStatus.SUBMITTED
        plan = TambonPlanFactory(tambon=tambon, status=status, created_by=rep)
        ProblemFactory(plan=plan, rank=1)
        for number in (1, 2):
            ProjectBudgetFactory(project=ProjectFactory(plan=plan, number=number))


def queries(client, url, django_assert_max_num_queries, most=MAX_QUERIES) -> int:
    with django_assert_max_num_queries(most) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url",
    [
        QUEUE,
        QUEUE + "?page=2",
        QUEUE + "?status=all&workstream=WS-ECONOMY",
        QUEUE + "?status=submitted&province=50&district=5001",
        API_QUEUE,
    ],
)
def test_the_review_queue_sends_at_most_6_queries_for_5_or_30_plans(
    reference_data, role, url, django_assert_max_num_queries
):
    tambons = list(Subdistrict.objects.filter(province__code="50").order_by("code")[:30])
    rep = users.community_rep("500105")
    client = Client()
    client.force_login(ROLES[role]())
    # Staff pick a province before its districts are listed: one query more for them (the provinces and the
    # districts cannot come from one query as they do for a coordinator, whose only province they share).
    most = MAX_QUERIES + 1 if role == "central staff" and "district=" in url else MAX_QUERIES
    make_plans(tambons[:5], rep)
    five = queries(client, url, django_assert_max_num_queries, most)
    make_plans(tambons[5:], rep)
    thirty = queries(client, url, django_assert_max_num_queries, most)
    assert five == thirty
