"""Measurement: benchmarks, evaluation and calibration (imports search and index, never ui)."""
