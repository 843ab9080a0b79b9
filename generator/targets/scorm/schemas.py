"""The official SCORM XML schemas: which files each package ships, and an offline validator.

The files live in ``generator/data/scorm-schemas/`` (see its README for their origin).
``package_files`` gives the ones a package carries at its root; ``validate_manifest``
checks an ``imsmanifest.xml`` against them without ever touching the network. lxml is a
test dependency only, so it is imported inside the validator.
"""

from __future__ import annotations

import urllib.parse
from functools import lru_cache
from pathlib import Path, PurePosixPath

from ...paths import DATA_DIR

SCHEMA_ROOT = DATA_DIR / "scorm-schemas"

# version -> (folder, {namespace: schema file}) : the namespaces a manifest of that version uses.
SCHEMA_SETS: dict[str, tuple[str, dict[str, str]]] = {
    "1.2": (
        "scorm12",
        {
            "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
            "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
            "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
        },
    ),
    "2004": (
        "scorm2004-4th",
        {
            "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
            "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
            "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
            "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
            "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
            "http://ltsc.ieee.org/xsd/LOM": "lom.xsd",
        },
    ),
}

# The two in-memory fixes the published SCORM 1.2 files need before libxml2 accepts them
# (see the data README). The shipped files stay untouched.
_SCORM12_PATCHES = {
    "ims_xml.xsd": (b'xmlns="http://www.w3.org/XML/1998/namespace"', b""),
    "imsmd_rootv1p2p1.xsd": (
        b'<xsd:any namespace="##any" processContents="strict"',
        b'<xsd:any namespace="##other" processContents="strict"',
    ),
}


def schema_folder(version: str) -> Path:
    return SCHEMA_ROOT / SCHEMA_SETS[version][0]


def schema_locations(version: str) -> str:
    """The ``xsi:schemaLocation`` value of a manifest: namespace/file pairs at the package root."""
    return " ".join(f"{ns} {name}" for ns, name in SCHEMA_SETS[version][1].items())


@lru_cache(maxsize=2)
def package_files(version: str) -> tuple[tuple[str, bytes], ...]:
    """Every schema file of ``version``'s set, as (path inside the package, bytes), sorted."""
    folder = schema_folder(version)
    return tuple((path.relative_to(folder).as_posix(), path.read_bytes()) for path in sorted(folder.rglob("*")) if path.is_file())


# -- validation (tests, and anyone with lxml) ------------------------------------------------


def _driver(version: str) -> bytes:
    imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in SCHEMA_SETS[version][1].items())
    return (
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">{imports}</xs:schema>'
    ).encode()


@lru_cache(maxsize=2)
def _schema(version: str):
    from lxml import etree

    folder = schema_folder(version).resolve()
    patches = _SCORM12_PATCHES if version == "1.2" else {}

    class LocalOnly(etree.Resolver):
        """Serves schema files from ``folder`` only; anything else (network, other folders) fails."""

        # lxml calls resolve(url, pubid, context); lxml-stubs 0.5 leaves out ``context``.
        def resolve(self, url, pubid, context):  # type: ignore[override]
            path = _local_path(url, folder)
            data = path.read_bytes()
            name = path.relative_to(folder).as_posix()
            if name in patches:
                old, new = patches[name]
                data = data.replace(old, new, 1)
            return self.resolve_string(data, context, base_url=path.as_uri())

    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    parser.resolvers.add(LocalOnly())
    driver = etree.fromstring(_driver(version), parser, base_url=(folder / "driver.xsd").as_uri())
    return etree.XMLSchema(driver)


def _local_path(url: str, folder: Path) -> Path:
    if url.startswith("file:"):
        # As ``Path.as_uri`` and libxml2 write it: percent-encoded (a space or an accent in the
        # folder's name) and, on Windows, with the drive ("file:///C:/..."); url2pathname
        # undoes both.
        parts = urllib.parse.urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"schema validation may not fetch '{url}'")
        from urllib.request import url2pathname  # here: a build that only plans the packages does not pay for it

        path = Path(url2pathname(parts.path))
    elif "://" in url:
        raise ValueError(f"schema validation may not fetch '{url}'")
    else:
        path = Path(url) if PurePosixPath(url).is_absolute() else folder / url
    path = path.resolve()
    if folder not in path.parents or not path.is_file():
        raise ValueError(f"schema validation may only read files in {folder}, not '{url}'")
    return path


def validate_manifest(xml: bytes, version: str) -> list[str]:
    """Validate an ``imsmanifest.xml`` against the official schemas of ``version``.

    Returns the validation errors as ``line N: message`` strings (empty when valid). The
    ``xsi:schemaLocation`` hints inside the manifest are never followed."""
    from lxml import etree

    schema = _schema(version)
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    document = etree.fromstring(xml, parser)
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
