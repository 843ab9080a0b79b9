"""Target 'slides': one workshop deck (.pptx) per module. (build: not yet implemented)"""

from ..loader.fields import Field

SETTINGS = {
    "template": Field("str", False, "'default' or a .pptx file relative to course.yaml with the institute's layouts.", default="default"),
    "course_deck": Field("bool", False, "Also write one deck with every module.", default=True),
}


def plan(course, context):
    """The outputs of this target (see generator.outputs.Output)."""
    raise NotImplementedError
