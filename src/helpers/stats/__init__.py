"""Statistics of one group of probes: proportions, censored response times, the company-level view.

Nothing here knows of text or figures.
"""
