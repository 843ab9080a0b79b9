"""A small threaded web server on 127.0.0.1 for the browser tests.

``/lms/`` is the test LMS page (this folder's ``lms/``), ``/vendor/`` is ``node_modules/``,
everything else comes from ``root`` (where the tests unpack the packages). ``POST
/lms/commit`` is the LMS back end scorm-again commits to: it records every commit and
answers with a server error while ``fail_commits`` is set.
"""

from __future__ import annotations

import http.server
import json
import threading
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
MOUNTS = {"/lms/": HERE / "lms", "/vendor/": PROJECT / "node_modules"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    server_version = "TestLMS/1"

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        for prefix, folder in MOUNTS.items():
            if clean.startswith(prefix):
                return super().translate_path("/" + clean[len(prefix) :]).replace(self.directory, str(folder), 1)
        return super().translate_path(path)

    def do_POST(self):  # noqa: N802 (http.server naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        owner: TestServer = self.server.owner  # type: ignore[attr-defined]
        if self.path.split("?")[0] != "/lms/commit":
            self.send_error(404)
            return
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            data = body.decode("utf-8", "replace")
        owner.commits.append({"ok": not owner.fail_commits, "data": data})
        if owner.fail_commits:
            self.send_response(500)
            payload = b'{"result": "false", "errorCode": 101}'
        else:
            self.send_response(200)
            payload = b'{"result": "true", "errorCode": 0}'
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):  # keep test output clean
        pass


class TestServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.commits: list = []
        self.fail_commits = False
        handler = partial(_Handler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
