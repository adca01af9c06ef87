"""Default seeds live in `helpers.seeds`; notebook parameters repeat them as literals."""

import nbformat

from helpers import paths, seeds
from helpers.report.pipeline import declared_parameters


def _default(notebook, name):
    cell = next(c for c in nbformat.read(notebook, as_version=4).cells if "parameters" in c.metadata.get("tags", []))
    namespace: dict = {}
    exec(cell.source, namespace)  # the parameters cell holds literals only
    return namespace[name]


def test_notebook_seed_defaults_are_the_package_seeds():
    expected = {"00-plan-a-study": seeds.FIELDWORK}
    checked = 0
    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb")):
        if "seed" in declared_parameters(notebook):
            assert _default(notebook, "seed") == expected.get(notebook.stem, seeds.ANALYSIS), notebook.name
            checked += 1
    assert checked >= 4
