"""Tests of trials/search/ and the search parameters of the list page."""
