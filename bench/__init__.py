"""Benchmarks of Torelik run by `make bench`: they print figures (and the targets beside them), never a verdict.

`python -m bench` runs them all; `python -m bench.courts_api` and `python -m bench.startup` run one each.
Every server they start listens on a free loopback port and is stopped before they return.
"""
