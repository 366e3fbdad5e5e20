"""Tests of trials/places/: the gazetteer and distances."""
