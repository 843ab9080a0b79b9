"""A tiny target for testing the build machinery: one text file per module."""

from functools import partial

from generator.outputs import Output

SETTINGS: dict = {}
RENDERED: list[str] = []
FAIL_ON: set[str] = set()


def render(module) -> bytes:
    if module.id in FAIL_ON:
        raise RuntimeError(f"simulated failure rendering {module.id}")
    RENDERED.append(module.id)
    return "\n".join([module.title] + [s.title for lesson in module.lessons for s in lesson.sections]).encode()


def plan(course, context):
    return [Output(f"fake/{module.id}.txt", partial(render, module), {"modules": 1}) for module in course.modules]


def install(monkeypatch) -> None:
    """Register this target as 'fake' for one test, with nothing rendered or failing yet."""
    from generator import registry

    monkeypatch.setitem(registry.TARGETS, "fake", "tests.support.fake_target")
    RENDERED.clear()
    FAIL_ON.clear()


def build(source, out, clean: bool = False, jobs: int | None = None):
    """Build only this target of the course in ``source``; its report."""
    from generator.build import build_course
    from generator.loader import load_course

    course = load_course(source).course
    assert course is not None
    return build_course(course, source, out, ["fake"], clean=clean, jobs=jobs)[0]
