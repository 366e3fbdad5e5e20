"""The registry: reading ClinicalTrials.gov records (API v2 JSON, legacy XML converted to it, our
`portal` section, the live API) and writing them onto trials and their rows (the importer)."""
