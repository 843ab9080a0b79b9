"""Target 'anki': one .apkg deck with a subdeck per module. (build: not yet implemented)"""

from ..loader.fields import Field

SETTINGS = {
    "deck_name": Field("str", False, "Name of the top-level deck; default: the course title.", default=""),
}


def plan(course, context):
    """The outputs of this target (see generator.outputs.Output)."""
    raise NotImplementedError
