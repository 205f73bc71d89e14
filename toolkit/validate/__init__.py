"""Validation: schemas composed per project, domain rules, the fast row checker."""
