"""A straightforward pandas implementation of the import-twcs probe rules, for `make bench`.

It reads with ``pd.read_csv(lineterminator="\\n")`` and uses merges and groupbys, as one would
write it first. It skips what the real importer adds (line numbers, malformed-row reports,
follow-ups, the study files), so it is the speed to beat, not a replacement. Usage:
``python twcs_pandas_baseline.py TWCS_CSV OUT_CSV`` writes ``tweet_id, account,
first_reply_at`` for every kept probe.
"""

from __future__ import annotations

import sys

import pandas as pd


def probes(csv_file: str) -> pd.DataFrame:
    df = pd.read_csv(csv_file, lineterminator="\n", dtype=str, keep_default_na=False)
    df = df[["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
             "in_response_to_tweet_id"]]
    df["tweet_id"] = df["tweet_id"].astype(float).astype("int64")
    df["parent"] = pd.to_numeric(df["in_response_to_tweet_id"].replace("", None)).astype("Int64")
    df["t"] = pd.to_datetime(df["created_at"], format="%a %b %d %H:%M:%S %z %Y", utc=True)
    df["brand"] = df["inbound"] == "False"
    ids = set(df["tweet_id"])

    # Thread roots: follow parents until the top (one merge per level).
    parent_of = df.set_index("tweet_id")["parent"]
    df["root"] = df["tweet_id"]
    has = df["parent"].notna() & df["parent"].isin(ids)
    df.loc[has, "root"] = df.loc[has, "parent"].astype("int64")
    while True:
        up = df["root"].map(parent_of)
        move = up.notna() & up.isin(ids)
        if not move.any():
            break
        df.loc[move, "root"] = up[move].astype("int64")
    df["outside_parent"] = df["parent"].notna() & ~df["parent"].isin(ids)
    kids = df["response_tweet_id"].str.split(",").explode().str.strip()
    kids = kids[kids != ""].astype(float).astype("int64")
    df["outside_child"] = (~kids.isin(ids)).groupby(level=0).any().reindex(df.index, fill_value=False)
    cut_roots = set(df.loc[df["outside_parent"] | df["outside_child"], "root"])
    starts_outside = set(df.loc[df["outside_parent"], "tweet_id"])

    # Brand of each customer tweet: the replying brand, else the author it answers, else a mention.
    brands = df[df["brand"]]
    known = {h.lower(): h for h in brands["author_id"].unique()}
    replies = brands.merge(df[~df["brand"]][["tweet_id"]], left_on="parent", right_on="tweet_id",
                           suffixes=("", "_c")).sort_values(["t", "tweet_id"])
    replied = replies.drop_duplicates("tweet_id_c").set_index("tweet_id_c")["author_id"]
    cust = df[~df["brand"]].copy()
    cust["to"] = cust["tweet_id"].map(replied)
    answers_brand = cust["parent"].map(brands.set_index("tweet_id")["author_id"])
    cust["to"] = cust["to"].fillna(answers_brand)
    mention = cust.loc[cust["to"].isna(), "text"].str.findall(r"@(\w{1,50})").explode().dropna().str.lower()
    mention = mention[mention.isin(known)].groupby(level=0).first().map(known)
    cust["to"] = cust["to"].fillna(mention)
    cust = cust.dropna(subset=["to"])

    first = cust.sort_values(["t", "tweet_id"]).drop_duplicates(["author_id", "to"])
    cand = first.merge(brands[["root", "author_id", "t", "tweet_id"]], left_on=["root", "to"],
                       right_on=["root", "author_id"], suffixes=("", "_r"))
    cand = cand[cand["t_r"] >= cand["t"]].sort_values(["t_r", "tweet_id_r"]).drop_duplicates("tweet_id")
    first = first.merge(cand[["tweet_id", "t_r"]], on="tweet_id", how="left")
    starts = first["root"].map(lambda r: r in starts_outside)
    cut = first["root"].isin(cut_roots) & first["t_r"].isna()
    kept = first[~starts & ~cut]
    return pd.DataFrame({"tweet_id": kept["tweet_id"], "account": kept["to"],
                         "first_reply_at": kept["t_r"].dt.strftime("%Y-%m-%dT%H:%M:%S+00:00").fillna("")})


if __name__ == "__main__":
    probes(sys.argv[1]).sort_values("tweet_id").to_csv(sys.argv[2], index=False)
