"""The curators' workspace: the Django admin, tuned for staff who keep the records right.

Curators edit a trial and its rows on one page. An edit of a value an import wrote becomes a
correction that later imports keep (trials/curation/); every save is in the history
(django-simple-history) with who made it, and can be reverted; publishing and withdrawing are
actions; a refresh re-reads the registry and shows what changed; the data quality page lists what
needs a curator. After every save the trial's search columns are rebuilt, in save_related, where
the rows have been saved too. README, "Curating", tells the workflow.

One module per screen or kind of row; importing them registers their ModelAdmins:
site (the site's frame, shared fields), forms, corrections, rows, trial, refresh, quality,
history, reference (data shared by all trials), confirmations (sites' answers to our staff),
problem_reports (what visitors report), results (registry results, read-only, and the curators'
lay summaries of them), translations (curated text per language, its reviews), alerts (how many
follow each trial and search, and the outbox; no addresses).
Their HTML is in templates/admin/trials/.
"""

from . import (  # noqa: F401  (each registers its admins)
    alerts,
    confirmations,
    corrections,
    problem_reports,
    reference,
    results,
    rows,
    site,
    trial,
)
