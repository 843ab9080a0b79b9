"""One SCORM package (.zip): the manifest, the schema files, the pages, the scripts, the media.

What takes time — the module pages, with their compressed bytes — comes from the cache
(cache.py) where it can, and is cached when it is made. Without a cache (``cache=None``)
everything is rendered.
"""

from __future__ import annotations

from pathlib import Path

from ...model import Course
from ...outputs import deflate, zip_bytes
from . import schemas, site
from .cache import Entry, ScormCache, page_render
from .manifest import render_manifest
from .site import ASSETS, CONFIG_SLOT, ModulePage, asset


def build_package(
    course: Course,
    version: str,
    passing_score: int,
    templates_dir: Path,
    cache: ScormCache | None = None,
    keys: dict[str, str] | None = None,
    backwards: bool = False,
    versions: tuple[str, ...] = (),
) -> bytes:
    """The bytes of the ``version`` ('1.2' or '2004') package of ``course``.

    ``keys`` are the cache keys of the module pages (``cache.page_keys``); ``backwards`` walks
    the modules last to first, so that two packages rendered at the same time render different
    pages and share them;
    ``versions`` are all the packages planned (a page is compressed for each when rendered)."""
    if cache is None or keys is None:
        cache, keys = None, None
    versions = tuple(dict.fromkeys((version, *versions)))
    entries: dict[str, bytes] = {}
    packed: dict[str, bytes] = {}  # name -> its deflated bytes, where known

    pages = module_pages(course, passing_score, templates_dir, cache, keys, backwards, versions)
    images: set[str] = set()
    for module in course.modules:
        page, compressed = pages.pop(module.id)  # (let each page go once it is in the zip's entries)
        name = f"{module.id}/index.html"
        entries[name] = page.for_version(version)
        if version in compressed:
            packed[name] = compressed[version]
        images.update(page.images)

    overview = _overview(course, templates_dir)
    entries["index.html"], packed["index.html"] = overview.parts["data"], overview.parts["deflated"]
    images.update(overview.meta["images"])
    entries["shared/theme.css"] = site.render_theme(course, templates_dir)
    for name in ASSETS:
        entries[f"shared/{name}"] = asset(templates_dir, name)
    if course.theme.logo:
        images.add(course.theme.logo)
    for path in sorted(images):
        image = course.images.get(path)
        if image is not None:
            # The zip holds the plain name; pages and the manifest refer to it URL-quoted.
            entries["media/" + path] = image.data
    common = sorted(name for name in entries if not (name.endswith("/index.html") and name.count("/") == 1))

    entries["imsmanifest.xml"] = render_manifest(course, version, passing_score, common, templates_dir)
    for name, data in schemas.package_files(version):
        entries[name] = data
    return zip_bytes(entries, first=("imsmanifest.xml",), deflated=packed)


def module_pages(
    course: Course,
    passing_score: int,
    templates_dir: Path,
    cache: ScormCache | None,
    keys: dict[str, str] | None,
    backwards: bool = False,
    versions: tuple[str, ...] = (),
) -> dict[str, tuple[ModulePage, dict[str, bytes]]]:
    """Every module's page, by module id, with its deflated bytes per version where known:
    from the cache, or rendered (and then cached). A page the other package's process is
    rendering is waited for after all the others."""
    pages: dict[str, tuple[ModulePage, dict[str, bytes]]] = {}

    def render(module) -> tuple[ModulePage, dict[str, bytes]]:
        page = page_render(course, module, passing_score, templates_dir)()  # the call its key is made of
        return page, {version: deflate(page.for_version(version)) for version in versions}

    claimed_elsewhere = []
    for module in reversed(course.modules) if backwards else course.modules:
        if cache is None or keys is None:
            pages[module.id] = render(module)
            continue
        key = keys[module.id]
        found = _page_of(cache.load(key))
        if found is None:
            if not cache.claim(key):
                claimed_elsewhere.append(module)
                continue
            try:
                # Finished by the other process between the look and the claim?
                found = _page_of(cache.load(key))
                if found is None:
                    found = render(module)
                    cache.store(key, _page_entry(*found))
            finally:
                cache.release(key)
        pages[module.id] = found
    for module in claimed_elsewhere:
        assert cache is not None and keys is not None  # only a module with a cache is claimed
        key = keys[module.id]
        found = _page_of(cache.wait(key))
        if found is None:
            found = render(module)
            cache.store(key, _page_entry(*found))
        pages[module.id] = found
    return pages


def _page_entry(page: ModulePage, compressed: dict[str, bytes]) -> Entry:
    parts = {"html": page.html}
    parts.update({f"deflated-{version}": data for version, data in compressed.items()})
    return Entry({"config": page.config, "images": list(page.images)}, parts)


def _page_of(entry: Entry | None) -> tuple[ModulePage, dict[str, bytes]] | None:
    if entry is None:
        return None
    try:
        page = ModulePage(entry.parts["html"], entry.meta["config"], tuple(entry.meta["images"]))
    except (KeyError, TypeError):
        return None
    if not isinstance(page.config, dict) or page.html.count(CONFIG_SLOT.encode()) != 1:
        return None
    compressed = {name[len("deflated-") :]: data for name, data in entry.parts.items() if name.startswith("deflated-")}
    return page, compressed


def _overview(course: Course, templates_dir: Path) -> Entry:
    from .content import ImageCollector

    images = ImageCollector("")
    data = site.render_overview(course, templates_dir, images)
    return Entry({"images": sorted(images.used)}, {"data": data, "deflated": deflate(data)})
