"""Everything that fabricates data: the two demo campaigns that `make run`
loads, their supervision and evaluation history, and the synthetic
city-scale campaign that `make bench` measures.

The top of the house: no other app imports it (docs/architecture.md).
"""
