"""Batch Monte Carlo over scenarios and protocols: runs, results store, comparisons, plots."""
