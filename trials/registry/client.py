"""Reading live records from the ClinicalTrials.gov API v2 (settings.CTGOV_API_URL)."""

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from ..models import SourceFormat
from .sources import SourceRecord

PAGE_SIZE = 100


class FetchError(Exception):
    pass


def get_json(path, params=None):
    url = f"{settings.CTGOV_API_URL}/{path}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=settings.CTGOV_TIMEOUT) as response:
            text = response.read().decode("utf-8")
    except urllib.error.HTTPError as problem:
        raise FetchError(f"{url}: the registry answered {problem.code} {problem.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as problem:
        reason = getattr(problem, "reason", problem)
        raise FetchError(f"{url}: cannot reach the registry ({reason})") from None
    try:
        return url, text, json.loads(text)
    except json.JSONDecodeError:
        raise FetchError(f"{url}: the registry's answer is not JSON") from None


def fetch_studies(nct_ids):
    """One SourceRecord per NCT ID; an ID the registry does not know is a failed record."""
    for nct_id in nct_ids:
        try:
            url, text, study = get_json(f"studies/{urllib.parse.quote(nct_id)}")
        except FetchError as problem:
            yield SourceRecord(nct_id, error=str(problem))
            continue
        yield SourceRecord(url, SourceFormat.API_V2_JSON, text, study)


def search_studies(query, *, limit=1000):
    """The studies the registry finds for a search term, following its pages up to `limit`."""
    params = {"query.term": query, "pageSize": PAGE_SIZE, "format": "json"}
    found = 0
    while found < limit:
        try:
            url, _, page = get_json("studies", params)
        except FetchError as problem:
            yield SourceRecord(f"--query {query}", error=str(problem))
            return
        studies = page.get("studies") if isinstance(page, dict) else None
        if not isinstance(studies, list):
            yield SourceRecord(url, error="the registry's answer has no list of studies")
            return
        for study in studies[: limit - found]:
            found += 1
            yield SourceRecord(
                f"{url} (study {found})",
                SourceFormat.API_V2_JSON,
                json.dumps(study, indent=2, ensure_ascii=False),
                study,
            )
        token = page.get("nextPageToken")
        if not token:
            return
        params = {**params, "pageToken": token}
