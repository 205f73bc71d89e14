"""Packaged Cerberus schemas and factor tables (top-level schemas/ in the repository)."""
