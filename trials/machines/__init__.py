"""Being polite to machines: conditional requests and how long to keep a response
(conditional.py), a rate limit on the API and the exports (rate_limit.py), the sitemap
(sitemaps.py). Which routes each applies to is decided here by path, once, so that routes added
later under the same prefixes are covered without anything more (routes.py)."""
