"""The report: a notebook session, the papermill pipeline, HTML rendering and the report site."""
