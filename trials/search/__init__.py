"""Text search: the search columns each trial keeps (columns.py), reading and running a query with
its excerpts (query.py), British and American spellings (variants.py) and misspellings
(spelling.py)."""
