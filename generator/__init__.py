"""coursegen: compile one plain-text course source into slides, SCORM packages and Anki decks.

source (course_source/) -> generator.loader -> generator.model.Course -> generator.targets.*
"""

__version__ = "0.1.0"
