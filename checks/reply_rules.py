"""Precision and recall of the reply-kind rules on every labelled set the project has.

Usage: ``python checks/reply_rules.py`` (``make reply-rules``). Prints one table per
set: the hand-labelled real TWCS replies (dev split, used to write the rules; test split,
held out) when ``../shared/data/twcs/`` is present, and the generator labels of the bundled
synthetic studies (English and Japanese).
"""

from __future__ import annotations

import sys

import pandas as pd

from helpers import paths
from helpers.analysis import reply_kinds

TWCS = paths.SHARED_TWCS_DIR / "twcs_head5000.csv"
LABELS = paths.TWCS_REPLY_LABELS


def show(name: str, predicted: pd.Series, labelled: pd.Series) -> None:
    table = reply_kinds.agreement(predicted.reset_index(drop=True), labelled.reset_index(drop=True))
    print(f"\n{name} (n = {len(labelled)})")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


def main() -> int:
    pd.set_option("display.width", 120)
    if TWCS.is_file():
        raw = pd.read_csv(TWCS, dtype=str, lineterminator="\n", keep_default_na=False)[["tweet_id", "text"]]
        d = pd.read_csv(LABELS, dtype=str).merge(raw, on="tweet_id", how="left", validate="one_to_one")
        d["predicted"] = reply_kinds.classify_all(d["text"])["reply_kind"].to_numpy()
        for split in ("test", "dev"):
            s = d[d["split"] == split]
            show(f"TWCS real brand replies, hand labels, {split} split", s["predicted"], s["reply_kind"])
    else:
        print(f"{TWCS} not found: skipping the real, hand-labelled replies", file=sys.stderr)
    for folder in (paths.DEFAULT_STUDY, paths.JAPANESE_STUDY):
        labels = pd.read_csv(folder / "reply_labels.csv", dtype=str)
        probes = pd.read_csv(folder / "probes.csv", dtype=str, keep_default_na=False)
        d = labels.merge(probes, on="probe_id", validate="one_to_one")
        show(f"Synthetic study {folder.name}, generator labels",
             reply_kinds.classify_all(d["first_reply_text"])["reply_kind"], d["reply_kind"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
