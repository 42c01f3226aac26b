"""Measurement: performance benchmark, retrieval and answer evaluation, answer calibration,
similar-case label evaluation. Imports search and index; nothing in search or index imports it."""
