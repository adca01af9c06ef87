"""Synthetic tweets in the raw TWCS format, for benchmarks and tests of ``import-twcs``.

`twcs_table` invents customer-service threads between numbered customers and 108 fictional
brand handles (``Brand001Help`` ...; no real company) and lays them out like the real
``twcs.csv``: a pandas index column first, Twitter-format UTC times, quoted multi-id response
cells, parent ids written as floats (``3.0``), quoted line breaks and *unquoted* bare carriage
returns in some texts, and a file cut before its last threads end (truncated threads). All of
it is vectorised, so a 3-million-tweet file takes seconds.

`truth` gives the threads as generated (each thread's first customer tweet, its brand and the
time of the first brand reply), so tests can check the importer against what was meant.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from helpers import seeds
from helpers.data.writer import replace_file

TWCS_SEED = seeds.TWCS
N_BRANDS = 108  # as many brand accounts as the real TWCS
START = np.datetime64("2017-10-01T00:00:00", "s")
DAYS = 61
HEADER = ",tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"

CUSTOMER_TEXTS = (
    "my order still hasn't arrived, can you help?",
    "why was I charged twice this month",
    "the app keeps crashing when I log in",
    "what time does the store close today?",
    "I need to return an item, how do I do that",
    "still waiting on a refund, it's been \"processing\" for 2 weeks",
    "your website is down again\nanyone else?",
    "thanks, that fixed it!",
    "no reply to my DM yet",
    "flight delayed 3 hours, what are my options",
    "I can't reset my password,\nthe link never comes",
    "love the new update",
)
BRAND_TEXTS = (
    "Sorry to hear that. Please send us a DM with your order number and we'll look into it.",
    "Hi there, our stores are open 9am-8pm Monday to Saturday.",
    "We're sorry for the trouble! Could you try reinstalling the app and let us know?",
    "Thanks for reaching out, we've passed this on to the team.",
    "You can return any item within 30 days, with a receipt, at any store or by post.",
    "Please DM us your account email so we can take a closer look.",
    "Glad we could help! Have a great day.",
    "We apologise for the delay, a refund was issued today and should show in 3-5 days.",
)
SUFFIXES = ("Help", "Support", "Cares", "")


def brand_handles(n: int = N_BRANDS) -> list[str]:
    """Fictional brand handles: ``Brand001Help``, ``Brand002Support``, ..."""
    return [f"Brand{k:03d}{SUFFIXES[k % len(SUFFIXES)]}" for k in range(1, n + 1)]


@dataclass
class SyntheticTweets:
    """The generated tweets (file rows) and the threads they came from."""

    table: pa.Table  # the raw TWCS columns, as text, in file order
    thread_first: np.ndarray  # per thread: tweet id of the customer's opening tweet
    thread_brand: np.ndarray  # per thread: brand handle index
    thread_customer: np.ndarray  # per thread: customer id
    thread_reply: np.ndarray  # per thread: seconds to the first brand reply (-1 if none)


def twcs_table(n_tweets: int, seed: int = TWCS_SEED, bare_cr_share: float = 0.002,
               brands: int = N_BRANDS) -> SyntheticTweets:
    """`n_tweets` rows of synthetic TWCS tweets to `brands` fictional brands."""
    rng = np.random.default_rng(seed)
    handles = brand_handles(brands)
    # Threads: opening tweet, brand reply (93%), sometimes a second brand reply, then follow-ups.
    n_threads = int(n_tweets / 2.7) + 10
    weights = 1 / np.arange(1, brands + 1) ** 0.8
    brand = rng.choice(brands, size=n_threads, p=weights / weights.sum())
    customer = 100000 + rng.integers(0, max(int(n_threads * 0.7), 1), size=n_threads)
    # Brand median reply times from 4 minutes to 4 hours.
    brand_median = np.exp(rng.uniform(np.log(4 * 60), np.log(4 * 3600), size=brands))

    answered = rng.random(n_threads) < 0.93
    second_reply = answered & (rng.random(n_threads) < 0.05)
    follow = answered & (rng.random(n_threads) < 0.45)
    follow_answered = follow & (rng.random(n_threads) < 0.8)
    third = follow_answered & (rng.random(n_threads) < 0.3)
    # Tweets per thread: C1 [B1 [B1b]] [C2 [B2 [C3]]]
    kinds = [np.ones(n_threads, bool), answered, second_reply, follow, follow_answered, third]
    is_customer = np.array([True, False, False, True, False, True])
    parent_step = np.array([-1, 0, 0, 1, 3, 4])  # which earlier tweet of the thread each answers
    counts = np.sum(kinds, axis=0)
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))

    t_open = START + rng.integers(0, DAYS * 86400, size=n_threads).astype("timedelta64[s]")
    reply_delay = np.maximum(1, rng.lognormal(np.log(brand_median[brand]), 1.1)).astype(np.int64)
    times = np.zeros((n_threads, 6), dtype=np.int64)
    base = t_open.astype(np.int64)
    times[:, 0] = base
    times[:, 1] = base + reply_delay
    times[:, 2] = times[:, 1] + rng.integers(30, 600, size=n_threads)
    times[:, 3] = times[:, 1] + rng.lognormal(np.log(600), 1.0, size=n_threads).astype(np.int64) + 1
    times[:, 4] = times[:, 3] + np.maximum(1, rng.lognormal(np.log(brand_median[brand] / 2), 1.0)).astype(np.int64)
    times[:, 5] = times[:, 4] + rng.lognormal(np.log(900), 1.0, size=n_threads).astype(np.int64) + 1

    present = np.stack(kinds, axis=1)  # (threads, 6)
    rank = np.cumsum(present, axis=1) - 1  # position of each present tweet within its thread
    tid = 1 + offsets[:, None] + rank  # sequential ids, thread by thread (as in TWCS)
    thread_of, step = np.nonzero(present)
    ids = tid[thread_of, step]
    parent_steps = parent_step[step]
    parent = np.where(parent_steps >= 0, tid[thread_of, np.maximum(parent_steps, 0)], -1)
    inbound = is_customer[step]
    author = np.where(inbound, customer[thread_of].astype(str), np.asarray(handles, dtype=object)[brand[thread_of]])
    when = times[thread_of, step]

    # Texts: customers mention the brand; brands mention the customer.
    ctext = np.asarray(CUSTOMER_TEXTS, dtype=object)[rng.integers(0, len(CUSTOMER_TEXTS), size=len(ids))]
    btext = np.asarray(BRAND_TEXTS, dtype=object)[rng.integers(0, len(BRAND_TEXTS), size=len(ids))]
    cr = rng.random(len(ids)) < bare_cr_share
    ctext = np.where(cr, np.char.add(ctext.astype(str), "\r\rsent from my phone").astype(object), ctext)
    mention_brand = np.char.add("@", np.asarray(handles)[brand[thread_of]])
    mention_customer = np.char.add("@", customer[thread_of].astype(str))
    text = np.where(inbound, np.char.add(np.char.add(mention_brand, " "), ctext.astype(str)),
                    np.char.add(np.char.add(mention_customer, " "), btext.astype(str)))

    # Cut the file like the head of a larger export: keep the first n_tweets ids.
    keep = ids <= n_tweets
    ids, parent, inbound, author, when, text = ids[keep], parent[keep], inbound[keep], author[keep], when[keep], text[keep]
    full_ids = tid  # children may lie beyond the cut: their ids stay in response_tweet_id
    children = _children(thread_of, step, present, full_ids, parent_step)[keep]

    table = pa.table({
        "": pa.array(np.arange(len(ids)).astype(str)),
        "tweet_id": pa.array(ids.astype(str)),
        "author_id": pa.array(author.astype(str)),
        "inbound": pa.array(np.where(inbound, "True", "False")),
        "created_at": pc.strftime(pa.array(when.astype("datetime64[s]")), format="%a %b %d %H:%M:%S +0000 %Y"),
        "text": pa.array(text.astype(str)),
        "response_tweet_id": pa.array(children),
        "in_response_to_tweet_id": pa.array(np.where(parent >= 0, np.char.add(parent.astype(str), ".0"), "")),
    })
    first = tid[:, 0]
    reply = np.where(answered, times[:, 1] - times[:, 0], -1)
    whole = first + counts - 1 <= n_tweets  # threads entirely inside the file
    return SyntheticTweets(table, first[whole], brand[whole], customer[whole], reply[whole])


def _children(thread_of, step, present, tid, parent_step) -> np.ndarray:
    """The comma-separated ids of each tweet's replies (as TWCS writes response_tweet_id)."""
    out = np.full(len(thread_of), "", dtype=object)
    for child_step in range(present.shape[1]):
        p = parent_step[child_step]
        if p < 0:
            continue
        rows = np.flatnonzero(step == p)
        has = present[thread_of[rows], child_step]
        rows = rows[has]
        ids = tid[thread_of[rows], child_step].astype(str)
        out[rows] = np.where(out[rows] == "", ids, np.char.add(np.char.add(out[rows].astype(str), ","), ids))
    return out.astype(str)


def _quote(column: pa.Array, always_if: str) -> pa.Array:
    """CSV-quote cells holding a comma, quote or line feed; a bare carriage return stays unquoted."""
    needs = pc.match_substring_regex(column, always_if)
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, column)


def write_twcs(path: str | os.PathLike, n_tweets: int, seed: int = TWCS_SEED,
               brands: int = N_BRANDS, *, overwrite: bool = False) -> SyntheticTweets:
    """Write `n_tweets` synthetic TWCS rows to `path` (CSV, the raw TWCS layout).

    An existing file is replaced only with `overwrite` (else `FileExistsError`), through a
    temporary file moved over it when complete, so a failure leaves it as it was.
    """
    path = Path(path)
    if path.is_dir():
        raise FileExistsError(f"{path} is a folder; give the name of a CSV file to write")
    if (path.exists() or path.is_symlink()) and not overwrite:
        raise FileExistsError(f"{path} already exists; it is left alone")
    tweets = twcs_table(n_tweets, seed, brands=brands)
    t = tweets.table
    with replace_file(path) as f:
        f.write(HEADER.encode("utf-8"))
        for start in range(0, t.num_rows, 1 << 18):  # in slices: string offsets are 32-bit
            cells = [t[c].slice(start, 1 << 18).combine_chunks() for c in t.column_names]
            cells[5] = _quote(cells[5], r'[,"\n]')
            cells[6] = _quote(cells[6], ",")
            lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, ","), "\n", "")
            f.write(_bytes(lines))
    return tweets


def _bytes(strings: pa.Array) -> memoryview:
    """The characters of a string array, back to back, without copying."""
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)[strings.offset: strings.offset + len(strings) + 1]
    return memoryview(strings.buffers()[2])[offsets[0]: offsets[-1]]
