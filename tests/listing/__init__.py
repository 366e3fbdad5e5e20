"""Tests of trials/listing/: the list's exports and the query plans its sorts rely on."""
