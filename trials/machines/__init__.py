"""Being polite to machines: conditional requests and how long to keep a response
(conditional.py), a rate limit on the API and the exports (rate_limit.py), the one page other
sites may frame (framing.py), the sitemap (sitemaps.py). Which routes the first two apply to is
decided by path, once (routes.py), so that routes added later under the same prefixes are covered
without anything more."""
