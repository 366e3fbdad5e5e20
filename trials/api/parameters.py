"""The list's query parameters for the OpenAPI document, read from the page's own FilterSet
(trials/listing/filters.py), so the document cannot drift from what the filters accept."""

import django_filters as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from ..listing.filters import SORTS, TrialFilter

PAGE_SIZE_MAX = 100


def filter_parameters():
    parameters = []
    for name, flt in TrialFilter.base_filters.items():
        description = str(flt.label)
        if isinstance(flt, filters.DateFromToRangeFilter):
            # django-filter's range widget reads two parameters: start_after and start_before.
            for end in ("after", "before"):
                parameters.append(
                    OpenApiParameter(f"{name}_{end}", OpenApiTypes.DATE, description=description)
                )
            continue
        if name == "sort":
            schema = {"type": "string", "enum": list(SORTS)}
        elif isinstance(flt, filters.MultipleChoiceFilter):
            values = [value for value, _label in flt.extra["choices"]]
            schema = {"type": "array", "items": {"type": "string", "enum": values}}
        elif isinstance(flt, filters.ChoiceFilter):
            schema = {"type": "string", "enum": [value for value, _label in flt.extra["choices"]]}
        elif isinstance(flt, filters.NumberFilter):
            schema = {"type": "number"}
            for key, word in (("min_value", "minimum"), ("max_value", "maximum")):
                if key in flt.extra:
                    schema[word] = flt.extra[key]
        elif isinstance(flt, filters.DateFilter):
            schema = {"type": "string", "format": "date"}
        else:
            schema = {"type": "string"}
            if "max_length" in flt.extra:
                schema["maxLength"] = flt.extra["max_length"]
        parameters.append(
            OpenApiParameter(
                name,
                schema,
                description=description,
                explode=True if schema["type"] == "array" else None,
            )
        )
    return parameters


def list_parameters():
    return [
        *filter_parameters(),
        OpenApiParameter(
            "cursor", str, description="The next page: copy it from the answer's `next`."
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX},
            description="Trials a page (default 20).",
        ),
        OpenApiParameter(
            "facets",
            {"type": "string", "enum": ["0", "1"]},
            description="1: add the number of matching trials for each filter's options, counted "
            "under the other filters, as the list page shows them.",
        ),
    ]


# Every parameter the list accepts; any other is refused, so a misspelt one is not silently lost.
def accepted_names():
    return {parameter.name for parameter in list_parameters()}


def empty_means_not_given(result, generator, request, public):
    """drf-spectacular hook: a query parameter given empty (`age=`, as the page's form sends an
    empty box) is taken as not given, by the page and the API alike; the document says so."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    parameter["allowEmptyValue"] = True
    return result
