"""Reads course.yaml, the concept registry, the bibliography and every module."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from ..diagnostics import Diagnostics
from ..model import (
    Concept,
    ConceptGroup,
    Course,
    FrozenDict,
    Reference,
    SourceLoc,
    Theme,
)
from ..portable import files_named
from ..registry import settings_schemas
from ..suggest import did_you_mean
from . import schema
from .crosscheck import cross_check
from .fields import Fields, read_setting
from .files import SourceTree
from .folding import fold_unknown_names
from .inventory import account_for_files, is_editor_or_system_file
from .items import ModuleInputs, check_module_folder, module_settings, read_module
from .markdown_source import MarkdownReader
from .yamlsource import YList, load_yaml

MAX_VERSION_LENGTH = 20
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class CourseLoader:
    def __init__(self, root: Path, diag: Diagnostics, read_module=read_module) -> None:
        self.root = root
        self.tree = SourceTree(root)
        self.diag = diag
        self.read_module = read_module  # or one that reuses earlier parses (cache.ModuleReuse)
        # Kinds of name ("reference", "concept") whose definitions file failed to load as a whole.
        self.broken_definitions: set[str] = set()

    def _yaml(self, path: Path, loc: SourceLoc | None = None):
        text = self.tree.read_text(path, self.diag, loc)
        if text is None:
            return None
        value, problems = load_yaml(text, self.tree.rel(path))
        self.diag.extend(problems)
        return value

    def load(self) -> Course | None:
        if not self.root.is_dir():
            self.diag.error(SourceLoc(str(self.root), 1, 1), "course source folder not found")
            return None
        course_file = self.root / "course.yaml"
        if not course_file.is_file():
            self.diag.error(SourceLoc("course.yaml", 1, 1), f"no course.yaml in '{self.root}'")
            return None
        raw = self._yaml(course_file)
        if raw is None:
            return None
        fields = Fields(raw, schema.COURSE, "course.yaml", self.diag, SourceLoc("course.yaml"))
        language = fields.str("language", "nl")
        references = self._references()
        reader = MarkdownReader(self.tree, references, language, self.diag)
        groups = self._concepts()
        theme = self._theme(fields, reader)
        targets = self._targets(fields)
        inputs = ModuleInputs(
            language, references, frozenset(c.id for g in groups for c in g.concepts), module_settings(settings_schemas())
        )
        modules = []
        seen_dirs: dict[str, SourceLoc] = {}
        read_by_modules: set[str] = set()
        module_folders = fields.strlist("modules")
        if fields.ok and isinstance(fields.raw.get("modules"), list) and not module_folders:
            self.diag.error(fields.raw.key_loc("modules"), "course.yaml lists no modules")
        for number, (folder, loc) in enumerate(module_folders, start=1):
            # 'modules/01', 'modules/01/' and './modules/01' are one folder: read it once.
            normal = posixpath.normpath(folder) if folder else folder
            if normal in seen_dirs:
                self.diag.error(
                    loc, f"module '{folder}' is listed twice (first at line {seen_dirs[normal].line}); remove this line"
                )
                continue
            seen_dirs[normal] = loc
            path = self.root / folder
            if not check_module_folder(self.tree, path, loc, self.diag):
                continue
            parsed = self.read_module(self.root, path, number, inputs)
            read_by_modules.update(parsed.consulted)
            self.tree.consulted.update(parsed.consulted)
            self.tree.digests.update(parsed.digests)
            # Merged as if read in sequence: diagnostics in order, first citation of a key wins.
            self.diag.extend(parsed.diagnostics)
            for image in parsed.images:
                reader.images.setdefault(image.path, image)
            for key, cite_loc in parsed.cited:
                reader.cited.setdefault(key, cite_loc)
            modules.append(parsed.module)
        course = Course(
            id=fields.id(),
            title=fields.str("title"),
            subtitle=fields.str("subtitle"),
            language=language,
            version=self._version(fields),
            authors=tuple(text for text, _ in fields.strlist("authors")),
            licence=fields.str("licence"),
            description=reader.read(fields.str("description"), "course.yaml", fields.loc_of("description")),
            theme=theme,
            modules=tuple(modules),
            concept_groups=groups,
            references=FrozenDict(dict(sorted(references.items()))),
            images=FrozenDict(dict(sorted(reader.images.items()))),
            targets=targets,
            loc=fields.loc,
        )
        # Whatever the loader read is accounted for, also a file kind added after inventory.py.
        read = _setting_paths(targets) | self.tree.consulted | read_by_modules
        account_for_files(self.root, list(seen_dirs), read, self.diag)
        cross_check(course, reader.cited, self.diag, seen_dirs)
        fold_unknown_names(self.diag, self.broken_definitions)
        return course

    def _version(self, fields: Fields) -> str:
        version = fields.str("version")
        # The SCORM content-packaging schema holds a manifest's version in at most 20 characters.
        if len(version) > MAX_VERSION_LENGTH:
            self.diag.error(
                fields.loc_of("version"),
                f"version '{version[:40]}' is {len(version)} characters long; "
                f"at most {MAX_VERSION_LENGTH} fit in a SCORM manifest",
            )
        return version

    def _references(self) -> dict[str, Reference]:
        path = self.root / "references.yaml"
        references: dict[str, Reference] = {}
        if not path.exists():
            return references
        raw = self._yaml(path)
        if raw is None or not isinstance(raw, YList):
            self.broken_definitions.add("reference")
        if raw is None:
            return references
        if not isinstance(raw, YList):
            self.diag.error(SourceLoc("references.yaml"), "references.yaml must be a list of references ('- key: ...')")
            return references
        for index, entry in enumerate(raw):
            f = Fields(entry, schema.REFERENCE, "reference", self.diag, raw.loc_of(index))
            key = f.id("key")
            if not key:
                continue
            if key in references:
                self.diag.error(f.loc_of("key"), f"duplicate reference key '{key}' (first defined at {references[key].loc})")
                continue
            references[key] = Reference(key, f.str("cite"), f.str("year"), f.str("apa"), f.loc_of("key"))
        return references

    def _concepts(self) -> tuple[ConceptGroup, ...]:
        folder = self.root / "concepts"
        groups: list[ConceptGroup] = []
        seen: dict[str, SourceLoc] = {}
        if not folder.is_dir():
            return ()
        for path in (p for p in files_named(folder, ".yaml") if not is_editor_or_system_file(p.name)):
            raw = self._yaml(path)
            if raw is None:
                self.broken_definitions.add("concept")
                continue
            rel = self.tree.rel(path)
            f = Fields(raw, schema.CONCEPT_GROUP, "concept group", self.diag, SourceLoc(rel))
            if not f.ok or not isinstance(raw.get("concepts"), list):
                self.broken_definitions.add("concept")
            group_id = f.id()
            self._claim(seen, group_id, f.loc_of("id"), "concept group")
            entries = f.list("concepts")
            concepts = []
            for index, entry in enumerate(entries):
                c = Fields(entry, schema.CONCEPT, "concept", self.diag, entries.loc_of(index))
                concept_id = c.id()
                if not concept_id:
                    continue
                if self._claim(seen, concept_id, c.loc_of("id"), "concept"):
                    concepts.append(Concept(concept_id, c.str("label"), group_id, c.str("description"), c.loc_of("id")))
            if f.ok and not entries:
                self.diag.error(f.loc, f"concept group '{group_id}' has no concepts")
            groups.append(ConceptGroup(group_id, f.str("label"), tuple(concepts), f.loc_of("id")))
        return tuple(groups)

    def _claim(self, seen: dict[str, SourceLoc], item_id: str, loc: SourceLoc, what: str) -> bool:
        if not item_id:
            return False
        if item_id in seen:
            self.diag.error(loc, f"duplicate {what} id '{item_id}' (first defined at {seen[item_id]})")
            return False
        seen[item_id] = loc
        return True

    def _theme(self, course: Fields, reader: MarkdownReader) -> Theme:
        raw = course.map("theme")
        if raw is None:
            return Theme(_default_colour("primary"), _default_colour("accent"), None)
        f = Fields(raw, schema.THEME, "theme", self.diag, raw.loc)
        colours = {}
        for key in ("primary", "accent"):
            value = f.str(key, _default_colour(key))
            if not COLOUR.match(value):
                self.diag.error(f.loc_of(key), f"theme colour '{key}' must be written as #rrggbb, not '{value}'")
                value = _default_colour(key)
            colours[key] = value
        logo = f.str("logo") or None
        if logo:
            reader.check_image(logo, "", f.loc_of("logo"))
            logo = posixpath.normpath(logo)
            logo = logo if logo in reader.images else None
        return Theme(colours["primary"], colours["accent"], logo)

    def _targets(self, course: Fields) -> FrozenDict:
        schemas = settings_schemas()
        raw = course.map("targets")
        result: dict[str, FrozenDict] = {}
        if raw is not None:
            for name in raw:
                if name not in schemas:
                    hint = did_you_mean(name, schemas) or f" (known targets: {', '.join(sorted(schemas))})"
                    self.diag.error(raw.key_loc(name), f"unknown target '{name}'{hint}")
        for name, spec in sorted(schemas.items()):
            section = raw.get(name) if raw is not None else None
            values = {key: field.default for key, field in spec.items()}
            if raw is not None and section is not None:
                f = Fields(section, spec, f"targets.{name}", self.diag, raw.loc_of(name))
                for key, field in spec.items():
                    if f.has(key):
                        values[key] = read_setting(f, key, field)
            result[name] = FrozenDict(values)
        return FrozenDict(result)


def _default_colour(key: str) -> str:
    default = schema.THEME[key].default
    assert isinstance(default, str)
    return default


def _setting_paths(targets: FrozenDict) -> set[str]:
    """Files in the source that target settings name (a slide template): read by a target."""
    return {
        posixpath.normpath(value)
        for settings in targets.values()
        for value in settings.values()
        if isinstance(value, str) and value and "\\" not in value
    }
