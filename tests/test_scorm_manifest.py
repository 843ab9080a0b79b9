"""imsmanifest.xml: valid against the official XSDs (offline), identifiers from source ids."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import zipfile

import pytest
from conftest import SCRATCH_OUT
from lxml import etree
from scorm_support.server import PROJECT

from generator.loader import load_course
from generator.outputs import BuildContext
from generator.paths import TEMPLATES_DIR
from generator.targets import scorm
from generator.targets.scorm import schemas

NS = {
    "1.2": {
        "cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "md": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
    },
    "2004": {
        "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss",
        "lom": "http://ltsc.ieee.org/xsd/LOM",
    },
}


def packages(course, only: str | None = None) -> dict[str, zipfile.ZipFile]:
    context = BuildContext(PROJECT, SCRATCH_OUT, TEMPLATES_DIR)
    result = {}
    for output in scorm.plan(course, context):
        version = "1.2" if output.path.endswith("scorm12.zip") else "2004"
        if only in (None, version):
            result[version] = zipfile.ZipFile(io.BytesIO(output.render()))
    return result


def manifest(course, version: str) -> bytes:
    return packages(course, version)[version].read("imsmanifest.xml")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_fixture_manifests_are_valid(valid_course, version):
    assert schemas.validate_manifest(manifest(valid_course, version), version) == []


@pytest.fixture(scope="module")
def shipped():
    return load_course(PROJECT / "course_source")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_shipped_course_manifests_are_valid(shipped, version):
    result = shipped
    if result.course is None:
        pytest.skip(f"course_source/ does not load yet ({len(result.diagnostics.errors)} errors)")
    assert schemas.validate_manifest(manifest(result.course, version), version) == []


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_validator_catches_mistakes(valid_course, version):
    good = manifest(valid_course, version)
    ns = NS[version]["cp"]
    broken = good.replace(
        b'<organizations default="org-mini-partnerschap">', b'<organizations default="org-mini-partnerschap"><bogus/>'
    )
    errors = schemas.validate_manifest(broken, version)
    assert errors and "bogus" in errors[0]
    tree = etree.fromstring(good)
    for resource in tree.iterfind(f"{{{ns}}}resources/{{{ns}}}resource"):
        del resource.attrib["identifier"]
    assert schemas.validate_manifest(etree.tostring(tree), version), "a resource needs an identifier"


def test_validator_never_leaves_the_schema_folder(tmp_path):
    folder = schemas.schema_folder("2004").resolve()
    for url in (
        "http://www.w3.org/2001/xml.xsd",
        "https://example.org/x.xsd",
        "../scorm12/ims_xml.xsd",
        "/etc/passwd",
        (tmp_path / "x.xsd").as_uri(),
    ):
        with pytest.raises(ValueError):
            schemas._local_path(url, folder)
    assert schemas._local_path("xml.xsd", folder) == folder / "xml.xsd"


def test_validator_reads_schemas_in_a_folder_with_a_space_and_an_accent(tmp_path):
    """Where Windows and macOS users keep their files ("C:\\Users\\Jan de Vries"): the
    schema URLs lxml hands over are percent-encoded."""
    folder = tmp_path / "Jan de Vriës" / "scorm-schemas"
    folder.mkdir(parents=True)
    (folder / "x.xsd").write_text("<schema/>")
    assert schemas._local_path((folder / "x.xsd").as_uri(), folder.resolve()) == (folder / "x.xsd").resolve()
    with pytest.raises(ValueError):
        schemas._local_path("file://elsewhere" + (folder / "x.xsd").as_uri()[len("file://") :], folder.resolve())


def test_schema_files_are_the_published_ones():
    """The data copies match the checksums of the shared collection, byte for byte."""
    root = schemas.SCHEMA_ROOT
    sums = dict(reversed(line.split("  ", 1)) for line in (root / "SHA256SUMS").read_text().splitlines())
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.suffix in (".xsd", ".dtd"))
    assert sorted(sums) == files
    for name, digest in sums.items():
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == digest, name
    assert "Origin" in (root / "README.md").read_text()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_packages_ship_their_schemas(valid_course, version):
    archive = packages(valid_course)[version]
    for name, data in schemas.package_files(version):
        assert archive.read(name) == data, name
    location = (
        etree.fromstring(archive.read("imsmanifest.xml")).get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    )
    for schema_file in location[1::2]:
        assert schema_file in archive.namelist(), f"{schema_file} named in xsi:schemaLocation but not shipped"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_identifiers_come_from_course_and_module_ids(valid_course, version):
    ns = NS[version]
    tree = etree.fromstring(manifest(valid_course, version))
    assert tree.get("identifier") == "course-mini-partnerschap"
    assert tree.get("version") == "1.0.0"
    items = tree.findall(".//cp:item", ns)
    assert [(i.get("identifier"), i.get("identifierref")) for i in items] == [
        ("item-m01-basis", "res-m01-basis"),
        ("item-m02-school", "res-m02-school"),
    ]
    assert [i.findtext("cp:title", namespaces=ns) for i in items] == ["1. Basisbegrippen", "2. Partnerschap op school"]
    scos = tree.findall(".//cp:resource", ns)
    kind = f"{{{ns['adlcp']}}}{'scormtype' if version == '1.2' else 'scormType'}"
    assert [(r.get("identifier"), r.get(kind), r.get("href")) for r in scos] == [
        ("res-m01-basis", "sco", "m01-basis/index.html"),
        ("res-m02-school", "sco", "m02-school/index.html"),
        ("res-shared", "asset", None),
    ]
    # Moving a module keeps its identifiers (learner records follow the module, not its place).
    swapped = dataclasses.replace(valid_course, modules=tuple(reversed(valid_course.modules)))
    items = etree.fromstring(manifest(swapped, version)).findall(".//cp:item", ns)
    assert [i.get("identifier") for i in items] == ["item-m02-school", "item-m01-basis"]


def test_metadata_title_language_version(valid_course):
    m12 = etree.fromstring(manifest(valid_course, "1.2"))
    ns = NS["1.2"]
    assert m12.findtext(".//md:general/md:title/md:langstring", namespaces=ns) == "Mini-cursus partnerschap"
    assert m12.findtext(".//md:general/md:language", namespaces=ns) == "nl"
    assert m12.findtext(".//md:lifecycle/md:version/md:langstring", namespaces=ns) == "1.0.0"
    m2004 = etree.fromstring(manifest(valid_course, "2004"))
    ns = NS["2004"]
    assert m2004.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "2004 4th Edition"
    assert m2004.findtext(".//lom:general/lom:title/lom:string", namespaces=ns) == "Mini-cursus partnerschap"
    assert m2004.findtext(".//lom:general/lom:language", namespaces=ns) == "nl"
    assert m2004.findtext(".//lom:lifeCycle/lom:version/lom:string", namespaces=ns) == "1.0.0"


def test_pass_mark_and_quizless_modules(valid_course):
    settings = {**valid_course.targets, "scorm": {"versions": ("1.2", "2004"), "passing_score": 80}}
    first, second = valid_course.modules
    course = dataclasses.replace(valid_course, targets=settings, modules=(first, dataclasses.replace(second, quiz=())))
    m12 = etree.fromstring(manifest(course, "1.2"))
    assert [i.findtext("adlcp:masteryscore", namespaces=NS["1.2"]) for i in m12.findall(".//cp:item", NS["1.2"])] == ["80", None]
    m2004 = etree.fromstring(manifest(course, "2004"))
    ns = NS["2004"]
    quiz, reading = m2004.findall(".//cp:item", ns)
    assert quiz.findtext(".//imsss:primaryObjective/imsss:minNormalizedMeasure", namespaces=ns) == "0.8"
    assert quiz.find(".//imsss:primaryObjective", ns).get("satisfiedByMeasure") == "true"
    assert reading.find(".//imsss:rollupRules", ns).get("rollupObjectiveSatisfied") == "false"
    for version in ("1.2", "2004"):
        assert schemas.validate_manifest(manifest(course, version), version) == []
