"""Import archived tweets in the TWCS format as a study.

TWCS ("Customer Support on Twitter", Thought Vector on Kaggle, 2017) has one tweet per row:
``tweet_id, author_id, inbound, created_at, text, response_tweet_id, in_response_to_tweet_id``
(``inbound`` is True for customers; brands tweet under their handle). `import_twcs` turns such
a file into a study folder (rules in ``data/README.md``):

- a **probe** is a customer's first contact with a brand, their earliest tweet addressed to
  it. The brand is the one that replied to the tweet; else the author of the tweet it answers;
  else the first @mention of a known brand handle.
- the **first reply** is the brand's earliest tweet in the same thread at or after the probe;
- the **follow-up** is the customer's next tweet in the thread after that reply, and the
  follow-up reply the brand's earliest tweet in the thread after it;
- observation ends at the last tweet in the file.

TWCS was exported starting from brand replies, so answer rates from it hold only "within
exported threads". A thread that links to tweets missing from the file (a truncated file) is
not counted as unanswered: its probe is listed in ``import/excluded_probes.csv`` instead.
Rows that cannot be read are errors naming the file, line and column; with
``skip_malformed`` they are listed in ``import/malformed_rows.csv`` and the rest is imported.
Every row of the input is accounted for in ``study.yml`` (``import.rows``).

One module per stage: `reading` (CSV bytes to tweets), `mapping` (handles to companies),
`threads` (tweets to probes and replies), `writing` (the study folder). Reading uses
pyarrow's multithreaded CSV parser and the thread work is vectorised numpy, so a
3-million-tweet file imports in seconds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from helpers import paths
from helpers.data.problems import LINE, ImportFailed, Problem
from helpers.importers.twcs.mapping import read_accounts
from helpers.importers.twcs.reading import (
    MALFORMED_FILE,
    RAW_COLUMNS,
    Tweets,
    parse_times,
    read_tweets,
)
from helpers.importers.twcs.threads import (
    EXCLUSIONS,
    QUESTION_TYPE,
    ROLES,
    Imported,
    build,
)
from helpers.importers.twcs.writing import (
    EXCLUDED_FILE,
    LIMITS,
    SCOPE,
    TWCS_SOURCE,
    check_out,
    study_yml,
    write_import,
)

__all__ = [
    "EXCLUDED_FILE", "EXCLUSIONS", "LIMITS", "MALFORMED_FILE", "QUESTION_TYPE", "RAW_COLUMNS", "ROLES", "SCOPE",
    "TWCS_SOURCE", "ImportFailed", "ImportResult", "Imported", "Tweets", "build", "import_twcs", "parse_times",
    "read_accounts", "read_tweets", "study_yml",
]


@dataclass
class ImportResult:
    """The study folder written, what was derived, and how many rows were skipped."""

    path: Path
    imported: Imported
    malformed: int


def import_twcs(csv_file: str | os.PathLike, out_dir: str | os.PathLike, accounts: str | os.PathLike | None = None,
                *, skip_malformed: bool = False, overwrite: bool = False, title: str | None = None,
                source: str | None = None, synthetic: bool = False) -> ImportResult:
    """Import a TWCS-format file as the study folder `out_dir` (all or nothing).

    The folder is built beside `out_dir` and moved into place only when complete. An existing
    `out_dir` is replaced only with `overwrite`, and only if an earlier import wrote it.
    """
    csv_file, out = Path(csv_file), Path(out_dir)
    check_out(out, overwrite)  # before the work, so a refusal comes at once
    mapping_file = (Path(accounts) if accounts is not None else paths.TWCS_ACCOUNTS).resolve()
    mapping = read_accounts(mapping_file)
    tweets = read_tweets(csv_file, skip_malformed=skip_malformed)
    imported = build(tweets, mapping)
    if imported.probes.num_rows == 0:
        raise ImportFailed(_nothing_to_import(csv_file, tweets, imported))
    write_import(out, csv_file, imported, tweets, overwrite=overwrite, title=title, source=source,
                 synthetic=synthetic, mapping=mapping_file)
    return ImportResult(out, imported, len(tweets.malformed))


# Where to look when every probe was left out: the column that shows why, and why.
_EXCLUDED_WHY = {
    "reply_before_question": ("created_at", "the brand's reply to it is timed before it"),
    "thread_cut": ("response_tweet_id", "its thread links to tweets missing from the file"),
    "thread_starts_outside_file": ("in_response_to_tweet_id", "it answers a tweet missing from the file"),
}


def _nothing_to_import(file: Path, tweets: Tweets, imported: Imported) -> list[Problem]:
    """Why no probe is left, located at the first row that shows it."""
    name = str(file)
    excluded = imported.excluded.to_pandas()
    if len(excluded):
        problems = []
        for reason, group in excluded.groupby("reason", sort=True):
            column, why = _EXCLUDED_WHY[reason]
            problems.append(Problem(name, int(group["source_line"].min()), column,
                                    f"no probe is left to import: {len(group)} customer tweet(s) to a brand are left "
                                    f"out because {why}; this is the first of them", LINE))
        return problems
    customer = tweets.line[tweets.inbound]
    if not len(customer):
        skipped = f" ({len(tweets.malformed)} problems in unreadable rows)" if len(tweets.malformed) else ""
        return [Problem(name, None, "inbound", f"no readable row is a customer's tweet (inbound True){skipped}, "
                                               "so there is nothing to import", LINE)]
    return [Problem(name, int(customer.min()), "text",
                    "no customer tweet is addressed to a brand: none answers or is answered by a brand's tweet, or "
                    "@mentions a handle of the accounts mapping (this is the first customer tweet)", LINE)]
