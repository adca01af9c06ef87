"""Analyses built on the statistics: league table, study planning, reply kinds and quality, scorecards."""
