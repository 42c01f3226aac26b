"""Measurement: evaluation, benchmarks, calibration (imports search and index, never ui)."""
