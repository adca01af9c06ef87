"""Self-check verdicts for workshop exercises: right, or "not yet" with a message that teaches.

A check never raises for a learner's answer: an unfilled ``...``, a wrong type or a wrong value
each get a verdict in the learner's language (catalogue file ``workshop.yml`` and the lessons'
own ``workshop_w*.yml``). Each verdict is shown as Markdown and carries its result in the
output's metadata (``socialcare_check``), so tests can read what a learner would see.

Why not otter-grader: its messages are English only and come from test files beside the
notebook; these checks diagnose the usual mistakes (a dropped unanswered question, a percent
for a share) in both languages, need no extra package in a room without internet, and are
package code the tests reach.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from helpers.text.catalogue import t, t_plain
from helpers.text.markup import Markup, md_code, md_text

PASSED, NOT_YET = "passed", "not yet"
METADATA_KEY = "socialcare_check"  # output metadata: {"id": ..., "status": ...}


@dataclass(frozen=True)
class Verdict:
    """The result of one check, shown in the notebook as Markdown."""

    check: str  # the check's id, e.g. "w1-answer-rate"
    passed: bool
    message: str  # Markdown in the learner's language
    lang: str = "en"
    heads: tuple[str, str] = ("ws_right", "ws_not_yet")  # catalogue keys of the first words: passed, not

    @property
    def status(self) -> str:
        return PASSED if self.passed else NOT_YET

    def _repr_mimebundle_(self, include=None, exclude=None):
        head = t(self.heads[0] if self.passed else self.heads[1], self.lang)
        text = f"{head} {self.message}".strip()
        data = {"text/markdown": text, "text/plain": f"[{self.status}] {self.check}: {text}"}
        return data, {METADATA_KEY: {"id": self.check, "status": self.status}}


def _filled(value) -> bool:
    """False for the learner's placeholder: ``...`` or None."""
    return value is not ... and value is not None


def _as_number(value) -> float | None:
    """`value` as a float, or None when it is not one number (a list, a text, a table)."""
    if isinstance(value, bool | str):  # "0.5" is text: the learner should compute, not type
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number


@dataclass
class Checker:
    """Checks for one notebook, in its reader's language; remembers each check's last verdict."""

    lang: str = "en"
    heads: tuple[str, str] = ("ws_right", "ws_not_yet")  # W0 says "OK" / "Problem" instead
    verdicts: dict[str, Verdict] = field(default_factory=dict)

    def verdict(self, check: str, passed: bool, key: str, **values) -> Verdict:
        """Record and return a verdict whose message is the catalogue text `key` (none when empty)."""
        verdict = Verdict(check, passed, str(t(key, self.lang, **values)) if key else "", self.lang, self.heads)
        self.verdicts[check] = verdict
        return verdict

    def _unfilled(self, check: str, value) -> Verdict | None:
        if not _filled(value):
            return self.verdict(check, False, "ws_fill_in")
        return None

    def number(self, check: str, got, expected: float, *, tol: float = 1e-6,
               mistakes: Iterable[tuple[float | Callable[[float], bool], str]] = (),
               hint: str = "ws_try_again", right: str = "", **values) -> Verdict:
        """Is `got` the number `expected` (within `tol`, relative or absolute)?

        `mistakes` pairs a wrong value (or a test of the value) with the catalogue key of a message
        that explains that mistake; `hint` is the message for any other wrong value and `right`
        an optional word on success. `values` fill the messages' blanks.
        """
        if (verdict := self._unfilled(check, got)) is not None:
            return verdict
        number = _as_number(got)
        if number is None or math.isnan(number):
            return self.verdict(check, False, "ws_not_a_number", got=type(got).__name__)
        values = {"got": number, "expected": expected, **values}
        if math.isclose(number, expected, rel_tol=tol, abs_tol=tol):
            return self.verdict(check, True, right, **values)
        for wrong, key in mistakes:
            hit = wrong(number) if callable(wrong) else math.isclose(number, wrong, rel_tol=tol, abs_tol=tol)
            if hit:
                return self.verdict(check, False, key, **values)
        return self.verdict(check, False, hint, **values)

    def interval(self, check: str, got, expected: Sequence[float], *, tol: float = 1e-4,
                 mistakes: Iterable[tuple[Sequence[float] | Callable[[float, float], bool], str]] = (),
                 hint: str = "ws_try_again", right: str = "", **values) -> Verdict:
        """Is `got` the pair (low, high) `expected`? `mistakes` as in `number`, with pairs."""
        if (verdict := self._unfilled(check, got)) is not None:
            return verdict
        try:
            low, high = (_as_number(x) for x in got)
        except (TypeError, ValueError):
            return self.verdict(check, False, "ws_not_a_pair")
        if low is None or high is None:
            return self.verdict(check, False, "ws_not_a_pair")
        values = {"low": low, "high": high, **values}
        if low > high:
            return self.verdict(check, False, "ws_pair_order", **values)

        def close(pair) -> bool:
            return all(math.isclose(a, b, rel_tol=tol, abs_tol=tol) for a, b in zip((low, high), pair))

        if close(expected):
            return self.verdict(check, True, right, **values)
        for wrong, key in mistakes:
            if (wrong(low, high) if callable(wrong) else close(wrong)):
                return self.verdict(check, False, key, **values)
        return self.verdict(check, False, hint, **values)

    def choice(self, check: str, got, expected, *, options: Sequence = (),
               mistakes: Iterable[tuple[object, str]] = (), hint: str = "ws_try_again",
               right: str = "", **values) -> Verdict:
        """Is `got` the option `expected` (texts compared without case or surrounding blanks)?"""
        if (verdict := self._unfilled(check, got)) is not None:
            return verdict

        def same(a, b) -> bool:
            if isinstance(a, str) and isinstance(b, str):
                return a.strip().casefold() == b.strip().casefold()
            return a == b

        shown = Markup(", ").join(Markup(f"`{md_code(o)}`") for o in options)
        values = {"options": shown, **values}
        if options and not any(same(got, o) for o in options):
            return self.verdict(check, False, "ws_not_an_option", **values)
        if same(got, expected):
            return self.verdict(check, True, right, **values)
        for wrong, key in mistakes:
            if same(got, wrong):
                return self.verdict(check, False, key, **values)
        return self.verdict(check, False, hint, **values)

    def written(self, check: str, text, *, min_words: int = 8, reveal: str = "") -> Verdict:
        """Has the learner written a conclusion of their own? Only then is `reveal` shown beside it.

        `reveal` is Markdown (the package's sentence, from `t`); the learner's text is shown as text.
        """
        if (verdict := self._unfilled(check, text)) is not None or not isinstance(text, str):
            return verdict or self.verdict(check, False, "ws_write_text")
        words = len(text.split()) if self.lang != "ja" else len(text.strip()) // 3
        if words < min_words:
            return self.verdict(check, False, "ws_write_more", words=min_words)
        shown = md_text(" ".join(text.split()))
        if reveal:
            return self.verdict(check, True, "ws_compare", yours=shown, package=reveal)
        return self.verdict(check, True, "ws_written", yours=shown)

    def summary(self) -> Verdict:
        """How many of this notebook's checks have passed so far."""
        passed = sum(v.passed for v in self.verdicts.values())
        total = len(self.verdicts)
        return Verdict("summary", passed == total and total > 0,
                       str(t("ws_summary", self.lang, passed=passed, total=total)), self.lang, self.heads)


def plain(key: str, lang: str = "en", **values) -> str:
    """A lesson's catalogue text for a figure or a printed line (not Markdown)."""
    return t_plain(key, lang, **values)
