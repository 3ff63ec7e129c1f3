"""The sitemap (/sitemap.xml): the public pages in Thai (their English versions are linked from each page with
hreflang) and the open-data pages and downloads."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from areas.models import Province, Region

from . import selectors
from .datasets import DATASETS, FORMATS


class AreaSitemap(Sitemap):
    """The country, every region and province, and every tambon with an accepted plan."""

    changefreq = "daily"

    def items(self):
        items = [("country", "")]
        items += [("region", key) for key in Region.objects.order_by("number").values_list("key", flat=True)]
        items += [("province", code) for code in Province.objects.order_by("code").values_list("code", flat=True)]
        items += [("tambon", code) for code in selectors.sitemap_tambon_codes()]
        return items

    def location(self, item):
        level, code = item
        return reverse("public:country") if level == "country" else reverse(f"public:{level}", args=[code])

    def priority(self, item):
        return {"country": 1.0, "region": 0.8, "province": 0.7}.get(item[0], 0.5)


class OpenDataSitemap(Sitemap):
    """The open-data index, each dataset's dictionary page and downloads, and the DCAT catalogue."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        items = [reverse("public:data"), reverse("public:catalog")]
        for dataset_id in DATASETS:
            items.append(reverse("public:dataset", args=[dataset_id]))
            items += [reverse("public:download", args=[dataset_id, fmt]) for fmt in FORMATS]
        return items

    def location(self, item):
        return item


SITEMAPS = {"areas": AreaSitemap, "data": OpenDataSitemap}
