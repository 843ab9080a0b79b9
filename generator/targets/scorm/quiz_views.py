"""How the e-learning shows and reports each quiz item type (generator/quiztypes.py): one
record per type. The page draws the form named by ``form`` (a branch of
templates/scorm/_quiz.html); the runtime handles the type in templates/scorm/assets/quiz.js
(``TYPES``: order shown, valid answer, score) and sco.js (reading and showing the form of
``form``). tests/test_quiztypes.py checks that every type has all of these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...model import Option, QuizItem
from ...shuffle import shown_matches, shown_options


@dataclass(frozen=True)
class QuizView:
    interaction: str  # the SCORM cmi.interactions type it is reported as
    form: str  # how the page draws it: "choices", "order" or "match" (_quiz.html)
    hint: str  # the strings.yaml key of the line that says what to do
    shown: Callable[[QuizItem], tuple[Option, ...]]  # the build-time order (match: right-hand answers)
    input: str = ""  # choices: the input's type, "radio" or "checkbox"
    labels: bool = False  # the options' texts are the strings answer_<option id> (true/false)


QUIZ_VIEWS: dict[str, QuizView] = {
    "single": QuizView("choice", "choices", "choose_one", shown_options, input="radio"),
    "multiple": QuizView("choice", "choices", "choose_all", shown_options, input="checkbox"),
    "truefalse": QuizView("true-false", "choices", "choose_one", shown_options, input="radio", labels=True),
    "order": QuizView("sequencing", "order", "order_hint", shown_options),
    "match": QuizView("matching", "match", "match_hint", shown_matches),
}
