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
    """The registry cannot answer now: unreachable, an error of its own, or not JSON."""


class UnknownStudyError(FetchError):
    """The registry has no study under this NCT ID (it answered 404)."""


def get_json(path, params=None):
    url = f"{settings.CTGOV_API_URL}/{path}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=settings.CTGOV_TIMEOUT) as response:
            text = response.read().decode("utf-8")
    except urllib.error.HTTPError as problem:
        error = UnknownStudyError if problem.code == 404 else FetchError
        raise error(f"{url}: the registry answered {problem.code} {problem.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as problem:
        reason = getattr(problem, "reason", problem)
        raise FetchError(f"{url}: cannot reach the registry ({reason})") from None
    try:
        return url, text, json.loads(text)
    except json.JSONDecodeError:
        raise FetchError(f"{url}: the registry's answer is not JSON") from None


def fetch_study(nct_id):
    """The registry's record of one NCT ID, as a SourceRecord. Raises UnknownStudyError when the
    registry has no such study, FetchError when it cannot answer."""
    url, text, study = get_json(f"studies/{urllib.parse.quote(nct_id)}")
    return SourceRecord(url, SourceFormat.API_V2_JSON, text, study)


def fetch_studies(nct_ids):
    """One SourceRecord per NCT ID; an ID the registry does not know is a failed record."""
    for nct_id in nct_ids:
        try:
            yield fetch_study(nct_id)
        except FetchError as problem:
            yield SourceRecord(nct_id, error=str(problem))


def search_studies(query, *, limit=1000):
    """found_studies(), with a registry that cannot answer as a failed record."""
    try:
        yield from found_studies(query, limit=limit)
    except FetchError as problem:
        yield SourceRecord(f"--query {query}", error=str(problem))


def found_studies(query, *, limit):
    """The studies the registry finds for a search term, following its pages up to `limit`.
    Raises FetchError when the registry cannot answer."""
    params = {"query.term": query, "pageSize": min(PAGE_SIZE, limit), "format": "json"}
    found = 0
    while found < limit:
        url, _, page = get_json("studies", params)
        studies = page.get("studies") if isinstance(page, dict) else None
        if not isinstance(studies, list):
            raise FetchError(f"{url}: the registry's answer has no list of studies")
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
