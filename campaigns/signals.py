"""Signals that the campaign layer sends to the apps above it.

A lower app never imports a higher one (docs/architecture.md): when it must
let one know that something happened, it sends a signal here and the higher
app connects a receiver in its ``AppConfig.ready()``.
"""

from django.dispatch import Signal

# The figures of a campaign changed (a report accepted, reopened, a period
# added). Sent inside the change's transaction, with ``campaign_id``: a
# receiver queues its work through the outbox (core.outbox), which commits or
# rolls back with the change. The dashboards warm their cache on it.
figures_changed = Signal()
