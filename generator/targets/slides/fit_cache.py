"""The fit of each module's session slides (``slides.session_fit``), kept between builds.

``coursegen build`` runs the targets' checks before it writes anything, and the slides' check
fits every check question, answer, case situation and assignment of every session: most of
a no-op rebuild's time. The result — a list of warnings — is kept in
``OUT/.coursegen-cache/slides/fit-<key>.json``, the key derived like an output's
(generator/fingerprint.py): the environment and the ``session_fit`` call written out. A
missing, damaged or foreign file costs the fitting again; nothing in it is ever run.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ...fingerprint import digest
from ...outputs import write_atomic

PREFIX, SUFFIX = "fit-", ".json"


def fit_key(fit, environment: str) -> str:
    """``environment``: ``environment_digest(templates_dir)``, worked out once for every module
    (it reads the whole templates folder)."""
    # The build's shared memo: the model parts written out here are not written out again for
    # the decks' keys (build_course clears it when it is done).
    return hashlib.sha256(environment.encode() + digest(fit)).hexdigest()[:40]


def read_fit(folder: Path, key: str) -> list | None:
    try:
        data = json.loads((folder / f"{PREFIX}{key}{SUFFIX}").read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("problems"), list):
        return None
    problems = []
    for entry in data["problems"]:
        if not (
            isinstance(entry, list)
            and len(entry) == 2
            and isinstance(entry[1], str)
            and isinstance(entry[0], list)
            and len(entry[0]) == 3
            and isinstance(entry[0][0], str)
            and all(type(n) is int for n in entry[0][1:])
        ):
            return None
        problems.append((tuple(entry[0]), entry[1]))
    return problems


def write_fit(folder: Path, key: str, problems: list) -> None:
    text = json.dumps({"key": key, "problems": [[list(loc), message] for loc, message in problems]}, ensure_ascii=False)
    try:
        write_atomic(folder / f"{PREFIX}{key}{SUFFIX}", text.encode("utf-8"))
    except OSError:
        pass  # no cache: only slower next time


def prune_fits(folder: Path, keep: set[str]) -> None:
    """Remove the fits no module of this course has any more."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith(PREFIX) and name.endswith(SUFFIX) and name[len(PREFIX) : -len(SUFFIX)] not in keep:
            try:
                (folder / name).unlink()
            except OSError:
                pass
