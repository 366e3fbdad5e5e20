"""The portal's own vocabularies (the registry's are in trials/vocabularies.py)."""

from django.db import models


class PublicationState(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    PUBLISHED = "PUBLISHED", "Published"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"


class SourceFormat(models.TextChoices):
    API_V2_JSON = "API_V2_JSON", "ClinicalTrials.gov API v2 JSON"
    LEGACY_XML = "LEGACY_XML", "Legacy ClinicalTrials.gov XML"
