"""From tweets to a study's tables: threads, the brand each tweet addresses, probes, replies, follow-ups.

`build` runs one stage per rule of the package docstring, each vectorised numpy over all tweets
at once. Rows are worked in tweet-id order, so that sorting by time keeps equal times in id order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.data.problems import LINE, ImportFailed, Problem
from helpers.data.timestamps import MISSING_SECONDS, iso_utc
from helpers.importers.twcs.reading import Tweets

QUESTION_TYPE = "first_contact"
ROLES = ("probe", "probe_excluded", "first_reply", "follow_up", "follow_up_reply",
         "customer_tweet_other", "customer_tweet_no_brand", "brand_tweet_other")
EXCLUSIONS = ("thread_cut", "thread_starts_outside_file", "reply_before_question")
ACCOUNT_COLUMNS = ["company", "account", "department", "stated_hours", "timezone"]

_MENTION = re.compile(r"@(\w{1,50})")


@dataclass
class Imported:
    """What `build` derived from the tweets: the study tables and the accounting of every row."""

    accounts: pd.DataFrame
    probes: pa.Table
    excluded: pa.Table  # probes left out, with the reason
    rows: dict[str, int]  # every input row by role; sums to the rows in the file
    summary: dict
    unmapped: list[str]


def build(tweets: Tweets, accounts: pd.DataFrame) -> Imported:
    """Turn tweets into probes, first replies and follow-ups (rules in the package docstring)."""
    s = _in_id_order(tweets)
    threads = _threads(tweets, s)
    brands = _brands(tweets, accounts, s)
    brand_of, direct = _addressed_brand(tweets, s, threads.parent, brands)
    c = _first_contacts(s, brand_of, brands)
    _replies(c, s, threads.root, brands)
    _exclusions(c, s, threads, direct)
    kept_at, excluded_at = _kept_in_time_order(s, c), _excluded_by_reason(c)
    account_table, unmapped, companies = _accounts(accounts, brands.names, c.brand[c.reason == 0])
    return Imported(
        accounts=account_table,
        probes=_probe_table(tweets, s, c, kept_at, brands.names, companies),
        excluded=_excluded_table(tweets, s, c, excluded_at, brands.names),
        rows=_roles(tweets, s, brand_of, c, kept_at, excluded_at),
        summary=_summary(s, threads, brands, c, kept_at, len(account_table)),
        unmapped=unmapped,
    )


# --------------------------------------------------------------------------------------------
# The state the stages share


@dataclass
class _Sorted:
    """The tweets in tweet-id order: row k of each array is the tweet with the k-th smallest id."""

    file_row: np.ndarray  # where each row is in the file's order (`Tweets` arrays)
    id_row: np.ndarray  # the inverse: the sorted row of each file row
    ids: np.ndarray
    time: np.ndarray
    inbound: np.ndarray
    author: np.ndarray  # index into `authors`
    authors: pa.Array  # every author id, once

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class _Threads:
    parent: np.ndarray  # sorted row of the tweet each answers, -1 if none in the file
    root: np.ndarray  # sorted row of the top tweet of its thread
    cut: np.ndarray  # per top tweet: the thread links to a tweet missing from the file
    starts_outside: np.ndarray  # per tweet: its thread's top tweet answers a tweet missing from the file
    links_outside: int  # links (parent or response ids) to tweets missing from the file

    @property
    def thread_cut(self) -> np.ndarray:
        return self.cut[self.root]


@dataclass
class _Brands:
    seen: list[str]  # handles that tweet as a brand in the file
    names: list[str]  # those and the mapping's handles, each once (ignoring case)
    lower: pa.Array  # `names` in lower case, for matching
    of_tweet: np.ndarray  # per sorted row: index in `names` of the brand that tweeted it, else -1


@dataclass
class _Contacts:
    """The probes in order of (customer, brand), with their replies (sorted rows, -1 for none)."""

    probe: np.ndarray
    brand: np.ndarray
    reply: np.ndarray | None = None
    follow: np.ndarray | None = None
    follow_reply: np.ndarray | None = None
    reason: np.ndarray | None = None  # 0 kept, else 1 + index in EXCLUSIONS
    follow_cut: np.ndarray | None = None  # kept, but its unanswered follow-up was in a cut thread


# --------------------------------------------------------------------------------------------
# Stages


def _in_id_order(tweets: Tweets) -> _Sorted:
    file_row = np.argsort(tweets.tweet_id, kind="stable")
    id_row = np.empty(len(tweets), dtype=np.int64)
    id_row[file_row] = np.arange(len(tweets))
    # Authors as small integers; brands tweet under their handle.
    encoded = pc.dictionary_encode(tweets.author.combine_chunks() if isinstance(tweets.author, pa.ChunkedArray)
                                   else tweets.author)
    author = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)[file_row]
    return _Sorted(file_row, id_row, tweets.tweet_id[file_row], tweets.time[file_row], tweets.inbound[file_row],
                   author, encoded.dictionary)


def _threads(tweets: Tweets, s: _Sorted) -> _Threads:
    """Threads follow ``in_response_to_tweet_id`` up to the top tweet in the file."""
    parent_id = tweets.parent_id[s.file_row]
    parent = _lookup(s.ids, parent_id)
    parent_outside = (parent_id >= 0) & (parent < 0)
    response_outside = _lookup(s.ids, tweets.response_id) < 0
    child_outside = np.zeros(len(s), dtype=bool)
    child_outside[s.id_row[tweets.response_row[response_outside]]] = True
    root, looped = _thread_roots(parent)
    if looped.any():
        raise ImportFailed([Problem(str(tweets.file), int(line), "in_response_to_tweet_id",
                                    "this reply chain loops back on itself", LINE)
                            for line in np.sort(tweets.line[s.file_row[looped]])[:100]])
    cut = np.zeros(len(s), dtype=bool)
    cut[root[parent_outside | child_outside]] = True
    return _Threads(parent, root, cut, parent_outside[root], int(parent_outside.sum() + response_outside.sum()))


def _brands(tweets: Tweets, accounts: pd.DataFrame, s: _Sorted) -> _Brands:
    """Brand handles, from the file and the mapping, matched ignoring case."""
    seen = pc.unique(pc.filter(tweets.author, pa.array(~tweets.inbound))).to_pylist()
    canonical = {h.lower(): h for h in seen}
    for h in accounts["account"]:
        canonical.setdefault(h.lower(), h)
    names = list(dict.fromkeys(canonical.values()))
    lower = pa.array([h.lower() for h in names], pa.string())
    author_brand = pc.fill_null(pc.index_in(pc.utf8_lower(s.authors), value_set=lower), -1).to_numpy(
        zero_copy_only=False).astype(np.int64)
    return _Brands(seen, names, lower, np.where(~s.inbound, author_brand[s.author], -1))


def _addressed_brand(tweets: Tweets, s: _Sorted, parent: np.ndarray, brands: _Brands) -> tuple[np.ndarray, np.ndarray]:
    """Which brand each customer tweet addresses (-1: none), and the earliest brand reply to it."""
    inbound, is_brand, time, tweet_brand = s.inbound, ~s.inbound, s.time, brands.of_tweet
    brand_of = np.full(len(s), -1, dtype=np.int64)
    direct = np.full(len(s), -1, dtype=np.int64)
    # (1) the brand that replied to it (earliest reply)
    kids = np.flatnonzero(is_brand & (parent >= 0))
    kids = kids[inbound[parent[kids]]]
    if len(kids):
        kids = kids[_order(parent[kids], time[kids])]
        first = kids[np.concatenate(([True], parent[kids][1:] != parent[kids][:-1]))]
        direct[parent[first]] = first
        brand_of[parent[first]] = tweet_brand[first]
    # (2) else the author of the brand tweet it answers
    need = inbound & (brand_of < 0) & (parent >= 0)
    need[need] = is_brand[parent[need]]
    brand_of[need] = tweet_brand[parent[need]]
    # (3) else the first @mention of a known brand handle
    need = np.flatnonzero(inbound & (brand_of < 0))
    if len(need):
        brand_of[need] = _mentioned_brand(pc.take(tweets.text, pa.array(s.file_row[need])), brands.lower)
    return brand_of, direct


def _first_contacts(s: _Sorted, brand_of: np.ndarray, brands: _Brands) -> _Contacts:
    """A probe is each customer's earliest tweet to each brand."""
    n_brands = max(len(brands.names), 1)
    addressed = np.flatnonzero(s.inbound & (brand_of >= 0))
    pair = s.author[addressed] * n_brands + brand_of[addressed]
    sort = _order(pair, s.time[addressed])
    addressed, pair = addressed[sort], pair[sort]
    probe = addressed[np.concatenate(([True], pair[1:] != pair[:-1]))] if len(pair) else addressed
    return _Contacts(probe, brand_of[probe])


def _replies(c: _Contacts, s: _Sorted, root: np.ndarray, brands: _Brands) -> None:
    """First reply: the brand's earliest tweet in the same thread at or after the probe.

    Follow-up: the customer's next tweet in the thread after that reply; its reply likewise.
    """
    time, n_brands, n_authors = s.time, max(len(brands.names), 1), max(len(s.authors), 1)
    brand_rows = np.flatnonzero(brands.of_tweet >= 0)
    brand_group = root[brand_rows] * n_brands + brands.of_tweet[brand_rows]
    c.reply = _pick(brand_rows, brand_group, time, root[c.probe] * n_brands + c.brand, time[c.probe])
    answered = c.reply >= 0
    customer_rows = np.flatnonzero(s.inbound)
    c.follow = np.full(len(c.probe), -1, dtype=np.int64)
    c.follow[answered] = _pick(customer_rows, root[customer_rows] * n_authors + s.author[customer_rows], time,
                               root[c.probe[answered]] * n_authors + s.author[c.probe[answered]],
                               time[c.reply[answered]] + 1)
    has_follow = c.follow >= 0
    c.follow_reply = np.full(len(c.probe), -1, dtype=np.int64)
    c.follow_reply[has_follow] = _pick(brand_rows, brand_group, time,
                                       root[c.follow[has_follow]] * n_brands + c.brand[has_follow],
                                       time[c.follow[has_follow]])


def _exclusions(c: _Contacts, s: _Sorted, threads: _Threads, direct: np.ndarray) -> None:
    """Honest limits: threads cut by the file's edges are reported, not counted as unanswered."""
    early = (direct[c.probe] >= 0) & (s.time[np.maximum(direct[c.probe], 0)] < s.time[c.probe])
    cut = threads.thread_cut[c.probe]
    c.reason = np.zeros(len(c.probe), dtype=np.int8)
    c.reason[(c.reply < 0) & cut] = 1
    c.reason[threads.starts_outside[c.probe]] = 2
    c.reason[early] = 3
    c.follow_cut = (c.reason == 0) & (c.follow >= 0) & (c.follow_reply < 0) & cut
    c.follow[c.follow_cut] = -1
    c.follow_reply[c.follow_cut] = -1


def _kept_in_time_order(s: _Sorted, c: _Contacts) -> np.ndarray:
    """Positions (in `c`) of the kept probes by time, equal times in id order."""
    p = np.sort(c.probe[c.reason == 0])
    p = p[np.argsort(s.time[p], kind="stable")]
    position = np.full(len(s), -1, dtype=np.int64)
    position[c.probe] = np.arange(len(c.probe))
    return position[p]


def _excluded_by_reason(c: _Contacts) -> np.ndarray:
    """Positions (in `c`) of the excluded probes by reason, then tweet id."""
    xk = np.flatnonzero(c.reason != 0)
    return xk[_order(c.reason[xk].astype(np.int64), c.probe[xk])]


def _accounts(accounts: pd.DataFrame, names: list[str], used_brands: np.ndarray):
    """Every brand with a probe, named by the mapping (else by its handle, department ``other``)."""
    mapping = {a.lower(): (co, d) for a, co, d in accounts.itertuples(index=False)}
    used = sorted(set(np.unique(used_brands).tolist()), key=lambda k: names[k].lower())
    unmapped = [names[k] for k in used if names[k].lower() not in mapping]
    named = {k: mapping.get(names[k].lower(), (names[k], "other")) for k in used}
    table = pd.DataFrame({
        "company": [named[k][0] for k in used], "account": [names[k] for k in used],
        "department": [named[k][1] for k in used], "stated_hours": "", "timezone": "",
    }, columns=ACCOUNT_COLUMNS)
    # astype: with no accounts the columns are not text
    table = table.sort_values(["company", "account"], key=lambda col: col.astype(str).str.lower(),
                              kind="stable").reset_index(drop=True)
    companies = pa.array([named.get(k, (names[k],))[0] for k in range(len(names))], pa.string())
    return table, unmapped, companies


def _probe_table(tweets: Tweets, s: _Sorted, c: _Contacts, kept_at: np.ndarray, names: list[str],
                 companies: pa.Array) -> pa.Table:
    time, file_row, ids = s.time, s.file_row, s.ids
    observed_until = int(time.max()) if len(s) else 0
    p, brand, handles = c.probe[kept_at], pa.array(c.brand[kept_at]), pa.array(names, pa.string())
    r, f, fr = c.reply[kept_at], c.follow[kept_at], c.follow_reply[kept_at]
    return pa.table({
        "probe_id": pc.binary_join_element_wise("T", pa.array(ids[p]).cast(pa.string()), ""),
        "company": companies.take(brand),
        "account": handles.take(brand),
        "question_type": pa.repeat(QUESTION_TYPE, len(p)).cast(pa.string()),
        "tone": pa.nulls(len(p), pa.string()),
        "sent_at": iso_utc(time[p]),
        "observed_until": pa.repeat(iso_utc(np.array([observed_until]))[0], len(p)),
        "first_reply_at": iso_utc(_at(time, r)),
        "first_reply_text": _texts(tweets.text, _at(file_row, r, -1)),
        "follow_up_sent_at": iso_utc(_at(time, f)),
        "follow_up_reply_at": iso_utc(_at(time, fr)),
        "resolved_publicly": pa.nulls(len(p), pa.string()),
        "customer_id": s.authors.take(pa.array(s.author[p])),
        "tweet_id": pa.array(ids[p]),
        "source_line": pa.array(tweets.line[file_row[p]]),
        "question_text": _texts(tweets.text, file_row[p]),
        "first_reply_tweet_id": _ids_or_null(ids, r),
        "follow_up_tweet_id": _ids_or_null(ids, f),
        "follow_up_reply_tweet_id": _ids_or_null(ids, fr),
    })


def _excluded_table(tweets: Tweets, s: _Sorted, c: _Contacts, excluded_at: np.ndarray, names: list[str]) -> pa.Table:
    x = c.probe[excluded_at]
    return pa.table({
        "tweet_id": pa.array(s.ids[x], pa.int64()),
        "source_line": pa.array(tweets.line[s.file_row[x]], pa.int64()),
        "customer_id": s.authors.take(pa.array(s.author[x], pa.int64())),
        "account": pa.array(names, pa.string()).take(pa.array(c.brand[excluded_at], pa.int64())),
        "sent_at": iso_utc(s.time[x]),
        "reason": pa.array(np.asarray(("",) + EXCLUSIONS, dtype=object)[c.reason[excluded_at]].tolist(), pa.string()),
        "first_reply_at": iso_utc(_at(s.time, c.reply[excluded_at])),
    })


def _roles(tweets: Tweets, s: _Sorted, brand_of: np.ndarray, c: _Contacts, kept_at: np.ndarray,
           excluded_at: np.ndarray) -> dict[str, int]:
    """Every row has exactly one role; the counts add up to the rows of the file."""
    role = np.where(s.inbound, np.where(brand_of >= 0, 5, 6), 7)
    p, x = c.probe[kept_at], c.probe[excluded_at]
    r, f, fr = c.reply[kept_at], c.follow[kept_at], c.follow_reply[kept_at]
    for code, rows_ in ((4, fr), (3, f), (2, r), (1, x), (0, p)):
        role[rows_[rows_ >= 0]] = code
    counts = np.bincount(role, minlength=len(ROLES))
    rows = {name: int(counts[code]) for code, name in enumerate(ROLES)}
    rows["malformed"] = int(tweets.malformed["line"].nunique()) if len(tweets.malformed) else 0
    rows["total"] = sum(rows.values())
    return rows


def _summary(s: _Sorted, threads: _Threads, brands: _Brands, c: _Contacts, kept_at: np.ndarray,
             n_accounts: int) -> dict:
    kept, answered, n = c.reason == 0, c.reply >= 0, len(s)
    first, last = (iso_utc(np.array([s.time.min(), s.time.max()])).to_pylist() if n else ["", ""])
    return {
        "probes": int(kept.sum()),
        "answered": int((c.reply[kept_at] >= 0).sum()),
        "follow_ups": int((c.follow[kept_at] >= 0).sum()),
        "follow_ups_answered": int((c.follow_reply[kept_at] >= 0).sum()),
        "excluded_probes": {name: int((c.reason == code + 1).sum()) for code, name in enumerate(EXCLUSIONS)},
        "follow_ups_dropped_thread_cut": int(c.follow_cut.sum()),
        "answered_in_threads_with_links_outside_file": int((kept & answered & threads.thread_cut[c.probe]).sum()),
        "threads": int(np.count_nonzero(threads.root == np.arange(n))),
        "threads_with_links_outside_file": int(threads.cut.sum()),
        "links_to_tweets_outside_file": threads.links_outside,
        "brands_seen": len(brands.seen),
        "accounts": n_accounts,
        "first_tweet_at": first,
        "last_tweet_at": last,
    }


# --------------------------------------------------------------------------------------------
# Vectorised helpers


def _lookup(sorted_ids: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Position of each queried tweet id in `sorted_ids`, or -1 when the file does not hold it."""
    if len(sorted_ids) == 0:
        return np.full(len(query), -1, dtype=np.int64)
    i = np.minimum(np.searchsorted(sorted_ids, query), len(sorted_ids) - 1)
    return np.where((sorted_ids[i] == query) & (query >= 0), i, -1)


def _thread_roots(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The top tweet of each tweet's thread (pointer doubling), and which tweets sit in or under a loop."""
    root = np.where(parent >= 0, parent, np.arange(len(parent)))
    for _ in range(64):  # each pass doubles the depth covered: 2**64 covers any thread
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    # A true top tweet answers nothing in the file. Doubling can also settle inside a loop
    # (one of two tweets answering each other points at itself), so test the parent, not the pointer.
    return root, parent[root] >= 0


def _keys(major: np.ndarray, time: np.ndarray, q_major=None, q_time=None):
    """One int64 sort key per row from (major, time), or None when it could overflow."""
    times = [time] + ([q_time] if q_time is not None else [])
    t0 = min(int(t.min()) for t in times if len(t))
    span = max(int(t.max()) for t in times if len(t)) - t0 + 2
    top = max(int(m.max()) for m in ([major] + ([q_major] if q_major is not None else [])) if len(m))
    if (top + 1) * span >= 2**62:
        return None
    key = major.astype(np.int64) * span + (time - t0)
    return key if q_major is None else (key, q_major.astype(np.int64) * span + (q_time - t0))


def _order(major: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Rows sorted by (major, time), ties kept in row order (rows are in tweet-id order)."""
    if len(major) == 0:
        return np.zeros(0, dtype=np.int64)
    key = _keys(major, time)
    return np.argsort(key, kind="stable") if key is not None else np.lexsort((time, major))


def _first_at_or_after(group: np.ndarray, time: np.ndarray, q_group: np.ndarray, q_time: np.ndarray) -> np.ndarray:
    """For each query, the candidate with the same group and the earliest time >= the query's.

    Equal times go to the earlier candidate. Returns candidate positions, -1 where none qualifies.
    """
    if len(group) == 0 or len(q_group) == 0:
        return np.full(len(q_group), -1, dtype=np.int64)
    keys = _keys(group, time, q_group, q_time)
    if keys is None:  # huge keys: rank the groups first
        groups, dense = np.unique(group, return_inverse=True)
        q_dense = np.minimum(np.searchsorted(groups, q_group), len(groups) - 1)
        q_dense = np.where(groups[q_dense] == q_group, q_dense, len(groups))
        keys = _keys(dense, time, q_dense, q_time)
    key, q_key = keys
    order = np.argsort(key, kind="stable")
    at = np.minimum(np.searchsorted(key[order], q_key), len(key) - 1)
    hit = (group[order[at]] == q_group) & (time[order[at]] >= q_time)
    return np.where(hit, order[at], -1)


def _pick(rows: np.ndarray, group: np.ndarray, time: np.ndarray,
          q_group: np.ndarray, q_time: np.ndarray) -> np.ndarray:
    """Row of the earliest candidate (among `rows`) in the query's group at or after its time."""
    at = _first_at_or_after(group, time[rows], q_group, q_time)
    return np.where(at >= 0, rows[np.maximum(at, 0)] if len(rows) else -1, -1)


def _mentioned_brand(texts: pa.Array, brand_lower: pa.Array) -> np.ndarray:
    """Index of the first @mentioned known brand handle in each text (-1 if none)."""
    out = np.full(len(texts), -1, dtype=np.int64)
    rest, where = texts, np.arange(len(texts))
    for _ in range(10):  # the k-th pass looks at the k-th mention
        handle = pc.struct_field(pc.extract_regex(rest, r"@(?P<h>\w{1,50})"), "h")
        found = pc.fill_null(pc.index_in(pc.utf8_lower(handle), value_set=brand_lower), -1).to_numpy(
            zero_copy_only=False)
        out[where[found >= 0]] = found[found >= 0]
        more = (pc.is_valid(handle).to_numpy(zero_copy_only=False)) & (found < 0)
        if not more.any():
            return out
        where = where[more]
        rest = pc.replace_substring_regex(pc.filter(rest, pa.array(more)), r"^.*?@\w{1,50}", "", max_replacements=1)
    for k, text in zip(where, rest.to_pylist(), strict=True):  # texts with more than ten mentions
        for h in _MENTION.findall(text or ""):
            found = pc.index_in(pa.array([h.lower()]), value_set=brand_lower)[0].as_py()
            if found is not None:
                out[k] = found
                break
    return out


def _at(values: np.ndarray, rows: np.ndarray, missing: int = MISSING_SECONDS) -> np.ndarray:
    return np.where(rows >= 0, values[np.maximum(rows, 0)] if len(values) else 0, missing)


def _texts(text: pa.Array, rows: np.ndarray) -> pa.Array:
    picked = pc.take(text, pa.array(np.maximum(rows, 0))) if len(text) else pa.nulls(len(rows), pa.string())
    return pc.if_else(pa.array(rows >= 0), picked, pa.scalar(None, pa.string()))


def _ids_or_null(ids: np.ndarray, rows: np.ndarray) -> pa.Array:
    picked = ids[np.maximum(rows, 0)] if len(ids) else np.zeros(len(rows), dtype=np.int64)
    return pa.array(picked, pa.int64(), mask=rows < 0)
