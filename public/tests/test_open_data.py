"""Open data: CSV and JSON downloads, the data dictionary, the DCAT catalogue and the CKAN action API."""

import csv
import io
import json
from decimal import Decimal

import pytest

from public.datasets import DATASETS

from .conftest import SECRETS, YEAR

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[dict]:
    raw = body(response)
    assert raw.startswith("\ufeff".encode())  # the byte-order mark Excel needs to read Thai
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_every_dataset_downloads_as_csv_and_json_without_secrets(client, world):
    for dataset_id, dataset in DATASETS.items():
        for fmt in ("csv", "json"):
            response = client.get(f"/open/data/{dataset_id}.{fmt}")
            assert response.status_code == 200, (dataset_id, fmt)
            assert "public" in response["Cache-Control"]
            assert f"codi-{dataset_id}.{fmt}" in response["Content-Disposition"]
            text = body(response).decode("utf-8-sig")
            for secret in SECRETS:
                assert secret not in text, (dataset_id, fmt, secret)
        header = csv_rows(client.get(f"/open/data/{dataset_id}.csv"))
        names = [c.name for c in dataset.columns]
        raw = body(client.get(f"/open/data/{dataset_id}.csv")).decode("utf-8-sig")
        assert raw.splitlines()[0].split(",") == names
        assert isinstance(header, list)


def test_budget_lines_csv_holds_exactly_the_public_lines(client, world):
    rows = csv_rows(client.get(f"/open/data/project-budget-lines.csv?year={YEAR}"))
    assert sorted((r["source"], Decimal(r["amount"])) for r in rows) == [
        ("codi", Decimal("5000")),
        ("codi", Decimal("50000")),
        ("community", Decimal("10000")),
        ("local_government", Decimal("20000")),
    ]
    every_year = csv_rows(client.get("/open/data/project-budget-lines.csv"))
    assert len(every_year) == 5  # + the 2569 line of project 1


def test_plans_and_projects(client, world):
    plans = {r["tambon_code"]: r for r in csv_rows(client.get("/open/data/tambon-plans.csv"))}
    assert set(plans) == {"500105", world["other"].code}
    assert Decimal(plans["500105"]["planned_budget"]) == Decimal("110000")  # 60,000 + 30,000 + 20,000
    assert plans["500105"]["projects"] == "2"
    assert "[โทรศัพท์ถูกซ่อน/phone hidden]" in plans["500105"]["vision"]
    projects = json.loads(body(client.get("/open/data/projects.json")))
    assert projects["dataset"] == "projects" and projects["licence"].startswith("https://creativecommons.org/")
    names = sorted(r["name"] for r in projects["rows"])
    assert names == sorted(["กลุ่มออมทรัพย์", "ตลาดชุมชน", "บ้านมั่นคง"])
    first = next(r for r in projects["rows"] if r["name"] == "กลุ่มออมทรัพย์")
    assert first["total_budget"] == 90000
    assert first["responsible_body"].startswith("[ชื่อบุคคลถูกซ่อน/name hidden]")


def test_requests_and_results(client, world):
    requests = csv_rows(client.get("/open/data/budget-requests.csv"))
    assert [(r["status"], r["approved_amount"], r["spent_amount"]) for r in requests] == [
        ("approved", "80000.00", "30000.00")
    ]
    results = json.loads(body(client.get(f"/open/data/indicator-results.json?year={YEAR}")))["rows"]
    assert sorted((r["level"], r["quarter"], r["value"]) for r in results) == [("province", 1, 40), ("tambon", 1, 12)]
    targets = csv_rows(client.get("/open/data/indicator-targets.csv"))
    assert [(t["tambon_code"], t["value"]) for t in targets] == [("500105", "20.00")]


def test_csv_neutralises_formulas(client, world):
    project = world["projects"][1]
    project.name = '=HYPERLINK("http://evil")'
    project.save()
    rows = csv_rows(client.get("/open/data/projects.csv"))
    assert any(r["name"] == '\'=HYPERLINK("http://evil")' for r in rows)


def test_areas_dataset_lists_every_tambon(client, world):
    from areas.models import Subdistrict

    rows = csv_rows(client.get("/open/data/areas.csv"))
    assert len(rows) == Subdistrict.objects.count()
    row = next(r for r in rows if r["tambon_code"] == "500105")
    assert (row["province_code"], row["region"]) == ("50", "north")


def test_data_dictionary_page(client, world):
    html = client.get("/open/data/projects/?lang=en").content.decode()
    for column in DATASETS["projects"].columns:
        assert f"<code>{column.name}</code>" in html
        assert column.en in html
    assert "creativecommons.org/licenses/by/4.0" in html
    assert client.get("/open/data/").status_code == 200


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_dcat_catalogue_parses_as_json_ld_with_the_required_properties(client, world):
    from rdflib import RDF, Graph, Namespace, URIRef

    response = client.get("/open/catalog.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    graph = Graph().parse(data=response.content.decode(), format="json-ld")
    DCAT, DCT = Namespace("http://www.w3.org/ns/dcat#"), Namespace("http://purl.org/dc/terms/")
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    datasets = list(graph.objects(catalogs[0], DCAT.dataset))
    assert len(datasets) == len(DATASETS)
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        titles = {t.language: str(t) for t in graph.objects(dataset, DCT.title)}
        assert set(titles) == {"th", "en"}
        assert {t.language for t in graph.objects(dataset, DCT.description)} == {"th", "en"}
        assert graph.value(dataset, DCT.publisher) is not None
        assert graph.value(dataset, DCT.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
        assert graph.value(dataset, DCT.modified) is not None
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 2
        for distribution in distributions:
            url = graph.value(distribution, DCAT.downloadURL)
            assert str(url).startswith("http://testserver/open/data/")
            assert graph.value(distribution, DCAT.mediaType) is not None
            assert client.get(str(url).removeprefix("http://testserver")).status_code == 200


def test_ckan_action_api(client, world):
    listing = client.get("/api/3/action/package_list").json()
    assert listing["success"] is True and listing["result"] == list(DATASETS)
    assert "help" in listing
    package = client.get("/api/3/action/package_show", {"id": "projects"}).json()["result"]
    assert package["license_id"] == "cc-by" and package["num_resources"] == 2
    assert {r["format"] for r in package["resources"]} == {"CSV", "JSON"}
    every = client.get("/api/3/action/current_package_list_with_resources").json()["result"]
    assert [p["id"] for p in every] == list(DATASETS)
    assert len(client.get("/api/3/action/current_package_list_with_resources?limit=2&offset=1").json()["result"]) == 2
    missing = client.get("/api/3/action/package_show", {"id": "nothing"})
    assert missing.status_code == 404 and missing.json()["success"] is False
    assert client.get("/api/3/action/package_show").status_code == 409
    assert client.get("/api/3/action/current_package_list_with_resources?limit=x").status_code == 409


def test_sitemap_and_robots(client, world):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/open/</loc>" in sitemap
    assert "/open/region/north/" in sitemap and "/open/province/50/" in sitemap
    assert "/open/tambon/500105/" in sitemap and f"/open/tambon/{world['other'].code}/" in sitemap
    # Tambons whose plans are not accepted are not listed.
    for project in world["hidden"].values():
        assert f"/open/tambon/{project.plan.tambon.code}/" not in sitemap
    assert "/open/data/projects.csv" in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
