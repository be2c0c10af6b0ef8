"""Signals that the reports app sends to the apps above it, which connect
their receivers in ``AppConfig.ready()`` (docs/architecture.md)."""

from django.dispatch import Signal

# A workbook that nobody asked for (the monthly one) is ready: the
# notifications app tells the office. Sent with ``export`` and ``at``.
workbook_ready = Signal()
