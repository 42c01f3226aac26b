"""Querying, fusion, answers and similar cases over an index built by `index`."""
