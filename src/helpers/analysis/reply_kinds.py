"""What a reply was: an answer, an acknowledgement or a redirect; and copy-paste templates.

Reply kinds (transparent rules, English and Japanese; every rule has a name, reported beside
the kind it gave)::

    redirect         the brand moves the customer elsewhere instead of helping here: to DM,
                     e-mail, phone, a web or contact form, chat, a store or agent, or another
                     handle ("Please DM us your order number", "お電話にてお問い合わせください")
    answer           the reply gives information or a concrete step that addresses the message
                     ("Our stores open 9am-8pm", "Try restarting the app", "返品は30日以内に…")
    acknowledgement  anything else: thanks, apologies, "we're looking into it", clarifying
                     questions, replies to praise

How a reply is classified:

1. The text is normalised (`normalise`): Unicode NFKC, lower case; URLs, e-mail addresses,
   phone numbers, @handles and numbers become placeholders; the leading @mentions, thread
   counters (``1/2``) and agent sign-offs (``^JD``, ``-Becky``, ``/MT``) are removed.
2. It is split into sentences (``. ! ? 。 ！ ？`` and line breaks).
3. A sentence that matches a redirect rule is a redirect sentence. Answer rules are looked for
   only in the other sentences, so "you can DM us" is a redirect, not an answer.
4. Kind: ``answer`` if any sentence matches an answer rule; else ``redirect`` if any sentence
   is a redirect sentence; else ``answer`` if a sentence states something substantive (a
   statement of at least `SUBSTANTIVE_WORDS` words that is not a question or a pleasantry);
   else ``acknowledgement``. A reply that both answers and offers a DM is an answer: the
   customer got what they asked for in public.

Templates (`template_clusters`): within one account, replies whose normalised texts share at
least `TEMPLATE_SIMILARITY` of their character trigrams (Jaccard) are linked, and linked
replies form a cluster. Character trigrams need no word splitting, so the same rule works for
Japanese; placeholders make names of handles, order numbers and URLs irrelevant, and a
different customer name changes only a few trigrams. Replies shorter than
`TEMPLATE_MIN_CHARS` normalised characters ("Thanks!") are never called templates, and two
replies to the same customer are never linked (a repeated answer is not a copy-paste habit).
Identical replies are grouped before any comparison, so an account that sent one template
100,000 times costs one comparison, not billions. Beyond `EXACT_MAX_SETS` different replies in
one account, likely pairs come from MinHash and each is checked exactly (`_lsh_pairs`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

REPLY_KINDS = ("answer", "acknowledgement", "redirect")
SUBSTANTIVE_WORDS = 6
TEMPLATE_SIMILARITY = 0.6
TEMPLATE_MIN_CHARS = 25

# --------------------------------------------------------------------------------------------
# Normalisation

_URL = re.compile(r"(https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_HANDLE = re.compile(r"@\w+")
# Three or more digit groups with separators ("0800 123 4567", "800-892-4357", "+44 20 7946 0000");
# not an ISO date, and not a bare run of digits such as an order number.
_PHONE = re.compile(r"(?<!\w)(?!\d{4}-\d{2}-\d{2}\b)(\+?\(?\d{1,4}\)?(?:[\s.-]\(?\d{2,4}\)?){2,4})(?!\w)")
_NUMBER = re.compile(r"\b[a-z]{0,4}\d[\w-]*\b")
_LEADING_HANDLES = re.compile(r"^(\s*@\w+[,:]?)+\s*")
_THREAD = re.compile(r"(\(\s*)?\b\d\s*/\s*\d\b(\s*\))?")
# Agent sign-offs at the end (^JD, *KellenF, -Becky, - Tom, /MT, ~Derrick, = JJ), even before a URL
_SIGNOFF = re.compile(r"\s*(?:[\^*~=/]|-\s?)\s*[a-z][a-z .]{0,20}((?:\s*<url>)*)$")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text with the parts that vary between customers replaced by placeholders."""
    t = unicodedata.normalize("NFKC", str(text)).replace("’", "'")
    t = t.replace("&amp;", "&").replace("&gt;", ">").replace("&lt;", "<")  # HTML entities, as in tweets
    t = _URL.sub(" <url> ", t)
    t = _EMAIL.sub(" <email> ", t)
    t = _LEADING_HANDLES.sub("", t)
    t = _HANDLE.sub(" <handle> ", t)
    t = _PHONE.sub(" <phone> ", t)
    t = t.lower()
    t = _THREAD.sub(" ", t)
    t = _SPACE.sub(" ", t).strip()
    t = _SIGNOFF.sub(r"\1", t).strip()
    t = _NUMBER.sub("<num>", t)
    return _SPACE.sub(" ", t).strip()


# Plain ASCII @handles at the start, before a space: `normalise` removes them anyway, and they
# are what makes most replies distinct ("@543817 Sorry to hear that..."). RE2 syntax (no lookahead).
_ASCII_LEAD = r"^@[A-Za-z0-9_]+[,:]?(?: +@[A-Za-z0-9_]+[,:]?)*([ \t\r\n])"


def normalise_all(texts: Sequence[str] | pd.Series) -> np.ndarray:
    """`normalise` of each text ("" for a missing one), each distinct text normalised once.

    Plain leading @handles are cut off first, so a template sent to 100,000 customers is one
    text: the cut keeps the space after the handles, which makes it change nothing `normalise`
    gives (tested on real replies and on generated ones).
    """
    key = pd.Series(texts, dtype="str").str.replace(_ASCII_LEAD, r"\1", regex=True)  # in pyarrow, at once
    codes, distinct = pd.factorize(key, use_na_sentinel=True)
    done = np.array([normalise(k) for k in distinct] + [""], dtype=object)  # code -1 (missing) reads ""
    return done[codes]


_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*|\n+")


def sentences(normalised: str) -> list[str]:
    """Sentences of a normalised reply (end punctuation kept, so questions can be told)."""
    return [s.strip() for s in _SENTENCE.split(normalised) if s and s.strip(" .")]


# --------------------------------------------------------------------------------------------
# Rules. Each is (name, pattern); patterns run on normalised, lower-case text.

_DM = r"(\bdms?\b|\bd\.m\.?|direct messages?|direct msg|private messages?|\bpms?\b|dm'?s\b|inbox)"
REDIRECT_RULES: tuple[tuple[str, str], ...] = (
    ("any:email-address", r"<email>"),
    ("any:phone-number", r"<phone>"),
    ("en:dm", _DM),
    ("en:message-privately", r"\b(message|msg) (us|me)\b|\bmessage me your\b|privately"),
    ("en:follow-to-message", r"\bfollow (us|me)\b.*\b(so|and)\b"),
    ("en:email", r"\be-?mail (us|me)\b|\bsend (us|me) an? e-?mail|\bby e-?mail\b|\bvia e-?mail\b"),
    ("en:phone", r"\b(call|ring|phone) (us|me)\b|\bgive (us|me) a (call|ring)\b|\bby phone\b|\bvia phone\b"
                 r"|\bphone/chat\b|\b(we'll|we will|will) call you\b|\bover the phone\b|\bcall your\b"
                 r"|\bspeak with you via phone\b|\bcall (our|the) \w+"),
    ("en:form-or-chat", r"\b(contact|reach) (us|out to us|our \w+ teams?)\b.*(<url>|via|through|using|\bat\b|\bby\b)"
                        r"|\bsend (us|me)\b.*\bhere\b:? ?<url>"
                        r"|\bsend (us )?a note\b|\b(tell us|details|follow up) (more )?here\b"
                        r"|\b(fill|complete) (out|in)\b|\bcontact form\b|\blive chat\b|\bchat team\b"
                        r"|\bvia the link\b|\bclick (here|on the link)\b.*\b(send|provide|dm)\b"
                        r"|\blog (full )?details\b|\bforward (some|the|your)? ?details\b"),
    ("en:another-handle", r"\b(tweet|dm|contact|reach out to|message|ask|friends (at|from)) .*<handle>"
                          r"|<handle>.*\b(can|will|would be able to) (help|assist)\b|<handle>.*\b(tweet|contact|message) them\b"),
    ("en:elsewhere-in-person", r"\bsee an? (agent|team member|colleague)\b|\bvisit (your|a|the) (local )?(store|branch)\b"
                               r"|\bcall(ed)? your local store\b|\bspeak (to|with) (our|the|a) [\w ]{0,30}(team|department)\b"),
    ("en:other-team-will-contact", r"\b(someone|a member) (from|of) (that|our|the) \w+ (team )?will (get back|contact|reach)"
                                   r"|\bdo not have access\b.*\bthis channel\b"),
    ("ja:dm", r"(?<![a-z])dm(?![a-z])|ダイレクト ?メッセージ|メッセージ(にて|で|を|まで|から)|個別に"),
    ("ja:email", r"メール(にて|で|を|まで|アドレス)"),
    ("ja:phone", r"電話|フリーダイヤル|コールセンター"),
    ("ja:form-or-desk", r"(お問い?合わせ|問合せ|お問合せ)(フォーム|窓口|先|ページ)|フォーム(から|より|にて)"
                        r"|窓口|カスタマー ?(センター|サポート)|サポートセンター|店舗(へ|に|まで|にて).*(お越し|ご来店|お問い?合わせ|ご相談)"),
    ("ja:another-handle", r"<handle> ?(まで|へ|に|にて|宛)"),
)

ANSWER_RULES: tuple[tuple[str, str], ...] = (
    ("en:instruction", r"settings ?>|(?<!to )\b(try|tried|restart|reinstall|uninstall|reset|update|clear|disable|enable|power cycle"
                       r"|sign(ing)? out|log(ging)? (in|out)|make sure|check (the|your|out|if|that)|select|tap|go to"
                       r"|head to|take it back|bring it|upload|redeem|report it)\b"),
    ("en:you-can", r"\byou ?(can|could|may|will need|'ll need|will need|need to|should|must|won't|will be able|will get|'ll get"
                   r"|'ll be charged|will be charged|'ll be)\b|\byou're (able|good to go|all set)\b"),
    ("en:recommend", r"\b(we|i)('d| would)? (recommend|suggest|advise)\b"),
    ("en:resource", r"\b(article|help page|help pages|steps|guide|faq|status page|info(rmation)? will be)\b.*<url>"
                    r"|<url>.*\b(article|steps|guide)\b|\bthis (might|may|should|will) help\b|\bhere'?s how\b"
                    r"|\bsteps here\b|\bcheck out\b"),
    ("en:opening-hours", r"\b(open|opens|closed|close|closes)\b.*(\b<num> ?(am|pm)\b|<num>:<num>|\buntil\b|\btill\b"
                         r"|\bfrom\b|\bmonday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow)"
                         r"|\bopening (hours|times) (are|is)\b|\b(that|it)'?ll be open\b|\bwill be open\b"),
    ("en:returns-policy", r"\b(return|refund|exchange)s?\b.*\b(within|days|receipt|proof of purchase|policy|free)\b"),
    ("en:status-fact", r"\b(is|are) (currently |now |not |no longer )?(online|offline|available|unavailable|supported"
                       r"|not available|not supported|running|delayed|cancelled|removed|half price|in stock"
                       r"|out of stock)\b|\b(no longer|not) (supported|available)\b|\bbecause\b|\bdue to\b"
                       r"|\bunfortunately\b.*\b(unable|can't|cannot|not)\b|\bno eta\b|\bwill be (back|available|reopen)"),
    ("en:yes-no", r"^(yes|no|yep|nope|correct)\b(?!.*\?$)|\b(yes|no),? (of course|you can|it is|it does|it will|that's right)\b"),
    ("ja:hours", r"営業時間|受付時間|<num> ?(時|:<num>)|(開店|閉店|営業)(は|して|いた)"),
    ("ja:instruction", r"お試しください|ご確認いただけます|ご利用いただけます|(可能|必要)です|できます|いただけます"
                       r"|手順|方法は|をご覧ください|をご参照ください|お持ちください|お手続き"),
    ("ja:returns-policy", r"(返品|交換|返金)(は|の|を|に).*(日以内|レシート|可能|承|受け付け|できます|いただけます)"),
    ("ja:status-fact", r"(現在|ただいま).*(しております|です|ございます)|ためです|(?<!申し訳)ございません|ため、"),
)

PLEASANTRY = re.compile(
    r"\b(thanks?|thank you|ty|sorry|apolog\w*|glad|happy to help|here to help|we'?re here|love|appreciate"
    r"|congrat\w*|hope|enjoy|have a (great|good|nice)|let (us|me) know|keep us posted|look(ing)? into|take a look"
    r"|pass (this|your|it|on)|shared? (the|your|this)? ?feedback|we understand|we'?d love|oh no|no worries"
    r"|awesome|great|cheers|feel free)\b"
    r"|^(hi|hello|hey|good (morning|afternoon|evening))\b|saw your tweet|\bwant to (help|do|make)|\b(would|'d) like to"
    r"|\btell (us|me) (more|what)|\bif (you need|there is anything|you have)|\bcheck(ing)? in\b|\bchecking if\b|pleased"
    r"|ありがとう|申し訳|恐れ入り|お待ちしております|確認(いた)?します|確認いたします|お待ちください|共有(いた)?します"
    r"|嬉しい|うれしい|光栄|お詫び|ご不便|ご迷惑|励み|参考にさせて"
)

# A statement informs when it says how things are or will be, or carries a figure.
INFORMATIVE = re.compile(
    r"<num>|\b(is|are|was|were|has been|have been|will be|won't|can be|cannot|can't|isn't|aren't|don't|doesn't"
    r"|appears?|currently|expected|need|offer|should)\b"
    r"|です|ます|ません|でした"
)

_COMPILED_REDIRECT = tuple((n, re.compile(p)) for n, p in REDIRECT_RULES)
_COMPILED_ANSWER = tuple((n, re.compile(p)) for n, p in ANSWER_RULES)
_WORD = re.compile(r"[a-z']+|[\u3040-\u30ff\u4e00-\u9fff]{2}")


@dataclass(frozen=True)
class ReplyKind:
    """The kind of one reply and the rule that decided it."""

    kind: str
    rule: str


def _first(rules, text: str) -> str | None:
    for name, pattern in rules:
        if pattern.search(text):
            return name
    return None


def _substantive(sentence: str) -> bool:
    if sentence.endswith(("?", "？")) or PLEASANTRY.search(sentence) or not INFORMATIVE.search(sentence):
        return False
    return len(_WORD.findall(sentence)) >= SUBSTANTIVE_WORDS


def classify(text: str) -> ReplyKind:
    """Classify one reply text (see the module docstring for the rules)."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        return _NO_TEXT
    return classify_normalised(normalise(text))


_NO_TEXT = ReplyKind("", "no-text")


def classify_normalised(normalised: str) -> ReplyKind:
    """Classify a reply from its `normalise`d text (which is all the rules read)."""
    redirect_rule = answer_rule = None
    plain: list[str] = []
    for s in sentences(normalised):
        hit = _first(_COMPILED_REDIRECT, s)
        if hit:
            redirect_rule = redirect_rule or hit
        else:
            plain.append(s)
            answer_rule = answer_rule or _first(_COMPILED_ANSWER, s)
    if answer_rule:
        return ReplyKind("answer", answer_rule)
    if redirect_rule:
        return ReplyKind("redirect", redirect_rule)
    if any(_substantive(s) for s in plain):
        return ReplyKind("answer", "statement")
    return ReplyKind("acknowledgement", "default")


def classify_all(texts: Sequence[str] | pd.Series, normalised: np.ndarray | None = None) -> pd.DataFrame:
    """``reply_kind`` and ``reply_rule`` for each text (empty for missing text), same index.

    `normalised`: the texts' `normalise_all`, when the caller has it already.
    """
    index = texts.index if isinstance(texts, pd.Series) else None
    has_text = (pd.Series(texts, dtype="str").fillna("").str.strip() != "").to_numpy()
    norm = normalise_all(texts) if normalised is None else np.asarray(normalised, dtype=object)
    # Each distinct normalised text is classified once: copy-paste replies repeat one thousands of times.
    codes, distinct = pd.factorize(pd.Series(np.where(has_text, norm, None), dtype=object), use_na_sentinel=True)
    decided = [classify_normalised(n) for n in distinct] + [_NO_TEXT]  # code -1 (no text) reads the last
    kinds = np.array([o.kind for o in decided], dtype=object)[codes]
    rules = np.array([o.rule for o in decided], dtype=object)[codes]
    return pd.DataFrame({"reply_kind": kinds, "reply_rule": rules}, index=index)


# --------------------------------------------------------------------------------------------
# Templates


def trigrams(normalised: str) -> set[str]:
    """Character trigrams of a normalised text (placeholders count as one character each)."""
    t = re.sub(r"<(\w+)>", lambda m: "\x00" + m.group(1)[0], normalised)
    return {t[i:i + 3] for i in range(len(t) - 2)}


# Beyond this many distinct replies in one account, comparing every pair (quadratic) gives way to
# MinHash candidates, each checked exactly (`_lsh_pairs`).
EXACT_MAX_SETS = 4000
LSH_BANDS, LSH_ROWS = 20, 3  # a pair at similarity 0.6 becomes a candidate with chance 1 - (1 - 0.6**3)**20 > 0.99


def _similar_pairs(grams: list[set[str]], threshold: float) -> list[tuple[int, int]]:
    """Index pairs whose trigram sets have Jaccard similarity >= threshold (sparse product).

    Beyond `EXACT_MAX_SETS` sets, the pairs come from `_lsh_pairs`: every pair given is similar,
    but a similar pair may be missed (rarely; see there).
    """
    m = _incidence(grams)
    if m is None:
        return []
    if len(grams) > EXACT_MAX_SETS:
        return _lsh_pairs(m, threshold)
    inter = (m @ m.T).tocoo()
    sizes = np.array([len(g) for g in grams])
    keep = inter.row < inter.col
    i, j, k = inter.row[keep], inter.col[keep], inter.data[keep]
    jaccard = k / (sizes[i] + sizes[j] - k)
    ok = jaccard >= threshold
    return list(zip(i[ok].tolist(), j[ok].tolist(), strict=True))


def _incidence(grams: list[set[str]]):
    """The sets as a sparse 0/1 matrix (set x trigram), or None when all are empty."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, g in enumerate(grams):
        for x in g:
            rows.append(i)
            cols.append(vocab.setdefault(x, len(vocab)))
    if not rows:
        return None
    return csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(grams), len(vocab)))


def _lsh_pairs(m, threshold: float, seed: int = 20171031, chunk: int = 500_000) -> list[tuple[int, int]]:
    """Similar pairs among many sets in near-linear work: MinHash locality-sensitive hashing.

    Each set gets ``LSH_BANDS * LSH_ROWS`` MinHash values; sets that agree on all values of one
    band fall in one bucket, and each set in a bucket is checked, exactly, against the bucket's
    first set and against the next set of the bucket. So no pair is given that is not similar. A
    similar pair is missed when no band brings it together (under 1% at similarity 0.6, less for
    closer pairs) or when it meets only where neither is the first or the next of the other; the
    clusters, joined by many pairs, rarely split (tested against comparing every pair).
    """
    m = m.tocsr()
    n = m.shape[0]
    sizes = np.diff(m.indptr)
    has = sizes > 0
    rng = np.random.default_rng(seed)
    prime = (1 << 31) - 1
    a = rng.integers(1, prime, size=LSH_BANDS * LSH_ROWS, dtype=np.int64)
    b = rng.integers(0, prime, size=LSH_BANDS * LSH_ROWS, dtype=np.int64)
    trigram = m.indices.astype(np.int64)
    starts = m.indptr[:-1][has]
    signature = np.empty((n, len(a)), dtype=np.int64)
    signature[~has] = -1 - np.arange(int((~has).sum()))[:, None]  # empty sets meet nothing
    for h in range(len(a)):
        signature[has, h] = np.minimum.reduceat((a[h] * trigram + b[h]) % prime, starts)
    leaders, members = [], []
    everyone = np.arange(n)
    for band in range(LSH_BANDS):
        _, bucket = np.unique(signature[:, band * LSH_ROWS:(band + 1) * LSH_ROWS], axis=0, return_inverse=True)
        bucket = bucket.ravel()
        first = np.full(bucket.max() + 1, n)
        np.minimum.at(first, bucket, everyone)
        leader = first[bucket]
        joined = leader != everyone
        leaders.append(leader[joined])
        members.append(everyone[joined])
        order = np.argsort(bucket, kind="stable")  # and each set with the next one of its bucket
        same = bucket[order[1:]] == bucket[order[:-1]]
        leaders.append(order[:-1][same])
        members.append(order[1:][same])
    if not leaders:
        return []
    pairs = np.unique(np.concatenate(leaders) * n + np.concatenate(members))
    i, j = pairs // n, pairs % n
    out: list[tuple[int, int]] = []
    for start in range(0, len(i), chunk):  # exact overlaps, a bounded number of pairs at a time
        x, y = i[start:start + chunk], j[start:start + chunk]
        k = np.asarray(m[x].multiply(m[y]).sum(axis=1)).ravel()
        ok = k / (sizes[x] + sizes[y] - k) >= threshold
        out += zip(x[ok].tolist(), y[ok].tolist(), strict=True)
    return out


def template_clusters(texts: pd.Series, account: pd.Series, customer: pd.Series | None = None,
                      threshold: float = TEMPLATE_SIMILARITY, min_chars: int = TEMPLATE_MIN_CHARS,
                      normalised: np.ndarray | None = None) -> pd.Series:
    """Template cluster of each reply: ``<account>#T<k>`` for copy-paste replies, else empty.

    Parameters
    ----------
    texts, account
        Reply texts and the account that sent each one (same index). Missing text: no cluster.
    customer
        Who each reply went to; replies to the same customer are never linked. By default
        every reply went to a different customer (one probe, one customer).
    threshold
        Jaccard similarity of character trigrams at which two replies are near-identical.
    min_chars
        Shorter normalised replies are never templates.
    normalised
        The texts' `normalise_all`, when the caller has it already.
    """
    out = np.full(len(texts), "", dtype=object)
    who = np.arange(len(texts)) if customer is None else customer.to_numpy(dtype=object)
    values = normalise_all(texts) if normalised is None else np.asarray(normalised, dtype=object)
    has_text = (texts.fillna("").astype(str).str.strip() != "").to_numpy()
    grams: dict[str, frozenset | None] = {}  # by distinct normalised text: trigrams, None when too short
    for norm in pd.unique(values[has_text]):
        grams[norm] = frozenset(trigrams(norm)) if len(norm) >= min_chars else None
    for acc, at in pd.Series(np.flatnonzero(has_text)).groupby(account.to_numpy()[has_text], sort=True):
        at = at.to_numpy()
        sets = [grams[t] for t in values[at]]
        usable = at[[g is not None for g in sets]]
        if len(usable) < 2:
            continue
        labels = _account_clusters([grams[t] for t in values[usable]], who[usable].tolist(), threshold)
        for i, n in zip(usable, labels, strict=True):
            if n:
                out[i] = f"{acc}#T{n}"
    return pd.Series(out, index=texts.index, dtype=object)


def _account_clusters(grams: list[set[str]], customers: list, threshold: float) -> list[int]:
    """Cluster number (1, 2, ...; 0 for none) of each reply of one account.

    Replies with the same trigram set are grouped first, so a template sent ten thousand times is
    compared once, not fifty million times; the clusters are those of linking every similar pair
    of replies to different customers:

    * within a group, the replies are linked when they went to two or more customers;
    * two similar groups are linked in full when their replies went to two or more customers
      between them (each reply then has a partner to another customer in the pair).
    """
    groups: dict[frozenset, list[int]] = {}
    for i, g in enumerate(grams):
        groups.setdefault(g if isinstance(g, frozenset) else frozenset(g), []).append(i)
    members = list(groups.values())
    reached = [{customers[i] for i in m} for m in members]
    parent = list(range(len(grams)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(items: list[int]) -> None:
        root = find(items[0])
        for other in items[1:]:
            parent[find(other)] = root

    for m, who in zip(members, reached, strict=True):
        if len(who) > 1:
            join(m)
    for a, b in _similar_pairs([set(key) for key in groups], threshold):
        if len(reached[a] | reached[b]) > 1:
            join(members[a] + members[b])
    roots = [find(i) for i in range(len(grams))]
    sizes: dict[int, int] = {}
    for r in roots:
        sizes[r] = sizes.get(r, 0) + 1
    number: dict[int, int] = {}  # clusters numbered by their first reply, as listed
    labels = []
    for r in roots:
        if sizes[r] < 2:
            labels.append(0)
            continue
        labels.append(number.setdefault(r, len(number) + 1))
    return labels


def agreement(predicted: pd.Series, labelled: pd.Series) -> pd.DataFrame:
    """Precision and recall of the rules per reply kind against labels (aligned Series).

    Rows: one per kind plus ``all`` (accuracy in both columns); columns ``labelled,
    predicted, correct, precision, recall``.
    """
    predicted, labelled = predicted.astype(str), labelled.astype(str)
    rows = []
    for kind in REPLY_KINDS:
        p, t = predicted == kind, labelled == kind
        rows.append({"kind": kind, "labelled": int(t.sum()), "predicted": int(p.sum()), "correct": int((p & t).sum()),
                     "precision": (p & t).sum() / p.sum() if p.any() else np.nan,
                     "recall": (p & t).sum() / t.sum() if t.any() else np.nan})
    correct = int((predicted == labelled).sum())
    accuracy = correct / len(labelled) if len(labelled) else np.nan
    rows.append({"kind": "all", "labelled": len(labelled), "predicted": len(predicted), "correct": correct,
                 "precision": accuracy, "recall": accuracy})
    return pd.DataFrame(rows)
