"""Validation of proposals: pure functions returning cleaned values and errors (message ids)."""

from __future__ import annotations

from pb import images
from pb.fields import is_digits, parse_pounds  # money is read and shown one way everywhere
from pb.i18n import N_
from pb.text import clean_field

# The seven well-being goals of the Well-being of Future Generations (Wales) Act 2015, then local themes.
WELLBEING_GOALS = {
    "prosperous": N_("A prosperous Wales"),
    "resilient": N_("A resilient Wales"),
    "healthier": N_("A healthier Wales"),
    "more_equal": N_("A more equal Wales"),
    "cohesive_communities": N_("A Wales of cohesive communities"),
    "culture_welsh_language": N_("A Wales of vibrant culture and thriving Welsh language"),
    "globally_responsible": N_("A globally responsible Wales"),
}
LOCAL_THEMES = {
    "green_spaces": N_("Parks and green spaces"),
    "transport": N_("Roads, paths and transport"),
    "young_people": N_("Children and young people"),
    "older_people": N_("Older people"),
    "safety": N_("Community safety"),
    "arts_heritage": N_("Arts and heritage"),
    "sport": N_("Sport and leisure"),
}
THEMES = {**WELLBEING_GOALS, **LOCAL_THEMES}

LANGUAGE_CHOICES = ("cy", "en", "both")
TITLE_MAX, SUMMARY_MAX, DESCRIPTION_MAX, PARTNERS_MAX = 120, 300, 10_000, 500
MAX_PENCE = 10**13  # £100 billion: far above any budget, below any integer overflow

Errors = dict[str, str]


def _text(form: dict, name: str) -> str:
    # Without invisible formatting (bidi controls, zero-width spaces): see pb.text.
    return clean_field(form.get(name, ""))


def validate_proposal(form: dict, themes: list[str], area_budgets: dict[int, int], submitting: bool) -> tuple[dict, Errors]:
    """Check a proposal form. Drafts need only a title and an area; submitting needs everything.

    `area_budgets` maps each of the round's area ids to its budget in pence.
    """
    errors: Errors = {}
    languages = _text(form, "languages")
    if languages not in LANGUAGE_CHOICES:
        errors["languages"] = N_("Choose which language or languages you are writing in")
        languages = "both"
    wanted = ("en", "cy") if languages == "both" else (languages,)
    values: dict = {"languages": languages}
    limits = {"title": TITLE_MAX, "summary": SUMMARY_MAX, "description": DESCRIPTION_MAX}
    missing = {
        "title": N_("Enter a title"),
        "summary": N_("Enter a short summary"),
        "description": N_("Describe the project"),
    }
    too_long = {
        "title": N_("Title must be 120 characters or fewer"),
        "summary": N_("Summary must be 300 characters or fewer"),
        "description": N_("Description must be 10,000 characters or fewer"),
    }
    for field, limit in limits.items():
        for lang in ("en", "cy"):
            name = f"{field}_{lang}"
            text = _text(form, name) if lang in wanted else ""
            values[name] = text
            if len(text) > limit:
                errors[name] = too_long[field]
            elif not text and lang in wanted and (submitting or field == "title"):
                errors[name] = missing[field]

    cost_text = _text(form, "estimated_cost")
    values["estimated_cost_pence"] = 0
    area_text = _text(form, "area")
    area_id = int(area_text) if is_digits(area_text) else None
    values["area_id"] = area_id
    if area_id not in area_budgets:
        errors["area"] = N_("Choose the area the project is in")
        values["area_id"] = None
    if cost_text:
        pence = parse_pounds(cost_text)
        if pence is None:
            errors["estimated_cost"] = N_("Enter the cost in pounds, like 2500 or 2500.50")
        elif pence <= 0:
            errors["estimated_cost"] = N_("The cost must be more than £0")
        elif area_id in area_budgets and pence > area_budgets[area_id]:
            errors["estimated_cost"] = N_("The cost must not be more than the area's budget")
        else:
            values["estimated_cost_pence"] = pence
    elif submitting:
        errors["estimated_cost"] = N_("Enter an estimated cost")

    chosen = [theme for theme in themes if theme in THEMES]
    if len(chosen) != len(themes):
        errors["themes"] = N_("Choose themes from the list")
    elif submitting and not chosen:
        errors["themes"] = N_("Choose at least one theme")
    values["themes"] = sorted(set(chosen))

    partners = _text(form, "partners")
    if len(partners) > PARTNERS_MAX:
        errors["partners"] = N_("Partner organisations must be 500 characters or fewer")
    values["partners"] = "\n".join(line.strip() for line in partners.splitlines() if line.strip())
    return values, errors


def validate_comment(form: dict) -> tuple[str, Errors]:
    body = _text(form, "body")
    if not body:
        return body, {"body": N_("Write your comment")}
    if len(body) > 2000:
        return body, {"body": N_("Comment must be 2,000 characters or fewer")}
    return body, {}


def comment_language(form: dict, page_language: str) -> str:
    """The language a comment says it is written in, else the page's (the form offers both)."""
    chosen = form.get("language")
    return chosen if chosen in ("cy", "en") else page_language


def search_text(values: dict) -> str:
    """Lower-cased text the listing search matches against, in both languages."""
    parts = [values.get(f"{field}_{lang}", "") for field in ("title", "summary", "description") for lang in ("en", "cy")]
    return " ".join(part for part in parts if part).lower()


TRANSLATED_FIELDS = ("title", "summary", "description")


def missing_language(row: dict) -> str | None:
    """The language a proposal still needs ("cy" or "en"), or None when it reads in both: a field
    written in one language and empty in the other. Welsh and English are treated alike."""
    for lang, other in (("cy", "en"), ("en", "cy")):
        if any(
            row.get(f"{field}_{other}") and not row.get(f"{field}_{lang}") for field in TRANSLATED_FIELDS if f"{field}_en" in row
        ):
            return lang
    return None


def validate_translation(form: dict, lang: str, row: dict) -> tuple[dict, Errors]:
    """An officer's (or author's) translation into `lang`: every field the proposal has in the other
    language is needed in this one too, within the same limits."""
    other = "en" if lang == "cy" else "cy"
    limits = {"title": TITLE_MAX, "summary": SUMMARY_MAX, "description": DESCRIPTION_MAX}
    needed = {"title": N_("Enter the title"), "summary": N_("Enter the summary"), "description": N_("Enter the description")}
    too_long = {
        "title": N_("Title must be 120 characters or fewer"),
        "summary": N_("Summary must be 300 characters or fewer"),
        "description": N_("Description must be 10,000 characters or fewer"),
    }
    values: dict = {}
    errors: Errors = {}
    for field, limit in limits.items():
        name = f"{field}_{lang}"
        text = _text(form, name)
        values[name] = text
        if len(text) > limit:
            errors[name] = too_long[field]
        elif not text and row.get(f"{field}_{other}"):
            errors[name] = needed[field]
    return values, errors


def image_languages(row: dict) -> list[str]:
    """The languages a proposal is written in (its title in each): its picture needs alt text in each."""
    return images.languages_of(row)
