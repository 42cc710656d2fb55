"""Shipped data files: name lists and vocabularies (see README.md)."""
