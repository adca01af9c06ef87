"""Writing an imported study: ``study.yml`` with its provenance and limits, the tables, ``import/*.csv``.

The folder is written all or nothing by `helpers.data.writer`; an existing one is replaced only
when asked to and only if an earlier import wrote it, and then only the files that import wrote
(listed in its manifest): files the user added to the folder stay.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import yaml

from helpers import paths
from helpers.data.writer import check_writable, occupied, write_study, written_by
from helpers.importers.twcs.reading import MALFORMED_FILE, Tweets
from helpers.importers.twcs.threads import Imported

SCOPE = "within exported threads"
EXCLUDED_FILE = "import/excluded_probes.csv"
MARK = "imported_from"  # the study.yml key that shows an import wrote the folder
TWCS_SOURCE = (
    "Customer Support on Twitter (TWCS), Thought Vector / Stuart Axelbrooke, Kaggle 2017, "
    "https://www.kaggle.com/datasets/thoughtvector/customer-support-on-twitter , "
    "licence CC BY-NC-SA 4.0."
)
LIMITS = (
    "TWCS holds only threads that a brand answered: customer tweets no brand replied to were "
    "never exported. Response rates are therefore 'within exported threads' and overstate how "
    "often brands reply; response times are unaffected.",
    "A probe is a customer's first contact with a brand in this file, not necessarily their "
    "first contact ever.",
    "Threads that link to tweets missing from the file (cut by a truncated export) are not "
    "counted as unanswered; their probes are listed in import/excluded_probes.csv.",
    "Observation ends at the last tweet in the file, so late replies near the end are censored.",
    "The probes were not sent by the researchers: question type, tone and stated support hours "
    "are unknown (every question counts as a first contact; tone counts as neutral).",
)
# The same limits for Japanese pages (study.yml ``limits_ja``), in the same order.
LIMITS_JA = (
    "TWCSには企業が返信したスレッドしか含まれません。どの企業も返信しなかった顧客のツイートは書き出されていません。"
    "そのため応答率は「書き出されたスレッド内」の値で、企業が返信する頻度を実際より高く見せます。返信までの時間には影響しません。",
    "質問とは、このファイルの中での顧客から企業への最初の問い合わせで、その顧客の本当の最初の問い合わせとは限りません。",
    "ファイルにないツイートにつながるスレッド(書き出しが途中で切れたもの)は、返信なしとは数えません。"
    "その質問は import/excluded_probes.csv に一覧があります。",
    "観察はファイルの最後のツイートで終わるため、終わり近くの遅い返信は打ち切りになります。",
    "質問は研究者が送ったものではないため、質問の種類・調子・表示された対応時間はわかりません"
    "(すべて最初の問い合わせとし、調子は中立として数えます)。",
)


def check_out(out: Path, overwrite: bool) -> None:
    """Refuse an `out` folder that holds something, unless `overwrite` and an earlier import wrote it,
    or one that cannot be written (`CannotWrite`)."""
    check_writable(out)
    if not occupied(out):
        return
    # FileExistsError, not ImportFailed: the output is refused, not the input (exit 5, not 1).
    if not overwrite:
        raise FileExistsError(f"{out} already exists. Choose another --out folder, or pass --overwrite "
                              "to replace an earlier import.")
    if not written_by(out, MARK):
        raise FileExistsError(f"{out} already exists and was not written by import-twcs; it is left alone")


def write_import(out: Path, file: Path, imported: Imported, tweets: Tweets, *, overwrite: bool, title: str | None,
                 source: str | None, synthetic: bool, mapping: Path) -> Path:
    """Write the study folder `out` (checked again here: the import took a while)."""
    check_out(out, overwrite)
    text = study_yml(file, imported, tweets, title=title, source=source, synthetic=synthetic, mapping=mapping)
    # As pyarrow tables, so that every file is written by one CSV writer.
    files = {EXCLUDED_FILE: imported.excluded, MALFORMED_FILE: pa.Table.from_pandas(tweets.malformed,
                                                                                 preserve_index=False)}
    return write_study(out, text, pa.Table.from_pandas(imported.accounts, preserve_index=False), imported.probes,
                       files, replace=MARK if overwrite else None, mark=MARK)


def study_yml(file: Path, imported: Imported, tweets: Tweets, *, title: str | None, source: str | None,
              synthetic: bool, mapping: Path) -> str:
    """The study.yml of an imported study: provenance, limits and the accounting of every row."""
    s = imported.summary
    kind = "SYNTHETIC DATA shaped like TWCS (fictional brands)" if synthetic else "Real tweets"
    meta = {
        "title": title or (f"Customer Support on Twitter: {file.name}" + (" (synthetic)" if synthetic else "")),
        "description": (
            f"{kind}, imported from {file.name} with `python -m helpers import-twcs`: {s['probes']} probes "
            f"(a customer's first contact with a brand) to {s['accounts']} brand accounts, tweeted between "
            f"{s['first_tweet_at'][:10]} and {s['last_tweet_at'][:10]} (UTC). Answer rates are {SCOPE}: "
            "customer tweets that no brand answered were never exported."
        ),
        "synthetic": bool(synthetic),
        "source": source or ("Simulated by helpers.synthetic.twcs (shaped like TWCS; fictional brands)."
                             if synthetic else TWCS_SOURCE),
        "thresholds_minutes": [30, 60, 1440],
        "answer_rate_scope": SCOPE,
        "limits": list(LIMITS),
        "limits_ja": list(LIMITS_JA),
        MARK: {
            "file": file.name,
            "sha256": _sha256(file),
            "rows": tweets.records,
            "accounts_mapping": (str(mapping.relative_to(paths.PROJECT_ROOT))
                                 if mapping.is_relative_to(paths.PROJECT_ROOT) else mapping.name),
            "unmapped_accounts": imported.unmapped,
        },
        "import": {"rows": imported.rows, **s},
    }
    header = ("# Written by `python -m helpers import-twcs`; import again rather than edit by hand.\n"
              "# import.rows gives every input row one role; the roles add up to the rows read.\n")
    return header + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as f:
        for block in iter(lambda: f.read(1 << 24), b""):
            digest.update(block)
    return digest.hexdigest()
