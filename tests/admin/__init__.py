"""Tests of trials/admin/ and trials/curation.py: the curators' workspace."""
