"""`make lab`: JupyterLab at the project root on the workshop folder, extra flags passed, root allowed, one language."""

import pytest

from helpers import paths
from helpers.workshop import lab


def test_jupyterlab_opens_at_the_root_on_the_workshop_folder_with_the_extra_flags():
    argv, env = lab.command(None, ["--port", "8899"], is_root=False)
    assert argv[1] == "lab" and f"--ServerApp.root_dir={paths.PROJECT_ROOT}" in argv
    assert "--LabApp.default_url=/lab/tree/notebooks/workshop" in argv
    assert (paths.PROJECT_ROOT / lab.WORKSHOP_URL).is_dir()
    assert argv[-2:] == ["--port", "8899"] and "--allow-root" not in argv and env == {}


def test_as_root_it_adds_allow_root():
    argv, _ = lab.command(None, [], is_root=True)
    assert "--allow-root" in argv


@pytest.mark.parametrize("lang, hidden", [("en", "ja"), ("ja", "en")])
def test_one_language_hides_the_others_cells_and_keeps_the_users_settings(lang, hidden, tmp_path, monkeypatch):
    monkeypatch.setattr(lab, "CONFIG_ROOT", tmp_path)
    argv, env = lab.command(lang, [], is_root=False)
    css = (tmp_path / f"jupyter-config-{lang}" / "custom" / "custom.css").read_text()
    assert f".cell-tag-lang-{hidden}" in css and f"lang-{lang}" not in css.split("*/")[1]
    assert env["JUPYTER_CONFIG_DIR"] == str(tmp_path / f"jupyter-config-{lang}")
    assert "--LabApp.custom_css=True" in argv
    # The user's own config and lab settings are still read, from where Jupyter keeps them.
    assert env["JUPYTER_CONFIG_PATH"] and any(a.startswith("--LabApp.user_settings_dir=") for a in argv)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language"):
        lab.custom_css("fr")


@pytest.mark.parametrize("remote", ["https://github.com/acme/social-care", "https://github.com/acme/social-care.git",
                                    "git@github.com:acme/social-care.git", "ssh://git@github.com/acme/social-care.git\n"])
def test_the_binder_link_opens_the_workshop_folder_of_the_github_repository(remote):
    assert lab.binder_url(remote) == ("https://mybinder.org/v2/gh/acme/social-care/HEAD"
                                      "?urlpath=lab/tree/notebooks/workshop")


@pytest.mark.parametrize("remote", ["", "/work/main", "https://gitlab.com/acme/social-care.git",
                                    "https://github.com/acme/social-care/../../x"])
def test_no_binder_link_for_anything_but_a_github_repository(remote):
    assert lab.binder_url(remote) is None
