"""Tests of trials/registry/: reading records and importing them."""
