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
