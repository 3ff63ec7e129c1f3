import re

import pytest
from django.urls import reverse

from strategies.models import PlanNode

from .domain_checklist import SECTION_2_ITEMS

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="/plans/([^/"]+)/"')


def test_plan_browser_reaches_every_section_2_item_by_following_links(client, reference_data):
    """Walk the browser from its first page, following links only, until every item is found."""
    seen, queue = set(), [reverse("strategies:tree")]
    pages = {}
    while queue:
        url = queue.pop()
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for code in LINK.findall(body):
            if code not in seen:
                seen.add(code)
                queue.append(reverse("strategies:node", args=[code]))
        if url != reverse("strategies:tree"):
            pages[url.rstrip("/").rsplit("/", 1)[-1]] = body
    assert seen == set(PlanNode.objects.values_list("code", flat=True))
    for code, text in SECTION_2_ITEMS:
        assert text in pages[code], (code, text)


def test_workstream_goal_shows_the_whole_chain_up_to_the_national_strategy(client, reference_data):
    body = client.get(reverse("strategies:node", args=["WS-ECONOMY-G1"])).content.decode().split("<main")[1]
    chain = ["ยุทธศาสตร์ชาติ", "ด้านการสร้างโอกาสและความเสมอภาคทางสังคม", "แผนปฏิบัติการระยะ 3 ปี", "เศรษฐกิจฐานราก"]
    positions = [body.index(text) for text in chain]
    assert positions == sorted(positions)


def test_national_item_lists_the_codi_items_that_serve_it(client, reference_data):
    body = client.get(reverse("strategies:node", args=["MP-2561-16"])).content.decode()
    assert 'href="/plans/WS-ECONOMY/"' in body


def test_unknown_item_is_404(client, reference_data):
    assert client.get(reverse("strategies:node", args=["NOPE"])).status_code == 404


def test_plan_detail_query_count_is_small(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(reverse("strategies:node", args=["WS-COUNCIL"]))
