"""The benchmark: the portal's public pages at registry scale, against Datasette on the same
synthetic trials (`make bench`; README, "Benchmarks")."""
