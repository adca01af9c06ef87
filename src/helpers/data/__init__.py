"""The study data format: vocabulary, stated hours, per-probe outcomes, located problems, loading."""
