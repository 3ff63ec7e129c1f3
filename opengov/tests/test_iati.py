"""The IATI 2.03 activity file: the demo data and a known world validate against the official schema, a broken
file fails, values are the approved ones, and the public endpoint and the command serve it."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from accounts.services import create_demo_accounts
from budgets.services import load_demo_budgets
from indicators.services import load_indicators

from .. import iati
from .conftest import YEAR

pytestmark = pytest.mark.django_db
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NOW = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)  # fiscal year 2569, quarter 3


def _activity(root, identifier):
    return root.xpath(f"iati-activity[iati-identifier='{identifier}']")[0]


def test_known_world_validates_and_carries_approved_figures_only(known_world_xml):
    xml = known_world_xml
    assert iati.validation_errors(xml) == []
    root = etree.fromstring(xml)
    assert root.get("version") == "2.03"
    ids = root.xpath("iati-activity/iati-identifier/text()")
    # Accepted plans only: the draft plan's project is not published.
    assert "TH-CODI-500106-2568-1" not in ids
    a = _activity(root, "TH-CODI-500101-2568-1")
    assert a.get(LANG) == "th" and a.get("default-currency") == "THB"
    assert a.xpath("reporting-org/@ref") == ["TH-CODI"]
    assert a.xpath("title/narrative/@xml:lang", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"}) == ["th"]
    assert a.xpath("activity-status/@code") == ["2"]  # latest approved quarter (Q2) under way; Q3 is only submitted
    assert a.xpath("activity-date[@type='1']/@iso-date") == ["2025-10-01"]
    assert a.xpath("sector/@code") == ["32130"]  # the economy workstream
    assert "ตำบลศรีภูมิ" in a.xpath("location/name/narrative/text()")[0]
    budgets = [(b.xpath("period-start/@iso-date")[0], b.xpath("value/text()")[0]) for b in a.xpath("budget")]
    assert budgets == [("2025-10-01", "60000.00"), ("2026-10-01", "99999.00")]
    assert a.xpath("budget/value/@currency") == ["THB", "THB"]
    first = a.xpath("result/indicator")[0]
    period = first.xpath("period")
    # Target year 2565 by the factory (period 2021-10-01) and the approved actual of 2569 (Q2: 60; Q3's 100 is not
    # approved).
    assert [
        (p.xpath("period-start/@iso-date")[0], p.xpath("target/@value"), p.xpath("actual/@value")) for p in period
    ] == [
        ("2021-10-01", ["100.00"], []),
        ("2025-10-01", [], ["60.00"]),
    ]


@pytest.fixture
def known_world_xml(world):
    return iati.activities_xml(YEAR, now=NOW)


def test_a_broken_file_fails_the_schema(known_world_xml):
    root = etree.fromstring(known_world_xml)
    activity = root.xpath("iati-activity")[0]
    activity.remove(activity.find("reporting-org"))  # a required element missing
    assert any("reporting-org" in e for e in iati.validation_errors(etree.tostring(root)))
    root = etree.fromstring(known_world_xml)
    activity = root.xpath("iati-activity")[0]
    status = activity.find("activity-status")
    activity.remove(status)
    activity.insert(1, status)  # out of order
    assert iati.validation_errors(etree.tostring(root))


def test_endpoint_is_public_and_command_writes_a_valid_file(world, client, tmp_path):
    response = client.get(reverse("opengov:iati-activities"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert iati.validation_errors(response.content) == []
    out = tmp_path / "activities.xml"
    call_command("write_iati", "--output", str(out), "--fiscal-year", "๒๕๖๙", "--validate")
    assert b"TH-CODI-500101-2568-1" in out.read_bytes()


def test_the_demo_data_validates_with_programmes_and_their_results(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_indicators()
    create_demo_accounts()
    load_demo_budgets()
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC), tick=False):
        # The demo year through its command: a test may not import the nationaldata app (a higher layer).
        call_command("load_demo_year", stdout=io.StringIO())
        xml = iati.activities_xml(2570)
    assert iati.validation_errors(xml) == []
    root = etree.fromstring(xml)
    programmes = root.xpath("iati-activity[@hierarchy='1']")
    projects = root.xpath("iati-activity[@hierarchy='2']")
    assert programmes and projects
    # Results of programmes: headline indicators with a national target for 2570; inherited ones not aggregable.
    assert root.xpath("iati-activity[@hierarchy='1']/result/indicator/period/target/@value")
    assert set(root.xpath("iati-activity[@hierarchy='1']/result/@aggregation-status")) <= {"1", "0"}
    # Only accepted or endorsed plans' projects: none from the draft, submitted or returned demo plans.
    assert all(
        i.split("-")[2] in {"500101", "500102"}
        for i in projects[0].xpath("../iati-activity[@hierarchy='2']/iati-identifier/text()")
    )
    assert b"[" not in etree.tostring(root.xpath("//reporting-org")[0])
