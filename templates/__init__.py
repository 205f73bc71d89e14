"""Packaged document templates (top-level templates/ in the repository)."""
