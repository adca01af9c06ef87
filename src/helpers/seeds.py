"""Every default random seed, in one place, so a rerun reproduces the bundled figures.

Notebook `parameters` cells must hold literals, so they repeat these values;
`tests/test_seeds.py` checks that they agree.
"""

#: Bootstrap and permutation tests of the analyses (the companion article is dated around 26 Nov 2014).
ANALYSIS = 20141126
#: The bundled 2014 replica study.
REPLICA = 20141126
#: The bundled 2015 rerun of the replica (its second wave; the companion rerun's first day).
RERUN = 20151123
#: Simulated wave pairs of `helpers.analysis.calibration` (false positives and power of wave comparisons).
WAVES = 20151124
#: The small Japanese study.
JAPANESE = 20260202
#: `simulate companies`: studies of many fictional companies for benchmarks.
SIMULATED = 20261122
#: `simulate twcs`: the day most of the real TWCS head was tweeted.
TWCS = 20171031
#: Notebook 00's randomised fieldwork schedule (its first fieldwork day).
FIELDWORK = 20270111
#: The calibration simulations of `helpers.analysis.calibration`: one stream per check, so the
#: checks do not share draws (answer rates, KM medians, department tests: this, +1, +2).
CALIBRATION = 1
#: The sideways jitter of peers in the scorecard's rank strip: the same picture on every run.
FIGURE_JITTER = 0
