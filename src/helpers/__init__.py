"""Shared helpers for the Social Care Benchmark notebooks.

Notebooks narrate and plot; the modules here compute:

- `paths`: every path, resolved against the project root;
- `study`: the study data format, loading and validation;
- `metrics`: answer rates, censored response times, the company-level view;
- `simulate`: the bundled synthetic study;
- `plotting`: the figure theme and shared plots;
- `report`: the papermill pipeline behind ``python -m helpers report``.
"""

__version__ = "0.1.0"
