"""A tiny target for testing the build machinery: one text file per module."""

from generator.outputs import Output

SETTINGS: dict = {}
RENDERED: list[str] = []
FAIL_ON: set[str] = set()


def plan(course, context):
    outputs = []
    for module in course.modules:
        def render(module=module):
            if module.id in FAIL_ON:
                raise RuntimeError(f"simulated failure rendering {module.id}")
            RENDERED.append(module.id)
            return "\n".join([module.title] + [s.title for lesson in module.lessons for s in lesson.sections]).encode()
        outputs.append(Output(f"fake/{module.id}.txt", (module,), render, {"modules": 1}))
    return outputs
