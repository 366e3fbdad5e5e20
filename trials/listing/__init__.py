"""The list of trials (/trials/ and its exports): the FilterSet that reads the query string and
counts the facets (filters.py), the sorts (sorting.py), pages that stop counting at 10,000
(paging.py), what each result card shows (cards.py), and the CSV and JSON files (exports.py)."""
