"""Compare two built reports of one study: results files byte for byte, pages by their text.

Usage: ``python checks/same_report.py OLD_REPORT NEW_REPORT`` where each is a
``reports/<study-id>`` folder (build one per checkout with
``python -m helpers report STUDY --out DIR``). Prints every results file that differs (for CSV
tables: which columns were added, removed or changed) and every page whose text differs
(embedded images and the generation time left out), and the figures byte for byte. Exit 0 when the results files are identical.
"""

from __future__ import annotations

import argparse
import difflib
import html
import re
from pathlib import Path

import pandas as pd

_IMAGE = re.compile(r'<img\b[^>]*src="data:[^"]*"[^>]*>', re.S)
_TAG = re.compile(r"<[^>]+>")
_GENERATED = re.compile(r"(Generated .*?\.|.{0,40}に生成。)")


def page_text(file: Path) -> list[str]:
    """The words of a page, one line per block, without images, markup or the generation time."""
    body = file.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    text = html.unescape(_TAG.sub("\n", _IMAGE.sub("[image]", body)))
    return [line.strip() for line in _GENERATED.sub("", text).splitlines() if line.strip()]


def images(file: Path) -> list[str]:
    """The embedded figures of a page, in order (their base64 data)."""
    return re.findall(r'<img\b[^>]*src="data:image/[^;]+;base64,([^"]*)"', file.read_text(encoding="utf-8"))


def csv_difference(old: Path, new: Path) -> str:
    a, b = pd.read_csv(old, dtype=str, keep_default_na=False), pd.read_csv(new, dtype=str, keep_default_na=False)
    parts = []
    if added := [c for c in b.columns if c not in a.columns]:
        parts.append(f"columns added: {', '.join(added)}")
    if removed := [c for c in a.columns if c not in b.columns]:
        parts.append(f"columns removed: {', '.join(removed)}")
    common = [c for c in a.columns if c in b.columns]
    if len(a) != len(b):
        parts.append(f"rows {len(a)} -> {len(b)}")
    else:
        changed = [c for c in common if not a[c].equals(b[c])]
        parts.append(f"columns changed: {', '.join(changed)}" if changed else "every other column identical")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--context", type=int, default=0, help="lines of page diff to print per page")
    args = parser.parse_args(argv)

    def files(root: Path, pattern: str) -> dict[Path, Path]:
        return {p.relative_to(root): p for p in sorted(root.glob(pattern)) if p.is_file()}

    old_results, new_results = files(args.old, "results/**/*"), files(args.new, "results/**/*")
    same = [k for k in old_results if k in new_results and old_results[k].read_bytes() == new_results[k].read_bytes()]
    print(f"results files: {len(same)} of {len(old_results)} identical byte for byte")
    for key in sorted(set(old_results) | set(new_results)):
        if key in same:
            continue
        if key not in new_results or key not in old_results:
            print(f"  {key}: only in {'old' if key in old_results else 'new'}")
        elif key.suffix == ".csv":
            print(f"  {key}: differs ({csv_difference(old_results[key], new_results[key])})")
        else:
            print(f"  {key}: differs")

    old_pages, new_pages = files(args.old, "**/*.html"), files(args.new, "**/*.html")
    same_pages = 0
    for key in sorted(set(old_pages) | set(new_pages)):
        if key not in old_pages or key not in new_pages:
            print(f"  page {key}: only in {'old' if key in old_pages else 'new'}")
            continue
        a, b = page_text(old_pages[key]), page_text(new_pages[key])
        if a == b:
            same_pages += 1
            continue
        diff = [d for d in difflib.unified_diff(a, b, lineterm="", n=0) if d[:1] in "+-" and d[:3] not in ("+++", "---")]
        print(f"  page {key}: {sum(d.startswith('-') for d in diff)} lines out, {sum(d.startswith('+') for d in diff)} in")
        for line in diff[: args.context]:
            print(f"      {line[:160]}")
    print(f"pages: {same_pages} of {len(old_pages)} with the same text")
    figures = same_figures = 0
    for key in sorted(set(old_pages) & set(new_pages)):
        a, b = images(old_pages[key]), images(new_pages[key])
        figures += len(a)
        same_figures += sum(x == y for x, y in zip(a, b))
        if a != b:
            print(f"  figures of {key}: {sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))} differ")
    print(f"figures: {same_figures} of {figures} identical byte for byte")
    return 0 if len(same) == len(old_results) == len(new_results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
