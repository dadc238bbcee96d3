"""WebKit in the end-to-end suite: WebKitGTK's MiniBrowser driven by WebKitWebDriver
(Debian: webkit2gtk-driver, which brings libwebkit2gtk-4.1-0 and its MiniBrowser), on an
X display (no headless mode: scripts/test.sh runs this pytest process under `xvfb-run -a`).

WebKit runs the subset below, one test per thing the issue asks for in every engine;
conftest.py deselects (never skips) every other test for webkit. A name here that no
longer names a test of a collected file is an error of the run, so the subset cannot
shrink silently.

Fresh profile: MiniBrowser in `--automation` mode keeps its website data (local storage,
IndexedDB) in an ephemeral session, gone with the process; HOME and the XDG directories of
the driver (which the browser inherits) point into the test's own work dir, so nothing is
read from or written to the real home.

Downloads: WebKit saves a download into the XDG download directory; `XDG_DOWNLOAD_DIR` in
the work dir's `user-dirs.dirs` makes that the test's download dir, so exported files are
read from disk exactly as in Chromium and Firefox.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

from selenium.webdriver.common.webdriver import LocalWebDriver
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection

# "<file>::<test function>": every parametrization of it runs in WebKit.
WEBKIT_SUBSET = (
    # select by keys (a script selection) and tag with key 3; the article's text
    "test_annotator.py::test_article_text_and_statistic_by_key",
    # tag with the Claim button, retag, delete
    "test_annotator.py::test_claim_button_retag_and_delete",
    # select with the real mouse (double click, drag) and tag
    "test_annotator.py::test_real_mouse_selection_double_click_and_drag",
    # reload keeps the work
    "test_annotator.py::test_reload_keeps_annotations",
    # a new visit right after an edit starts (the old page, in the back/forward cache,
    # held IndexedDB locked: src/browser/idb.rs)
    "test_durability.py::test_the_app_opened_again_right_after_an_edit_starts_and_saves",
    # export, then import into a fresh profile; and so in the other formats: brat's three
    # files are three downloads at once, of which WebKit keeps only the last when they all
    # start from one frame (src/browser/download.rs)
    "test_annotator.py::test_import_exported_file_into_fresh_profile",
    "test_formats.py::test_import_exported_format_into_fresh_profile",
    # keyboard only: caret selection, tag, retag, delete, undo, redo
    "test_a11y_keyboard.py::test_keyboard_only_tag_retag_delete_undo_redo",
    # the help dialog keeps focus on Tab and Shift+Tab (which WebKitGTK reports as key
    # "Unidentified": src/browser/keys.rs) and gives it back on close
    "test_a11y_keyboard.py::test_help_dialog_traps_and_returns_focus",
    # axe-core: no serious or critical violation (light and dark theme)
    "test_a11y_keyboard.py::test_axe_no_serious_violations",
    # the documents list: open a text file, annotate, switch, reload, navigate
    "test_documents.py::test_open_text_file_annotate_switch_reload_and_navigate",
    # links: a denial denies a claim by keyboard only, with speaker and verdict, exported
    "test_links.py::test_keyboard_only_denial_denies_the_claim_with_speaker_and_verdict_kept_and_exported",
    # the single file from file://: tag, reload, export, import, CSP
    "test_delivery.py::test_single_file_works_from_file_url",
)

MINIBROWSER_DEFAULTS = (
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    *sorted(glob.glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser")),
    "/usr/libexec/webkit2gtk-4.1/MiniBrowser",
)
DRIVER_DEFAULTS = ("/usr/bin/WebKitWebDriver",)
# Seconds for any one WebDriver command, the new session included (far above what a
# test waits for anything: E2E_TIMEOUT).
COMMAND_TIMEOUT = 120


def display_problem() -> str | None:
    """Why MiniBrowser would find no display here, said for people; None when there is one."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    how = "run pytest under `xvfb-run -a` (package xvfb: scripts/tools.sh installs it)"
    xvfb = os.environ.get("E2E_XVFB_RUN") or "/usr/bin/xvfb-run"
    if not (os.path.isfile(xvfb) and os.access(xvfb, os.X_OK)):
        how += f"; {xvfb} is not an executable file"
    return f"webkit: no display ($DISPLAY is unset): {how}"


def session_env(workdir: Path, download_dir: Path) -> dict:
    """The environment of WebKitWebDriver (and so of its MiniBrowser): its home, data,
    cache and config in `workdir`, downloads into `download_dir`."""
    env = dict(os.environ)
    dirs = {"HOME": "home", "XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data", "XDG_CACHE_HOME": "cache"}
    for var, name in dirs.items():
        (workdir / name).mkdir(exist_ok=True)
        env[var] = str(workdir / name)
    (workdir / "config" / "user-dirs.dirs").write_text(f'XDG_DOWNLOAD_DIR="{download_dir}"\n', encoding="utf-8")
    return env


class _WebKitGTK(LocalWebDriver):
    """Selenium's WebKitGTK driver, with a time limit on every command: WebKitWebDriver
    waits without end for a browser that could not start (no display, say), and Selenium's
    own WebKitGTK class gives no way to set one."""

    def __init__(self, options, service, timeout: float):
        self.options, self.service = options, service
        service.start()
        config = ClientConfig(remote_server_addr=service.service_url, keep_alive=True, timeout=timeout)
        try:
            super().__init__(command_executor=RemoteConnection(client_config=config), options=options)
        except Exception:
            self.quit()
            raise


def make_webkit(webdriver, binary: str, drv: str, workdir: Path, download_dir: Path, window: tuple[int, int]):
    """A WebKitGTK session on MiniBrowser with a fresh profile, its window `window` in size."""
    opts = webdriver.WebKitGTKOptions()
    opts.binary_location = binary
    opts.add_argument("--automation")
    # window.open from a test's script, as chromedriver (--disable-popup-blocking) and
    # geckodriver (dom.disable_open_during_load) allow it
    opts.add_argument("--javascript-can-open-windows-automatically=true")
    log = workdir / "webkitwebdriver.log"
    service = webdriver.WebKitGTKService(executable_path=drv, log_output=str(log), env=session_env(workdir, download_dir))
    try:
        d = _WebKitGTK(opts, service, COMMAND_TIMEOUT)
    except Exception as e:
        said = log.read_text(encoding="utf-8", errors="replace").strip() if log.is_file() else ""
        raise AssertionError(f"WebKit did not start ({type(e).__name__}: {e}); WebKitWebDriver's log: {said!r}") from e
    d.set_window_size(*window)
    return d
