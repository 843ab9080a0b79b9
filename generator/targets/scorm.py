"""Target 'scorm': SCORM 1.2 and 2004 packages. (build: not yet implemented)"""

from ..loader.fields import Field

SETTINGS = {
    "versions": Field("strlist", False, "SCORM versions to package: '1.2' and/or '2004'.", ("1.2", "2004"), default=("1.2", "2004")),
    "passing_score": Field("int", False, "Percentage of quiz points needed to pass (0-100).", default=70),
}


def plan(course, context):
    """The outputs of this target (see generator.outputs.Output)."""
    raise NotImplementedError
