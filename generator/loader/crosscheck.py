"""Checks across the whole course, once everything has loaded."""

from __future__ import annotations

import posixpath

from ..diagnostics import Diagnostics
from ..model import Course, SourceLoc


def cross_check(
    course: Course, cited: dict[str, SourceLoc], diag: Diagnostics, listed_at: dict[str, SourceLoc] | None = None
) -> None:
    """``listed_at``: where course.yaml lists each module folder (normalised, relative)."""
    _unique_ids(course, diag, listed_at or {})
    taught = {concept for module in course.modules for lesson in module.lessons for concept in lesson.concepts}
    for group in course.concept_groups:
        for concept in group.concepts:
            if concept.id not in taught:
                diag.warning(concept.loc, f"concept '{concept.id}' is not taught by any lesson")
    for key, reference in course.references.items():
        if key not in cited:
            diag.warning(reference.loc, f"reference '{key}' is never cited")
    for module in course.modules:
        if not module.quiz:
            diag.warning(module.loc, f"module '{module.id}' has no quiz items")


def _unique_ids(course: Course, diag: Diagnostics, listed_at: dict[str, SourceLoc]) -> None:
    """Modules, lessons, vignettes, quiz items and cards share one id space: ids become
    file names, SCORM identifiers and Anki guids, so a clash anywhere would merge two items.

    Two module folders with the same module id (a copied folder) are one error at the
    course.yaml line that lists the copy, not one per item in it."""
    seen: dict[str, tuple[str, SourceLoc]] = {}
    module_folder: dict[str, str] = {}
    for module in course.modules:
        module_folder.setdefault(module.id, posixpath.dirname(module.loc.path))
    copies = {
        posixpath.dirname(m.loc.path): module_folder[m.id]
        for m in course.modules
        if m.id and module_folder[m.id] != posixpath.dirname(m.loc.path)
    }
    folded: dict[str, int] = {}

    def claim(item_id: str, what: str, loc: SourceLoc) -> None:
        if not item_id:
            return
        if item_id in seen:
            other_what, other_loc = seen[item_id]
            folder = _folder_of(loc.path, copies)
            if folder is not None and _folder_of(other_loc.path, {copies[folder]: None}) is not None:
                folded[folder] = folded.get(folder, 0) + 1
                return
            diag.error(loc, f"duplicate id '{item_id}': this {what} has the same id as the {other_what} at {other_loc}")
        else:
            seen[item_id] = (what, loc)

    # The course's own outputs are named by its id too (slides/<course id>.pptx beside
    # slides/<module id>.pptx): a module with the course's id would overwrite the course deck.
    claim(course.id, "course", course.loc)
    for module in course.modules:
        claim(module.id, "module", module.loc)
        for lesson in module.lessons:
            claim(lesson.id, "lesson", lesson.loc)
        for vignette in module.vignettes:
            claim(vignette.id, "vignette", vignette.loc)
        for item in module.quiz:
            claim(item.id, "quiz item", item.loc)
        for card in module.flashcards:
            claim(card.id, "card", card.loc)
    for folder, count in sorted(folded.items()):
        original = copies[folder]
        loc = listed_at.get(folder, SourceLoc(f"{folder}/module.yaml"))
        first = listed_at.get(original)
        where = f" (listed at line {first.line})" if first else ""
        diag.error(
            loc,
            f"module folder '{folder}' has the same module id as '{original}'{where}, and {count - 1} more "
            f"of its ids; is it a copy? Give the module and everything in it ids of its own",
        )


def _folder_of(path: str, folders: dict) -> str | None:
    """The folder among ``folders`` that ``path`` lies in, or None."""
    for folder in folders:
        if path.startswith(folder + "/"):
            return folder
    return None
