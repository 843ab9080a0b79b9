"""``coursegen watch`` and ``coursegen serve``: rebuild on save, preview the e-learning.

The preview serves the newest SCORM package, unpacked, on 127.0.0.1. Each HTML page gets
a small script that polls the build number and reloads the page after a rebuild, so an
author sees an edit within a second of saving.
"""

from __future__ import annotations

import http.server
import io
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from .build import FolderError, build_course, check_folders
from .loader.cache import load_course_cached
from .outputs import TargetError
from .paths import TEMPLATES_DIR
from .progress import BuildProgress

_RELOAD_SCRIPT = TEMPLATES_DIR / "preview" / "reload.js"


class Preview:
    """The unpacked e-learning of the last good build, with a build counter."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="coursegen-preview-"))
        self.build_number = 0
        self.lock = threading.Lock()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def refresh(self, out_dir: Path) -> None:
        packages = sorted((out_dir / "scorm").glob("*.zip"))
        if not packages:
            return
        package = next((p for p in packages if "2004" in p.name), packages[0])
        with self.lock:
            for old in sorted(self.folder.rglob("*"), reverse=True):
                old.unlink() if old.is_file() else old.rmdir()
            with zipfile.ZipFile(io.BytesIO(package.read_bytes())) as archive:
                for name in archive.namelist():
                    target = (self.folder / name).resolve()
                    if self.folder.resolve() in target.parents:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(archive.read(name))
            self.build_number += 1

    def handler(self):
        preview = self
        script = _RELOAD_SCRIPT.read_bytes() if _RELOAD_SCRIPT.exists() else b""

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(preview.folder), **kwargs)

            def log_message(self, *args):  # keep the terminal for diagnostics
                pass

            def _send(self, body: bytes, content_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path.startswith("/__build"):
                    self._send(str(preview.build_number).encode(), "text/plain")
                    return
                if self.path.startswith("/__reload.js"):
                    self._send(script, "text/javascript; charset=utf-8")
                    return
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    path = path / "index.html"
                if path.suffix == ".html" and path.is_file():
                    with preview.lock:
                        body = path.read_bytes()
                    # The pages' Content-Security-Policy allows only the package's own files and
                    # no requests: load the reload script as a file and let it poll this server.
                    body = body.replace(b"default-src 'none';", b"default-src 'none'; connect-src 'self';", 1)
                    body = body.replace(b"</body>", b'<script src="/__reload.js"></script></body>', 1)
                    self._send(body, "text/html; charset=utf-8")
                    return
                with preview.lock:  # Windows cannot remove a file that is open: refresh waits for this
                    super().do_GET()

        return Handler


def _rebuild(source: Path, out_dir: Path, targets, progress: BuildProgress) -> bool:
    progress.started = time.perf_counter()
    result = load_course_cached(source, out_dir)
    if result.course is not None:  # the writing rules' warnings too, as build shows them
        from .lint import with_lint_warnings
        from .lintcache import lint_cached

        result = with_lint_warnings(result, lint_cached(result.course, out_dir))
    for diagnostic in result.diagnostics.items:
        print(diagnostic, file=sys.stderr)
    if not result.ok() or result.course is None:
        print("coursegen: not rebuilt: fix the errors above", file=sys.stderr)
        return False
    try:
        reports = build_course(result.course, source, out_dir, targets, on_target_done=progress.target_done)
    except TargetError as error:  # a user's to fix (a slide template, the Anki state): keep watching
        print(f"coursegen: error: {error}", file=sys.stderr)
        print("coursegen: not rebuilt: fix the error above", file=sys.stderr)
        return False
    progress.summary(reports, out_dir)
    return True


def watch(source: Path, out_dir: Path, targets, serve: bool = False, port: int = 8000) -> int:
    from watchfiles import watch as watch_changes

    try:
        check_folders(source, out_dir)
    except FolderError as error:
        print(f"coursegen: error: {error}", file=sys.stderr)
        return 2
    progress = BuildProgress()
    preview = Preview() if serve else None
    server = None
    if serve and targets and "scorm" not in targets:
        targets = list(targets) + ["scorm"]
    try:
        if _rebuild(source, out_dir, targets, progress) and preview:
            preview.refresh(out_dir)
        if preview:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), preview.handler())
            threading.Thread(target=server.serve_forever, daemon=True).start()
            print(f"preview: http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)")
        print(f"watching {source}/ for changes")
        # The anki target keeps a state file in the source folder; its own writes are not edits.
        for _changes in watch_changes(source, watch_filter=lambda _change, path: not path.endswith("anki-state.json")):
            if _rebuild(source, out_dir, targets, progress) and preview:
                preview.refresh(out_dir)
        return 0
    finally:  # Ctrl-C included: the unpacked preview does not outlive the command
        if server is not None:
            server.shutdown()
            server.server_close()
        if preview:
            preview.close()
