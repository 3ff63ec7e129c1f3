"""An anonymous crawl of everything public: start at /open/ and /sitemap.xml, follow every same-site link.

On a data set with drafts, submitted and returned plans, pending results, people's names, phone numbers and
e-mail addresses in free text, reviewers' notes and evidence files (conftest.py), every page and file reached
must answer 200 or a redirect, contain none of those strings or URLs, and read a bounded number of queries.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import SECRETS, YEAR

pytestmark = pytest.mark.django_db

START = ["/open/", f"/open/?year={YEAR}", f"/open/?year={YEAR}&lang=en", "/sitemap.xml", "/robots.txt"]
# The public app's URLs; links to the rest of the site (the plan browser, the login page) are checked to exist
# but not followed: they are other apps' pages with their own tests.
FOLLOW = ("/open/", "/sitemap.xml", "/robots.txt", "/api/3/")
MAX_QUERIES = 25
LINK = re.compile(r"""(?:href|src|action)="([^"]+)"|<loc>([^<]+)</loc>|"(?:@id|url|downloadURL)":\s*"([^"]+)\"""")


def links(base: str, text: str):
    for match in LINK.finditer(text):
        url = next(g for g in match.groups() if g)
        full = urljoin(base, url.replace("&amp;", "&"))
        parts = urlsplit(full)
        if parts.netloc in ("", "testserver"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def test_anonymous_crawl_finds_nothing_private(client, world):
    cache.clear()
    seen, queue, pages = set(), deque(START), 0
    projects = {f"/open/project/{p.pk}/" for p in world["projects"]}
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        if url.startswith("/static/"):
            continue
        if not url.startswith(FOLLOW):
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            content = b"".join(response.streaming_content) if response.streaming else response.content
        pages += 1
        assert response.status_code in (200, 301, 302, 304), f"{url}: {response.status_code}"
        assert len(queries) <= MAX_QUERIES, f"{url}: {len(queries)} queries"
        text = content.decode("utf-8-sig", errors="replace")
        for secret in SECRETS:
            assert secret not in text, f"{url} shows {secret!r}"
        assert "Cookie" not in response.get("Vary", ""), url
        for link in links(f"http://testserver{url}", text):
            if link not in seen:
                queue.append(link)
    # The crawl reached the areas, the projects of the public plans and every download.
    assert "/open/tambon/500105/" in seen and "/open/province/50/" in seen and "/open/region/north/" in seen
    assert projects <= {u.split("?")[0] for u in seen}
    assert "/open/data/projects.csv" in seen and "/open/catalog.jsonld" in seen
    for project in world["hidden"].values():
        assert f"/open/project/{project.pk}/" not in {u.split("?")[0] for u in seen}
    assert pages > 40
