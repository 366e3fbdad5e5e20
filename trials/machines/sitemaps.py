"""sitemap.xml (django.contrib.sitemaps): every published trial's page, and the few pages that
lead to them, in each language with its hreflang alternates. Synthetic and withdrawn trials are
never published (TrialQuerySet.published()), so they are never listed."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ..models import Trial


class TrialSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True  # the English page, which has no language prefix

    def items(self):
        return (
            Trial.objects.published()
            .filter(is_synthetic=False)
            .order_by("nct_id")
            .only("nct_id", "updated_at")
        )

    def lastmod(self, trial):
        # Any import that changed the record or any curator's edit saves the trial.
        return trial.updated_at


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["trials:home", "trials:list", "trials:accessibility"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"trials": TrialSitemap, "pages": PageSitemap}
