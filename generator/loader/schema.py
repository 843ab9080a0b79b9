"""The fields of every object in the course source. The authoring guide documents these."""

from __future__ import annotations

from ..quiztypes import NAMES
from .fields import Field

COURSE = {
    "id": Field(
        "str", True, "Stable id of the course; used in SCORM identifiers and Anki ids. Never change it after publishing."
    ),
    "title": Field("str", True, "Title of the course."),
    "subtitle": Field("str", False, "Subtitle, shown on title slides and the e-learning start page."),
    "language": Field("str", True, "Language of the course text: 'nl' or 'en'.", ("nl", "en")),
    "version": Field("str", True, "Version of the course, e.g. 1.2.0."),
    "authors": Field("strlist", True, "Authors of the course."),
    "licence": Field("str", False, "Licence of the course text."),
    "description": Field("str", False, "Short description (Markdown)."),
    "modules": Field("strlist", True, "The module folders, in order, relative to this file."),
    "theme": Field("map", False, "Colours and logo."),
    "targets": Field("map", False, "Settings per output (slides, scorm, anki)."),
}

THEME = {
    "primary": Field("str", False, "Main colour as #rrggbb.", default="#1d4e89"),
    "accent": Field("str", False, "Accent colour as #rrggbb.", default="#b5521b"),
    "logo": Field("str", False, "Logo image, relative to course.yaml."),
}

REFERENCE = {
    "key": Field("str", True, "The key you cite with: [@key]."),
    "cite": Field("str", True, "Authors as written in a citation, e.g. 'Knof & Swick' or 'Kaminski et al.'."),
    "year": Field("str", True, 'Year of publication, e.g. "2015".'),
    "apa": Field("str", True, "The full reference in APA style."),
}

CONCEPT_GROUP = {
    "id": Field("str", True, "Stable id of the group."),
    "label": Field("str", True, "Short label."),
    "description": Field("str", False, "What the group is."),
    "concepts": Field("list", True, "The concepts of the group."),
}

CONCEPT = {
    "id": Field("str", True, "Stable id of the concept; lessons, vignettes, quiz items and cards name it."),
    "label": Field("str", True, "Short label."),
    "description": Field("str", False, "One or two sentences."),
}

MODULE = {
    "id": Field("str", True, "Stable id of the module."),
    "title": Field("str", True, "Title of the module."),
    "description": Field("str", False, "Short description (Markdown)."),
    "objectives": Field("strlist", True, "Learning objectives of the module."),
    "targets": Field("map", False, "Per output, settings that differ from course.yaml for this module (e.g. scorm: pool)."),
}

LESSON = {
    "id": Field("str", True, "Stable id of the lesson."),
    "title": Field("str", True, "Title of the lesson."),
    "minutes": Field("int", True, "Length of the workshop block / e-learning sequence in minutes."),
    "objectives": Field("strlist", True, "Learning objectives of the lesson."),
    "concepts": Field("strlist", True, "Ids of the concepts this lesson teaches."),
}

VIGNETTE = {
    "id": Field("str", True, "Stable id of the vignette."),
    "title": Field("str", True, "Short title."),
    "setting": Field("str", True, "Where it happens, e.g. 'Basisschool, groep 3'."),
    "role": Field("str", True, "The learner's role in the case."),
    "situation": Field("str", True, "The case itself (Markdown)."),
    "questions": Field("strlist", True, "Discussion questions."),
    "model_answer": Field("str", True, "Model answer for the facilitator (Markdown)."),
    "concepts": Field("strlist", True, "Ids of the concepts the vignette practises."),
    "lesson": Field("str", False, "Id of the lesson after which the vignette comes; default: end of the module."),
    "cite": Field("strlist", False, "Bibliography keys the vignette draws on."),
}

QUIZ = {
    "id": Field("str", True, "Stable id; becomes the SCORM interaction id."),
    "type": Field("str", True, "single, multiple, truefalse, order or match.", NAMES),
    "question": Field("str", True, "The question or statement (Markdown)."),
    "options": Field("list", False, "single/multiple: the options, each with text, correct and feedback."),
    "shuffle": Field("bool", False, "single/multiple: false keeps the options in the order written (default: shuffled)."),
    "answer": Field("bool", False, "truefalse: whether the statement is true."),
    "feedback_true": Field("str", False, "truefalse: feedback when the learner answers 'true'."),
    "feedback_false": Field("str", False, "truefalse: feedback when the learner answers 'false'."),
    "items": Field("strlist", False, "order: the items in the correct order."),
    "pairs": Field("list", False, "match: pairs of left and right."),
    "feedback_correct": Field("str", False, "Feedback on a correct answer (required for order and match)."),
    "feedback_incorrect": Field("str", False, "Feedback on a wrong answer (required for order and match)."),
    "concepts": Field("strlist", True, "Ids of the concepts the item tests."),
    "lesson": Field("str", False, "Id of the lesson the item belongs to."),
    "cite": Field("strlist", True, "Bibliography keys that support the correct answer."),
}

OPTION = {
    "id": Field("str", False, "Stable id of the option (default: a, b, c, ... by position)."),
    "text": Field("str", True, "The option."),
    "correct": Field("bool", False, "true for a correct option."),
    "feedback": Field("str", True, "Feedback shown when the learner chooses this option."),
}

PAIR = {
    "left": Field("str", True, "Left-hand side."),
    "right": Field("str", True, "The right-hand side that belongs to it."),
}

CARD = {
    "id": Field("str", True, "Stable id; keeps the Anki note (and its review history) across edits."),
    "type": Field("str", True, "basic, reversed or cloze.", ("basic", "reversed", "cloze")),
    "front": Field("str", False, "basic/reversed: front side (Markdown)."),
    "back": Field("str", False, "basic/reversed: back side (Markdown)."),
    "text": Field("str", False, "cloze: text with {{c1::...}} deletions."),
    "extra": Field("str", False, "Extra explanation shown with the answer."),
    "tags": Field("strlist", False, "Extra tags."),
    "concepts": Field("strlist", True, "Ids of the concepts the card drills."),
    "cite": Field("strlist", True, "Bibliography keys."),
}
