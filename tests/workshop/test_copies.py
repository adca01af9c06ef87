"""Learner and instructor copies: generated from the solved lessons, one language each, never overwriting a learner's work."""

import nbformat
import pytest

from helpers.text.catalogue import LANGS
from helpers.workshop import copies

LESSONS = copies.lessons()
REGENERATE = "make workshop"


def lesson(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    for kind, source, tags in cells:
        cell = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(source)
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nb


SOLVED = lesson(
    ("markdown", "# Title", ["lang-en"]),
    ("markdown", "# 題", ["lang-ja"]),
    ("code", 'study_dir: str = "x"  # study\nlang: str = "en"  # language', ["parameters"]),
    ("markdown", "Teacher: watch the clock.", ["instructor", "lang-en"]),
    ("code", "n = len(probes)  # SOLUTION\nrate = k / n  # SOLUTION", []),
    ("code", "# BEGIN SOLUTION\nhelper = 1\n# END SOLUTION\nkeep = 2", []),
    ("markdown", "Because the denominator counts every question.", ["solution", "lang-en"]),
    ("code", "check.summary()", []),
)


def sources(nb):
    return [c.source for c in nb.cells]


def test_the_learner_copy_has_no_solution_no_instructor_note_and_one_language():
    for lang in LANGS:
        text = "\n".join(sources(copies.learner_copy(SOLVED, lang)))
        assert "len(probes)" not in text and "k / n" not in text and "helper = 1" not in text
        assert "watch the clock" not in text and "denominator counts" not in text
        assert ("# Title" in text) == (lang == "en") and ("# 題" in text) == (lang == "ja")
        assert "n = ...\nrate = ..." in text and "keep = 2" in text
        assert f'lang: str = "{lang}"  # language' in text


def test_the_instructor_copy_keeps_solutions_and_notes_without_markers():
    text = "\n".join(sources(copies.instructor_copy(SOLVED, "en")))
    assert "rate = k / n" in text and "helper = 1" in text and "watch the clock" in text
    assert "SOLUTION" not in text and "# 題" not in text


def test_copies_are_not_paired_with_a_markdown_file_and_have_no_outputs():
    nb = copies.learner_copy(SOLVED, "en")
    assert "jupytext" not in nb.metadata  # a paired copy would grow a .md beside it in JupyterLab
    assert all(c.get("outputs", []) == [] for c in nb.cells)


@pytest.mark.parametrize("source, problem", [
    ("# BEGIN SOLUTION\nx = 1", "without # END"),
    ("# END SOLUTION", "without # BEGIN"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "inside another"),
    ("print(x)  # SOLUTION", "must end a 'name = value' line"),
    ("x = 1  # SOLUTION (a note after the marker)", "must end a 'name = value' line"),
    ("x = 1  # END SOLUTION", "must end a 'name = value' line"),
])
def test_markers_that_do_not_pair_up_are_refused_with_their_cell(source, problem):
    with pytest.raises(copies.LessonError, match=problem) as info:
        copies.learner_copy(lesson(("code", source, [])), "en", "W9-test")
    assert "W9-test, cell 1" in str(info.value)


def test_a_comparison_is_not_taken_for_an_assignment():
    assert copies.learner_source("ok = a == b  # SOLUTION") == "ok = ..."
    with pytest.raises(copies.LessonError):
        copies.learner_source("a == b  # SOLUTION")


def write_solved(folder):
    import jupytext

    folder.mkdir(parents=True, exist_ok=True)
    jupytext.write(SOLVED, folder / "W9-test.md", fmt="md:myst")


def test_an_edited_learner_copy_is_kept_until_reset_and_then_backed_up(tmp_path):
    source, learners, instructor = tmp_path / "src", tmp_path / "learners", tmp_path / "instructor"
    write_solved(source)
    run = lambda reset=frozenset(): {(w.path.parent.name, w.action) for w in copies.write_copies(
        ("en",), reset, source, learners, instructor) if w.path.parent.parent == learners}
    assert run() == {("en", "written")}
    assert run() == {("en", "unchanged")}
    target = learners / "en" / "W9-test.ipynb"
    nb = nbformat.read(target, as_version=4)
    nb.cells[2].source = "n = 56\nrate = 35 / n"  # the learner's answer
    nbformat.write(nb, target)
    assert run() == {("en", "kept")}
    assert "35 / n" in target.read_text()
    assert run({"W9"}) == {("en", "reset")}
    backups = list((learners / "en").glob("W9-test.backup-*.ipynb"))
    assert len(backups) == 1 and "35 / n" in backups[0].read_text()
    assert "35 / n" not in target.read_text()


def test_a_copy_that_was_only_run_is_replaced_when_its_lesson_changes(tmp_path):
    source, learners, instructor = tmp_path / "src", tmp_path / "learners", tmp_path / "instructor"
    write_solved(source)
    copies.write_copies(("en",), frozenset(), source, learners, instructor)
    target = learners / "en" / "W9-test.ipynb"
    nb = nbformat.read(target, as_version=4)
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", text="ran")]
    nbformat.write(nb, target)
    assert not copies.edited(target)
    (source / "W9-test.md").write_text((source / "W9-test.md").read_text().replace("# Title", "# New title"))
    actions = {w.action for w in copies.write_copies(("en",), frozenset(), source, learners, instructor)
               if w.path == target}
    assert actions == {"written"} and "# New title" in target.read_text()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_committed_learner_copy_is_what_its_solved_lesson_generates(path, lang):
    committed = copies.LEARNERS_DIR / lang / f"{path.stem}.ipynb"
    assert committed.is_file(), f"{committed} is missing: run {REGENERATE}"
    expected = copies.serialise(copies.learner_copy(copies.read_lesson(path), lang, path.stem))
    assert committed.read_text(encoding="utf-8") == expected, (
        f"{committed.name} ({lang}) has drifted from {path.name}: edit the solved lesson, then run {REGENERATE}")


def test_every_learner_copy_has_a_solved_lesson():
    solved = {p.stem for p in LESSONS}
    for lang in LANGS:
        found = {p.stem for p in (copies.LEARNERS_DIR / lang).glob("W*.ipynb") if ".backup-" not in p.name}
        assert found == solved, f"learners/{lang}: {sorted(found ^ solved)}"


def test_the_command_refuses_an_unknown_lesson_to_reset(capsys):
    from helpers.__main__ import EXIT_USAGE, main

    assert main(["workshop", "--reset", "W99"]) == EXIT_USAGE
    assert "no lesson W99" in capsys.readouterr().err
