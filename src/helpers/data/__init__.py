"""The study data format: vocabulary, ISO timestamps, account rules, stated hours, per-probe outcomes,
located problems, loading and writing study folders."""
