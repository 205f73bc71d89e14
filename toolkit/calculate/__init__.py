"""Calculation: factor tables, periods cut at fiscal years, the engine, additionality."""
