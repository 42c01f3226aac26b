"""Thin command-line entry points (`yingshang …`)."""
