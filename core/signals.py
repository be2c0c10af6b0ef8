"""Signals core sends to the apps above it, which connect their receivers in
``AppConfig.ready()`` (docs/architecture.md)."""

from django.dispatch import Signal

# A row of a state machine moved (core.transitions): sent with ``change`` (the
# Change, its event row included), ``by`` and ``at``, inside the transaction
# that wrote the move, after the row is saved, so that what a receiver writes
# stands or falls with the move. The notifications app tells the people who
# must act on it.
transitioned = Signal()

# Many rows of one model changed at once (core.transitions.announce_many: the
# items an inspection opens): sent with ``changes`` (a list of Change, all of
# the sender model), ``by`` and ``at``, inside the transaction that wrote them.
# Receivers handle them in bulk, in queries that do not grow with their number.
transitioned_many = Signal()
