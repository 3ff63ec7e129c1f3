"""The datasets described for harvesters: a DCAT-AP catalogue (JSON-LD) and CKAN package dictionaries.

data.go.th runs CKAN: its harvester reads /api/3/action/package_list and package_show (or
current_package_list_with_resources), the CKAN action API, or a DCAT catalogue. Both describe the same datasets
from public/datasets.py, with absolute URLs built from the request.
"""

from django.urls import reverse
from django.utils import timezone

from .datasets import DATASETS, FORMATS, LICENCE, PUBLISHER, Dataset

IANA = "http://www.iana.org/assignments/media-types/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _modified(dataset: Dataset):
    return dataset.modified() or timezone.now()


def _both(th: str, en: str) -> list[dict]:
    return [{"@value": th, "@language": "th"}, {"@value": en, "@language": "en"}]


def _publisher() -> dict:
    return {
        "@id": PUBLISHER["url"],
        "@type": "foaf:Agent",
        "foaf:name": _both(PUBLISHER["title_th"], PUBLISHER["title_en"]),
    }


def dcat_catalog(request) -> dict:
    """The DCAT-AP catalogue: dcat:Catalog with one dcat:Dataset per dataset, each with a CSV and a JSON
    dcat:Distribution (downloadURL, mediaType, format, licence)."""
    absolute = request.build_absolute_uri
    datasets, latest = [], None
    for dataset in DATASETS.values():
        modified = _modified(dataset)
        latest = max(latest, modified) if latest else modified
        page = absolute(reverse("public:dataset", args=[dataset.id]))
        distributions = [
            {
                "@id": absolute(reverse("public:download", args=[dataset.id, fmt])),
                "@type": "dcat:Distribution",
                "dct:title": f"{dataset.title_en} ({fmt.upper()})",
                "dcat:downloadURL": {"@id": absolute(reverse("public:download", args=[dataset.id, fmt]))},
                "dcat:accessURL": {"@id": page},
                "dcat:mediaType": {"@id": IANA + media},
                "dct:format": fmt.upper(),
                "dct:license": {"@id": LICENCE["url"]},
            }
            for fmt, media in FORMATS.items()
        ]
        datasets.append(
            {
                "@id": page,
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.id,
                "dct:title": _both(dataset.title_th, dataset.title_en),
                "dct:description": _both(dataset.description_th, dataset.description_en),
                "dct:publisher": _publisher(),
                "dct:license": {"@id": LICENCE["url"]},
                "dct:modified": {"@value": modified.isoformat(timespec="seconds"), "@type": "xsd:dateTime"},
                "dct:language": [{"@id": "http://publications.europa.eu/resource/authority/language/THA"}],
                "dct:spatial": {"@id": "http://publications.europa.eu/resource/authority/country/THA"},
                "dcat:keyword": dataset.keywords,
                "dcat:landingPage": {"@id": page},
                "dcat:contactPoint": {
                    "@type": "vcard:Organization",
                    "vcard:fn": PUBLISHER["title_en"],
                    "vcard:hasURL": {"@id": PUBLISHER["url"]},
                },
                "dcat:distribution": distributions,
            }
        )
    return {
        "@context": CONTEXT,
        "@id": absolute(reverse("public:catalog")),
        "@type": "dcat:Catalog",
        "dct:title": _both("ข้อมูลเปิดแผนงาน พอช.", "CODI Plans open data"),
        "dct:description": _both(
            "แผนพัฒนาตำบลที่รับรองแล้ว โครงการ งบประมาณที่อนุมัติและใช้จ่าย และผลการดำเนินงานที่อนุมัติแล้ว",
            "Accepted tambon plans, their projects, approved and spent budgets, and approved results.",
        ),
        "dct:publisher": _publisher(),
        "dct:license": {"@id": LICENCE["url"]},
        "dct:modified": {"@value": (latest or timezone.now()).isoformat(timespec="seconds"), "@type": "xsd:dateTime"},
        "foaf:homepage": {"@id": absolute(reverse("public:data"))},
        "dcat:dataset": datasets,
    }


# --- CKAN -------------------------------------------------------------------------------------------------------


def ckan_package(request, dataset: Dataset) -> dict:
    """A dataset as CKAN's package_show returns it (the fields a CKAN harvester reads)."""
    absolute = request.build_absolute_uri
    modified = _modified(dataset).isoformat(timespec="seconds")
    return {
        "id": dataset.id,
        "name": f"codi-{dataset.id}",
        "title": dataset.title_th,
        "title_en": dataset.title_en,
        "notes": f"{dataset.description_th}\n\n{dataset.description_en}",
        "license_id": LICENCE["id"],
        "license_title": LICENCE["title"],
        "license_url": LICENCE["url"],
        "author": PUBLISHER["title_th"],
        "maintainer": PUBLISHER["title_th"],
        "url": absolute(reverse("public:dataset", args=[dataset.id])),
        "state": "active",
        "type": "dataset",
        "private": False,
        "metadata_modified": modified,
        "organization": {"name": PUBLISHER["name"], "title": PUBLISHER["title_th"]},
        "tags": [{"name": k} for k in dataset.keywords],
        "extras": [{"key": "language", "value": "th,en"}, {"key": "spatial", "value": "Thailand"}],
        "num_resources": len(FORMATS),
        "resources": [
            {
                "id": f"{dataset.id}-{fmt}",
                "package_id": dataset.id,
                "name": f"{dataset.title_th} ({fmt.upper()})",
                "description": dataset.description_en,
                "url": absolute(reverse("public:download", args=[dataset.id, fmt])),
                "format": fmt.upper(),
                "mimetype": media,
                "last_modified": modified,
            }
            for fmt, media in FORMATS.items()
        ],
    }
