"""Tests of the public pages: the landing page, the list, a trial's page."""
