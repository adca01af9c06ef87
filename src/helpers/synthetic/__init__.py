"""Every generator of synthetic data: the bundled studies, reply texts, TWCS-shaped tweets, calibration samples.

Synthetic data is labelled synthetic and carries fictional names only.
"""
