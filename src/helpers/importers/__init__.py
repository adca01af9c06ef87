"""Importers that turn archived data into study folders (TWCS-format tweets)."""
