"""Per-probe outcomes and grouping levels."""

from __future__ import annotations

import pytest

from helpers.data import outcomes


def test_group_key_rejects_unknown_level(tiny):
    with pytest.raises(ValueError, match="unknown level"):
        outcomes.group_key(tiny.probes, "planet")
