"""Benchmarks that measure dialog against a bare baseline served the same way, in one run.

Run them with `make bench` (or `python -m benchmarks`); see benchmarks/__main__.py.
"""
