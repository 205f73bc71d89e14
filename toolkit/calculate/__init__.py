"""Calculation: factor tables and rule switches, the engine, additionality, eligibility tests."""
