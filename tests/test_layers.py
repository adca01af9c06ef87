"""The package's layers point one way: data knows nothing of statistics, statistics nothing of text or figures."""

import ast
from pathlib import Path

import pytest

from helpers import paths

PACKAGE = paths.PACKAGE_DIR
# What each layer may import, besides itself and the shared `paths` and `seeds`.
ALLOWED = {
    "data": set(),
    "importers": {"data"},
    "synthetic": {"data"},
    "stats": {"data"},
    "compare": {"data", "stats"},
    "analysis": {"data", "synthetic", "stats", "compare"},
    "text": {"data", "stats", "compare", "analysis"},
    "figures": {"data", "stats", "analysis", "text"},
    "report": {"data", "stats", "compare", "analysis", "text", "figures"},
    # The lessons teach every layer, and W5 runs the report on the class's own study.
    "workshop": {"data", "stats", "compare", "analysis", "text", "figures", "report"},
}
SHARED = {"paths", "seeds"}


def helpers_imports(file: Path) -> set[str]:
    """The first-level subpackages of `helpers` that `file` imports, at any depth of the code."""
    layers = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "helpers":
                layers.update([parts[1]] if len(parts) > 1 else [alias.name for alias in node.names])
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{file}: relative import; import from `helpers.<layer>` so the layer shows")
        elif isinstance(node, ast.Import):
            layers.update(a.name.split(".")[1] for a in node.names if a.name.startswith("helpers."))
    return layers


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_the_layers_below_it(layer):
    for file in sorted((PACKAGE / layer).rglob("*.py")):
        wrong = helpers_imports(file) - ALLOWED[layer] - SHARED - {layer}
        assert not wrong, f"{file.relative_to(PACKAGE)} imports {sorted(wrong)}"


def test_every_module_belongs_to_a_layer():
    top = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
           if (p.suffix == ".py" or (p / "__init__.py").is_file())}
    assert top - {"__init__", "__main__"} == set(ALLOWED) | SHARED


def test_the_shared_modules_import_no_layer():
    for name in SHARED:
        assert not helpers_imports(PACKAGE / f"{name}.py")
