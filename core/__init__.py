"""Plumbing that several apps share and that knows nothing of the domain:
errors, stored files, numerals, dates, state transitions, official documents.

The bottom layer: ``core`` imports no app of this project (docs/architecture.md).
"""
