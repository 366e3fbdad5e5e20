from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save


class TrialsConfig(AppConfig):
    name = "trials"
    verbose_name = "Trials"

    def ready(self):
        from .cache import catalogue_changed
        from .models import (
            DrugApproval,
            GlossaryTerm,
            ResultsSummary,
            SearchTerm,
            TranslationReview,
        )

        # Trial pages are cached whole (trials.views.trial_detail) and show glossary terms, drug
        # approvals, the curators' lay summaries of results and translations once reviewed, and
        # search with the search terms: a change to any is a change to the pages. They are edited
        # one at a time, in the admin, so a signal is the simplest place to say so. Trials and
        # their rows say so themselves, once per import or save (trials.registry.importer,
        # trials.curation): a signal would fire for each of the hundreds of rows an import writes.
        def pages_changed(**kwargs):
            transaction.on_commit(catalogue_changed)

        for model in (GlossaryTerm, DrugApproval, ResultsSummary, SearchTerm, TranslationReview):
            for signal in (post_save, post_delete):
                signal.connect(pages_changed, sender=model, weak=False)  # a local function
