"""What every notebook does first, in one call: theme, study, thresholds, output folder."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.data.study import CACHE_ENV, Study, load_study
from helpers.figures import theme
from helpers.text.catalogue import t


@dataclass
class Session:
    """A notebook's loaded study and where its results go."""

    study: Study
    thresholds: list[int]
    output_dir: Path

    @property
    def probes(self) -> pd.DataFrame:
        return self.study.probes

    def write_csv(self, table: pd.DataFrame, name: str) -> Path:
        """Write a tidy results table (NaN as empty, unbounded as inf)."""
        target = self.output_dir / name
        _to_csv(table, target)
        return target

    def write_part(self, table: pd.DataFrame, name: str, part: str) -> Path:
        """Write this notebook's rows of a results table that several notebooks share.

        Each notebook owns one part (``.parts/<table>/<part>.csv``); `name` is rebuilt from all
        parts in part order, so notebooks running at the same time never overwrite each
        other's rows, and rerunning one replaces only its own. The report pipeline rebuilds
        the table once more when every notebook has finished.
        """
        folder = self.output_dir / PARTS_DIR / Path(name).stem
        folder.mkdir(parents=True, exist_ok=True)
        _to_csv(table, folder / f"{part}.csv")
        return combine_parts(self.output_dir, name)

    def write_json(self, obj: dict, name: str) -> Path:
        """Write a results object, stamped with the study's provenance (NaN as null)."""
        stamped = {"study_id": self.study.id, "study_title": self.study.title,
                   "synthetic": self.study.synthetic, "source": self.study.source, **obj}
        target = self.output_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(_json_safe(stamped), indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
        return target


PARTS_DIR = ".parts"


# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Prefixed to such text so it stays text; text already starting with it gets one more, so that
# `read_results_csv` can take exactly one off and give back the value as it was.
TEXT_MARK = "'"


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with text cells a spreadsheet would run as a formula prefixed by an apostrophe.

    Numbers are left alone: numeric columns, and text that reads as a plain number ("-0.5").
    """
    out = table.copy()
    for col in out.columns:
        if not (pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col])):
            continue
        text = out[col]
        is_text = text.notna() if isinstance(text.dtype, pd.StringDtype) else text.map(lambda v: isinstance(v, str))
        leading = text.where(is_text, "").str[:1]
        numeric = pd.to_numeric(text.where(is_text), errors="coerce").notna()
        risky = is_text & ((leading.isin(FORMULA_START) & ~numeric) | (leading == TEXT_MARK))
        if risky.any():
            out[col] = text.where(~risky, TEXT_MARK + text.where(risky, "").astype(str))
    return out


# In a warm kernel (`CACHE_ENV`), the last few results tables read are kept, keyed by file, size and
# modification time, since every scorecard reads the same per-probe tables; each read gets a copy.
KEPT_TABLES = 4
_kept: dict[tuple, pd.DataFrame] = {}


def read_results_csv(path: str | os.PathLike, **kwargs) -> pd.DataFrame:
    """Read a results CSV written by `Session.write_csv`, taking off the marks `spreadsheet_safe` added."""
    if os.environ.get(CACHE_ENV) != "1" or kwargs:
        return _read_results_csv(path, **kwargs)
    stat = Path(path).stat()
    key = (str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _kept:
        while len(_kept) >= KEPT_TABLES:
            _kept.pop(next(iter(_kept)))
        _kept[key] = _read_results_csv(path)
    return _kept[key].copy()


def _read_results_csv(path: str | os.PathLike, **kwargs) -> pd.DataFrame:
    table = pd.read_csv(path, **kwargs)
    for col in table.columns:
        if pd.api.types.is_object_dtype(table[col]) or pd.api.types.is_string_dtype(table[col]):
            text = table[col]
            if isinstance(text.dtype, pd.StringDtype):  # the usual case: over the column at once
                marked = text.str.startswith(TEXT_MARK, na=False)
            else:
                marked = text.map(lambda v: isinstance(v, str) and v.startswith(TEXT_MARK))
            if marked.any():
                table[col] = text.where(~marked, text.where(marked, "").astype(str).str[1:])
    return table


def _lf_breaks(table: pd.DataFrame) -> pd.DataFrame:
    """Line breaks inside text as LF: the CSV writer quotes a cell holding LF, but not one holding a bare CR,
    which a reader would take for the end of the row."""
    out = table.copy()
    for col in out.columns:
        if pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            if isinstance(out[col].dtype, pd.StringDtype):  # over the column at once
                out[col] = out[col].str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
            else:
                out[col] = out[col].map(
                    lambda v: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v)
    return out


def _to_csv(table: pd.DataFrame, target: Path) -> None:
    """The one CSV format of results files: no index, 6 significant digits, LF line ends, formulas defused."""
    spreadsheet_safe(_lf_breaks(table)).to_csv(target, index=False, float_format="%.6g", lineterminator="\n")


def combine_parts(output_dir: str | os.PathLike, name: str) -> Path:
    """Rebuild the shared table `name` in `output_dir` from its parts (atomic replace)."""
    output_dir = Path(output_dir)
    parts = sorted((output_dir / PARTS_DIR / Path(name).stem).glob("*.csv"))
    table = pd.concat([read_results_csv(p) for p in parts], ignore_index=True) if parts else pd.DataFrame()
    target = output_dir / name
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    _to_csv(table, tmp)
    os.replace(tmp, target)
    return target


def combine_all_parts(output_dir: str | os.PathLike) -> list[Path]:
    """Rebuild every shared table from its parts, then remove the parts."""
    import shutil

    root = Path(output_dir) / PARTS_DIR
    if not root.is_dir():
        return []
    built = [combine_parts(output_dir, f"{d.name}.csv") for d in sorted(root.iterdir()) if d.is_dir()]
    shutil.rmtree(root)
    return built


def _json_safe(obj):
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_json_safe(v) for v in obj]
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    return obj


def banner(study: Study, lang: str = "en") -> str:
    """Markdown stating what data the notebook shows and where it comes from.

    The title, source, scope and limits are data: `t` and `md_list` escape them, so they read as
    text whatever they hold.
    """
    from helpers.text.markup import md_join, md_list

    parts = [t("banner_synthetic" if study.synthetic else "banner_real", lang, title=study.title, id=study.id),
             t("banner_source", lang, source=study.source)]
    if study.rate_scope:
        parts.append(t("banner_scope", lang, scope=study.rate_scope))
    if study.limits:
        parts.append(md_join([t("banner_limits", lang), md_list(study.limits_in(lang))]))
    return md_join(parts)


def start(study_dir: str | os.PathLike, output_dir: str | os.PathLike,
          thresholds_minutes: list | None = None, show_banner: bool = True, lang: str = "en") -> Session:
    """Set the figure theme, load and validate the study, and create the output folder.

    Parameters
    ----------
    study_dir, output_dir
        Paths relative to the project root (or absolute).
    thresholds_minutes
        Response-time thresholds; empty or None means the study's own.
    lang
        Language of the banner and figure text (``en`` or ``ja``; ``ja`` switches to a Japanese font).
    """
    theme.set_theme(lang)
    study = load_study(study_dir)
    out = paths.resolve(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    session = Session(study, [int(t) for t in (thresholds_minutes or study.thresholds_minutes)], out)
    if show_banner:
        from IPython.display import Markdown, display

        display(Markdown(banner(study, lang)))
    return session
