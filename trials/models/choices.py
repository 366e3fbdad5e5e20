"""The portal's own vocabularies (the registry's are in trials/vocabularies.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    PUBLISHED = "PUBLISHED", _("Published")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")


class SourceFormat(models.TextChoices):
    API_V2_JSON = "API_V2_JSON", _("ClinicalTrials.gov API v2 JSON")
    LEGACY_XML = "LEGACY_XML", _("Legacy ClinicalTrials.gov XML")
