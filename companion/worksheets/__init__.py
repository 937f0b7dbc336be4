"""Worksheets as data: templates, answers and the checks on them (no Qt, no SQL)."""
