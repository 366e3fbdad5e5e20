"""Tests of trials/models/: the querysets and lookups."""
