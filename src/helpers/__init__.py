"""Shared helpers for the Social Care Benchmark notebooks, one subpackage per stage of the pipeline.

Layers point one way: each imports only from the layers above it in this list.

- `paths`, `seeds`: every shared path and every default random seed;
- `data`: the study format (vocabulary, stated hours, per-probe outcomes, located problems, loading);
- `importers`: archived data (TWCS-format tweets) into study folders;
- `synthetic`: every generator of synthetic data;
- `stats`: proportions, censored response times, the company-level view;
- `compare`: tests and models that compare departments and companies;
- `analysis`: league table, study planning, reply kinds and quality, scorecards, calibration;
- `text`: the words a reader sees, in English and Japanese;
- `figures`: the one theme and every plot;
- `report`: notebook session, papermill pipeline, HTML pages and the report site.
"""

__version__ = "0.1.0"
