"""Tests of trials/synthetic/: the generator of made-up trials."""
