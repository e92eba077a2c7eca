"""The equality questions, on the Government Statistical Service's harmonised standards and the
Census 2021 (Wales) questions, and how answers are grouped for the participation report.

Every question is optional and has "Prefer not to say". Gender identity and sexual orientation are
asked only of people 16 and over (as the census did). Pure data and functions; labels are message
ids, translated where the page's language is known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pb.i18n import N_, NC_

NOT_SAY = "not_say"
NOT_SAY_LABEL = N_("Prefer not to say")


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    hint: str
    options: tuple[tuple[str, str | tuple[str, str]], ...]  # (value, label) without "Prefer not to say", which every question has
    multiple: bool = False  # checkboxes
    adults_only: bool = False  # asked only of people 16 and over

    @property
    def values(self) -> frozenset[str]:
        return frozenset(value for value, _ in self.options) | {NOT_SAY}


AGE = Question(
    "age",
    N_("What is your age?"),
    "",
    (
        ("under_16", N_("Under 16")),
        ("16_24", N_("16 to 24")),
        ("25_34", N_("25 to 34")),
        ("35_44", N_("35 to 44")),
        ("45_54", N_("45 to 54")),
        ("55_64", N_("55 to 64")),
        ("65_74", N_("65 to 74")),
        ("75_plus", N_("75 or over")),
    ),
)

QUESTIONS: tuple[Question, ...] = (
    AGE,
    Question("sex", N_("What is your sex?"), "", (("female", N_("Female")), ("male", N_("Male")))),
    Question(
        "gender_identity",
        N_("Is the gender you identify with the same as your sex registered at birth?"),
        "",
        (("same", N_("Yes")), ("different", N_("No"))),
        adults_only=True,
    ),
    Question(
        "sexual_orientation",
        N_("Which of the following best describes your sexual orientation?"),
        "",
        (
            ("straight", N_("Straight or heterosexual")),
            ("gay_lesbian", N_("Gay or lesbian")),
            ("bisexual", N_("Bisexual")),
            ("other", N_("Other sexual orientation")),
        ),
        adults_only=True,
    ),
    Question(
        "ethnic_group",
        N_("What is your ethnic group?"),
        "",
        (
            ("asian", N_("Asian, Asian Welsh or Asian British")),
            ("black", N_("Black, Black Welsh, Black British, Caribbean or African")),
            ("mixed", N_("Mixed or Multiple ethnic groups")),
            ("white", N_("White")),
            ("other", N_("Other ethnic group")),
        ),
    ),
    Question(
        "religion",
        N_("What is your religion?"),
        "",
        (
            ("none", N_("No religion")),
            ("christian", N_("Christian (all denominations)")),
            ("buddhist", N_("Buddhist")),
            ("hindu", N_("Hindu")),
            ("jewish", N_("Jewish")),
            ("muslim", N_("Muslim")),
            ("sikh", N_("Sikh")),
            ("other", N_("Any other religion")),
        ),
    ),
    Question(
        "health_condition",
        N_("Do you have any physical or mental health conditions or illnesses lasting or expected to last 12 months or more?"),
        "",
        (("yes", NC_("answer to: do you have", "Yes")), ("no", NC_("answer to: do you have", "No"))),
    ),
    Question(
        "health_limits",
        N_("Do any conditions or illnesses reduce your ability to carry out day-to-day activities?"),
        N_("Answer only if you have a condition or illness lasting or expected to last 12 months or more."),
        (("a_lot", N_("Yes, a lot")), ("a_little", N_("Yes, a little")), ("not_at_all", N_("Not at all"))),
    ),
    Question(
        "welsh",
        N_("Can you understand, speak, read or write Welsh?"),
        N_("Select all that apply."),
        (
            ("understand", N_("Understand spoken Welsh")),
            ("speak", N_("Speak Welsh")),
            ("read", N_("Read Welsh")),
            ("write", N_("Write Welsh")),
            ("none", N_("None of the above")),
        ),
        multiple=True,
    ),
    Question(
        "caring",
        N_(
            "Do you look after, or give any help or support to, anyone because they have long-term physical or mental health "
            "conditions or illnesses, or problems related to old age?"
        ),
        N_("Do not count anything you do as part of your paid employment."),
        (
            ("no", NC_("answer to: do you look after", "No")),
            ("up_to_9", N_("Yes, 9 hours a week or less")),
            ("10_19", N_("Yes, 10 to 19 hours a week")),
            ("20_34", N_("Yes, 20 to 34 hours a week")),
            ("35_49", N_("Yes, 35 to 49 hours a week")),
            ("50_plus", N_("Yes, 50 or more hours a week")),
        ),
    ),
)

BY_KEY = {question.key: question for question in QUESTIONS}
ADULT_AGES = frozenset({"16_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"})

Answers = Mapping[str, tuple[str, ...]]  # question key -> the values chosen (one, or several for checkboxes)


def asks(question: Question, age: str | None, switched_off: frozenset[str] = frozenset()) -> bool:
    """Whether this question is put to someone who gave this age answer (None: not answered)."""
    if question.key in switched_off:
        return False
    return not question.adults_only or age in ADULT_AGES


def read_answers(
    form: Mapping[str, list[str]], switched_off: frozenset[str] = frozenset()
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """The answers in a submitted questionnaire and, per question, the message for a value that is
    not one of its options. A question left blank is simply not answered. Questions the council has
    switched off, and the adults-only questions for anyone not known to be 16 or over, are ignored."""
    answers: dict[str, tuple[str, ...]] = {}
    errors: dict[str, str] = {}
    given_age = form.get("age", [])
    age = given_age[0] if len(given_age) == 1 and given_age[0] in AGE.values else None
    for question in QUESTIONS:
        if not asks(question, age, switched_off):
            continue
        chosen = [value for value in form.get(question.key, []) if value != ""]
        if not chosen:
            continue
        if any(value not in question.values for value in chosen) or (not question.multiple and len(chosen) > 1):
            errors[question.key] = N_("Choose one of the answers listed, or leave the question blank")
            continue
        unique = tuple(sorted(set(chosen)))
        if len(unique) > 1 and (NOT_SAY in unique or "none" in unique):
            errors[question.key] = N_("Choose the Welsh language skills you have, or “None of the above”, or “Prefer not to say”")
            continue
        answers[question.key] = unique
    return answers, errors


def kept(submitted: Mapping[str, list[str]]) -> dict[str, object]:
    """What was chosen, to show again beside a problem: a list for checkboxes, else the last value."""
    return {key: (chosen if BY_KEY[key].multiple else (chosen[-1] if chosen else "")) for key, chosen in submitted.items()}


@dataclass(frozen=True)
class Measure:
    """One way the report groups people, with the population baseline's 'measure' and 'group'
    names (the CSV's columns): a person is in one group, or in none (not answered, prefer not to say)."""

    key: str
    title: str
    groups: tuple[tuple[str, str | tuple[str, str]], ...]  # (group, label)
    classify: Callable[[Answers], str | None]


def _same(key: str, mapping: Mapping[str, str] | None = None) -> Callable[[Answers], str | None]:
    def classify(answers: Answers) -> str | None:
        chosen = answers.get(key, ())
        if len(chosen) != 1 or chosen[0] == NOT_SAY:
            return None
        return mapping.get(chosen[0]) if mapping is not None else chosen[0]

    return classify


def _disability(answers: Answers) -> str | None:
    # The GSS harmonised standard's Equality Act definition: a condition of 12 months or more that
    # reduces day-to-day activities a little or a lot.
    condition = answers.get("health_condition", ())
    limits = answers.get("health_limits", ())
    if condition == ("no",):
        return "not_disabled"
    if condition == ("yes",):
        if limits in (("a_lot",), ("a_little",)):
            return "disabled"
        if limits == ("not_at_all",):
            return "not_disabled"
    return None


def _welsh(answers: Answers) -> str | None:
    chosen = answers.get("welsh", ())
    if not chosen or NOT_SAY in chosen:
        return None
    return "speaks" if "speak" in chosen else "does_not_speak"


MEASURES: tuple[Measure, ...] = (
    Measure("age", N_("Age"), AGE.options, _same("age")),
    Measure("sex", N_("Sex"), BY_KEY["sex"].options, _same("sex")),
    Measure(
        "gender_identity",
        N_("Gender identity"),
        (
            ("same", N_("Gender the same as sex registered at birth")),
            ("different", N_("Gender different from sex registered at birth")),
        ),
        _same("gender_identity"),
    ),
    Measure("sexual_orientation", N_("Sexual orientation"), BY_KEY["sexual_orientation"].options, _same("sexual_orientation")),
    Measure("ethnic_group", N_("Ethnic group"), BY_KEY["ethnic_group"].options, _same("ethnic_group")),
    Measure("religion", N_("Religion"), BY_KEY["religion"].options, _same("religion")),
    Measure("disability", N_("Disability"), (("disabled", N_("Disabled")), ("not_disabled", N_("Not disabled"))), _disability),
    Measure(
        "welsh", N_("Welsh language"), (("speaks", N_("Speaks Welsh")), ("does_not_speak", N_("Does not speak Welsh"))), _welsh
    ),
    Measure(
        "caring",
        N_("Unpaid care"),
        (("carer", N_("Gives unpaid care")), ("not_carer", N_("Does not give unpaid care"))),
        _same(
            "caring",
            {"no": "not_carer", "up_to_9": "carer", "10_19": "carer", "20_34": "carer", "35_49": "carer", "50_plus": "carer"},
        ),
    ),
)

MEASURE_BY_KEY = {measure.key: measure for measure in MEASURES}

# Where people took part: each way in gets its own column in the report.
WANT_OPTIONS = (("yes", NC_("answer to: do you want", "Yes")), ("no", NC_("answer to: do you want", "No")))

ROUTES: tuple[tuple[str, str], ...] = (
    ("online", N_("Voted online")),
    ("code", N_("Voted with a voting code")),
    ("kiosk", N_("Voted at a kiosk")),
    ("paper", N_("Voted on paper")),
    ("session", N_("Came to a community session")),
    ("proposal", N_("Proposed a project")),
)
ROUTE_KEYS = frozenset(key for key, _ in ROUTES)
