"""Every word a reader sees, in English and Japanese: `t(key, lang, **values)`, `term`, `show`.

The words are data, in the YAML files of ``helpers/text/words/``, one file per reader surface:

- ``banners.yml``: what data a page or figure shows (scorecard and notebook banners, figure labels)
- ``scorecard.yml``: the company scorecard (headings, findings, accounts table, its figures)
- ``figures.yml``: titles, axes and legends of the analysis figures
- ``departments.yml``: departments in the reader's words
- ``site.yml``: the report index and the titles of the analysis pages
- ``sentences.yml``: the sentences the analysis notebooks write from their numbers
- ``reasons.yml``: why a comparison has no estimate (one entry per reason code of `helpers.compare`)
- ``metrics.yml``: the metrics of comparisons.csv in words
- ``formatting.yml``: durations, intervals, estimates and counts
- ``terms.yml``: machine words (column names, vocabulary values); `term` and `show` read them
- ``workshop.yml`` and ``workshop_w<N>.yml``: what the workshop's self-checks say, in general and per lesson

Each entry is a key with its text in every language side by side::

    h_answer: {en: "Answer rate", ja: "回答率"}

Blanks in braces (``{company}``) are filled by `t`, which escapes every value for Markdown
(`helpers.text.markup`: a value from data can never become markup); `t_plain` fills them as they
are, for figures and table cells (matplotlib draws text, pandas escapes cells), and `t_html`
escapes text and values for HTML built in Python (the index, the navigation). Keys are unique across files; `load` rejects
an entry missing a language, an unknown language, a value that is not text, or a repeated key, naming
the file and the key. A report switches language with one parameter (``lang``: ``en`` or ``ja``).
"""

from __future__ import annotations

import functools
import html
import string
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import yaml

from helpers import paths
from helpers.text import formatting as fmt
from helpers.text import markup
from helpers.text.markup import Html, Markup

LANGS = ("en", "ja")
WORDS_DIR = paths.WORDS_DIR
TERMS_FILE = "terms.yml"


class CatalogueError(ValueError):
    """A catalogue file that does not hold text in every language."""


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """YAML's safe loader, refusing a key twice in one mapping (YAML would keep the last silently)."""

    file = ""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise CatalogueError(f"{self.file}: entry {key!r} appears twice (line {key_node.start_mark.line + 1})")
            seen.add(key)
        return super().construct_mapping(node, deep)


def _read(path: Path) -> dict[str, dict[str, str]]:
    """The entries of one file, checked: every key text, every entry text in every language."""
    loader = _Loader(path.read_text(encoding="utf-8"))
    loader.file = path.name
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise CatalogueError(f"{path.name}: expected entries (key: {{en: ..., ja: ...}}), found {type(data).__name__}")
    for key, texts in data.items():
        if not isinstance(key, str):  # True, no, 1.5 ... unquoted
            raise CatalogueError(f"{path.name}: key {key!r} is not text; write it in quotes")
        if not isinstance(texts, dict):
            raise CatalogueError(f"{path.name}: entry {key!r} is not a mapping of languages to texts")
        for lang in LANGS:
            if lang not in texts:
                raise CatalogueError(f"{path.name}: entry {key!r} has no {lang!r} text")
            if not isinstance(texts[lang], str) or not texts[lang]:
                raise CatalogueError(f"{path.name}: entry {key!r} in {lang!r} is not text; write it in quotes")
        if extra := set(texts) - set(LANGS):
            raise CatalogueError(f"{path.name}: entry {key!r} has unknown languages {sorted(extra)}")
    return data


class Catalogue:
    """The entries of a words folder: texts by key, the keys of each file, and the terms."""

    def __init__(self, folder: Path):
        text, files, terms = {}, {}, {}
        for path in sorted(Path(folder).glob("*.yml")):
            entries = _read(path)
            if path.name == TERMS_FILE:
                for word, texts in entries.items():
                    if texts["en"] != word:
                        raise CatalogueError(f"{path.name}: term {word!r} has English {texts['en']!r}; a term's "
                                             "English is the word itself (English tables keep the files' words)")
                terms = entries
                continue
            for key in entries:
                if key in text:
                    other = next(name for name, keys in files.items() if key in keys)
                    raise CatalogueError(f"{path.name}: entry {key!r} is already in {other}.yml")
            text.update(entries)
            files[path.stem] = tuple(entries)
        freeze = lambda entries: MappingProxyType({k: MappingProxyType(v) for k, v in entries.items()})
        self.text: Mapping[str, Mapping[str, str]] = freeze(text)
        self.files: Mapping[str, tuple[str, ...]] = MappingProxyType(files)
        self.terms: Mapping[str, Mapping[str, str]] = freeze(terms)

    def entries(self, name: str) -> Mapping[str, Mapping[str, str]]:
        """The entries of one file (``sentences`` for ``sentences.yml``)."""
        return MappingProxyType({key: self.text[key] for key in self.files[name]})


def load(folder: Path = WORDS_DIR) -> Catalogue:
    """Read and check the catalogue files of `folder` (`words` keeps the package's own)."""
    return Catalogue(folder)


@functools.cache
def words() -> Catalogue:
    """The package's catalogue, read once."""
    return load()


#: Every entry but the terms: key -> {language: text} (read-only).
TEXT = words().text


def _template(key: str, lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    try:
        return TEXT[key][lang]
    except KeyError:
        raise KeyError(f"no entry {key!r} in the catalogue ({WORDS_DIR})") from None


_FORMATTER = string.Formatter()


def _fill(template: str, values: dict, literal, value) -> str:
    """`template` filled as `str.format` fills it, each piece passed through its escaping.

    `literal(text)` escapes the template's own text; `value(obj, text, where)` a formatted value,
    `where` being ``"text"``, ``"code"`` (inside a Markdown code span) or ``"url"`` (a link's target,
    after ``](``). Numbers keep their format specs (``{n:,}``): escaping comes after formatting.
    """
    out, in_code, in_url = [], False, False
    for text, field, spec, conversion in _FORMATTER.parse(template):
        out.append(literal(text))
        if in_url and ")" in text:
            in_url = False
        in_code ^= text.count("`") % 2 == 1
        in_url = in_url or (not in_code and text.endswith("]("))
        if field is None:
            continue
        obj = _FORMATTER.convert_field(_FORMATTER.get_field(field, (), values)[0], conversion)
        out.append(value(obj, _FORMATTER.format_field(obj, spec or ""), "code" if in_code else "url" if in_url
                         else "text"))
    return "".join(out)


def _markdown_value(obj, text: str, where: str) -> str:
    if isinstance(obj, Markup):  # catalogue words and numbers: already safe, never escaped twice
        return text
    return markup.md_code(text) if where == "code" else markup.url(text) if where == "url" else markup.md_text(text)


def t(key: str, lang: str = "en", **values) -> Markup:
    """The text `key` in `lang` as Markdown, each of `values` escaped (`markup.md_text`; an unknown language is an error).

    A `Markup` value (what `t` returns, numbers this package formatted) goes in as it is. For text
    that is not Markdown use `t_plain` (figures, table cells) or `t_html` (HTML pages).
    """
    return Markup(_fill(_template(key, lang), values, str, _markdown_value))


def t_plain(key: str, lang: str = "en", **values) -> str:
    """The text `key` in `lang`, filled with `values` as they are: for text that is not markup.

    Figures (matplotlib draws the characters), table cells and labels (pandas escapes them when it
    renders a table) and page titles take plain text; escaping them there would show ``&lt;``.
    """
    return _template(key, lang).format(**values)


def t_html(key: str, lang: str = "en", **values) -> str:
    """The text `key` in `lang` as HTML: its words and each of `values` escaped (`markup.html_text`).

    An `Html` value (a fragment this package wrote) goes in as it is.
    """
    return _fill(_template(key, lang), values, lambda text: html.escape(text, quote=True),
                 lambda obj, text, where: text if isinstance(obj, Html) else markup.html_text(text))


def term(word, lang: str = "en"):
    """A machine word (column name or vocabulary value) in the reader's language."""
    if lang == "en":
        return word
    if hasattr(word, "item") and not isinstance(word, str):  # numpy scalars (bool_ of a bool column)
        word = word.item()
    if not isinstance(word, str | bool):
        return word
    texts = words().terms.get(str(word))
    return texts[lang] if texts else word


# Columns whose values are vocabulary words (translated) rather than data (kept as they are).
VOCABULARY_COLUMNS = {"department", "question_type", "fastest_question_type", "reply_kind", "kind", "tone",
                      "issue", "answered", "clock"}


def translated(table, lang: str = "en"):
    """A copy of `table` with its column names, index names and vocabulary values in `lang`.

    Labels are translated wherever the catalogue knows them; cell values only in the
    vocabulary columns (department, question type, ...); everything else is data and stays.
    English keeps the words, which are the results files' own.
    """
    out = table.copy()
    if lang == "en":
        return out

    def labels(index: pd.Index) -> pd.Index:
        if isinstance(index, pd.MultiIndex):
            return pd.MultiIndex.from_tuples([tuple(term(w, lang) for w in key) for key in index],
                                             names=[term(n, lang) for n in index.names])
        return pd.Index([term(w, lang) for w in index], name=term(index.name, lang))

    if isinstance(out, pd.DataFrame):
        for column in VOCABULARY_COLUMNS & set(out.columns):
            out[column] = out[column].map(lambda w: term(w, lang))
    if isinstance(out, pd.Series):
        out.name = term(out.name, lang)
    else:
        out.columns = labels(out.columns)
    out.index = labels(out.index)
    return out


class Shown:
    """A table for display only: it renders as the table does, and nothing can be assigned into it.

    A shown table is the end of a cell; work on the table itself, then show it.
    """

    __slots__ = ("_table",)

    def __init__(self, table):
        object.__setattr__(self, "_table", table)

    def __repr__(self) -> str:
        return repr(self._table)

    @property
    def data(self):
        """A copy of the table as shown, for reading: changing it changes nothing shown."""
        return self._table.copy()

    def __getattr__(self, name: str):
        # Notebooks render whatever _repr_*_ the table offers (_repr_html_ for a DataFrame, none for a
        # Series), and nothing else: a mutator here would change a copy that is then thrown away.
        if name.startswith("_repr_") and name.endswith("_"):
            method = getattr(self._table, name)
            if name == "_repr_html_" and isinstance(self._table, pd.DataFrame):
                method = self._html

            def rendered(*args, **kwargs):
                # A reader's table is shown whole: every row, every column, each text in full.
                with pd.option_context("display.max_rows", None, "display.max_columns", None,
                                       "display.max_colwidth", None):
                    return method(*args, **kwargs)

            return rendered
        raise AttributeError(f"show() returns a table for display only, with no {name!r}: "
                             "work on the table, then show it")

    def _html(self) -> str:
        """The table as HTML with its row labels as an ordinary first column: no numeric index
        column, no extra header row for the index's name. Cells, row labels and headers are plain
        text (`t_plain`, data as it is) and escaped here, once."""
        table = self._table
        if not isinstance(table.index, pd.RangeIndex) or table.index.name is not None:
            table = table.reset_index()
        return table.to_html(index=False, border=0, na_rep="–", escape=True)

    def __setitem__(self, key, value):
        raise TypeError(f"show() returns a table for display only: assign {key!r} into the table, then show it")

    def __delitem__(self, key):
        raise TypeError("show() returns a table for display only: change the table, then show it")

    def __setattr__(self, name, value):
        raise TypeError("show() returns a table for display only: change the table, then show it")


def show(table, lang: str = "en") -> Shown:
    """`table` for display in `lang` (see `translated`); it renders as the table does, read-only."""
    return Shown(translated(table, lang))


def department(name: str, lang: str = "en") -> str:
    """A department in reader's words ('customer-service', 'カスタマーサービス用')."""
    key = f"dept_{name}"
    return t(key, lang) if key in TEXT else name


def pct(x: float | None) -> str:
    """0.853 -> '85%' (the same in both languages); missing -> '–', as in sentences (`fmt.pct`)."""
    return fmt.pct(x)


def duration(minutes: float | None, lang: str = "en") -> str:
    """`fmt.duration` in `lang`: missing reads 'not reached', infinite 'no upper bound', in tables and sentences alike."""
    return fmt.duration(minutes, lang)


def provenance_label(study, lang: str = "en") -> str:
    """The one-line provenance of a figure (plain text: matplotlib draws it): synthetic or real, the study,
    the answer rates' scope."""
    text = t_plain("label_synthetic" if study.synthetic else "label_real", lang, id=study.id)
    return text + (t_plain("label_scope", lang, scope=study.rate_scope) if study.rate_scope else "")
