"""Comparisons between departments and companies, with intervals and multiple-testing control.

Every function returns rows of the tidy ``comparisons.csv`` table (`COLUMNS`; metrics and
columns in ``data/README.md``). Comparisons are named ``<kind>:<A>-vs-<B>`` and read "A
compared with B":

- ``department:A-vs-B``: every probe of department A against every probe of department B;
- ``within-company:A-vs-B``: only companies that have both handles, compared inside each
  company (paired or stratified by company);
- ``question_type:A-vs-B``: a covariate of the models, adjusted for department;
- ``company:X-vs-rest``: one company against all the others; ``company:all`` is the test that
  all companies are alike.

One module per concern: `multiplicity` (the table, its reason codes, adjusted p-values),
`rates` (two answer rates), `models` (GLM and Cox clustered by company), `survival_tests`
(log-rank, KM differences), `within_company`, `companies`, and `departments` (notebook 04's
table). This package uses data and stats only: the words of the report live in helpers.text.
"""

from helpers.compare.companies import (
    company_comparisons,
    company_log_rank_all,
    company_rate_heterogeneity,
    company_vs_rest,
)
from helpers.compare.departments import (
    department_comparisons,
    department_pairs,
    department_rate_comparisons,
)
from helpers.compare.models import (
    MIN_CLUSTERS,
    cox_cluster_cov,
    cox_model,
    ph_check,
    ph_check_of,
    reference_department,
    response_glm,
)
from helpers.compare.multiplicity import (
    ADJUST_METHODS,
    COLUMNS,
    REASONS,
    adjust_pvalues,
    table,
)
from helpers.compare.rates import rate_difference
from helpers.compare.survival_tests import (
    km_difference_bootstrap,
    log_rank,
    log_rank_two_groups,
)
from helpers.compare.within_company import (
    paired_companies,
    within_company_comparisons,
    within_company_rates,
)

__all__ = [
    "ADJUST_METHODS",
    "COLUMNS",
    "MIN_CLUSTERS",
    "REASONS",
    "adjust_pvalues",
    "company_comparisons",
    "company_log_rank_all",
    "company_rate_heterogeneity",
    "company_vs_rest",
    "cox_cluster_cov",
    "cox_model",
    "department_comparisons",
    "department_pairs",
    "department_rate_comparisons",
    "km_difference_bootstrap",
    "log_rank",
    "log_rank_two_groups",
    "paired_companies",
    "ph_check",
    "ph_check_of",
    "rate_difference",
    "reference_department",
    "response_glm",
    "table",
    "within_company_comparisons",
    "within_company_rates",
]
