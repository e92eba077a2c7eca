"""Names and formatting for the session templates, registered on pb's one Jinja environment when
pb.deliberation's routes are imported (as pb.web.vocabulary does for the rest of pb)."""

from pb.deliberation import rules
from pb.web.templating import ENVIRONMENT

ENVIRONMENT.globals.update(
    session_formats=rules.FORMATS,
    session_features=rules.FEATURES,
    session_access_filters=rules.ACCESS_FILTERS,
    session_language_modes=rules.LANGUAGE_MODES,
    session_needs=rules.NEEDS,
    outcome_kinds=rules.OUTCOME_KINDS,
    prioritisation_methods=rules.METHODS,
    registration_statuses=rules.REGISTRATION_STATUSES,
)
ENVIRONMENT.filters["session_when"] = lambda row, lang: rules.when_text(row["starts_at"], row["ends_at"], lang)
ENVIRONMENT.filters["session_day"] = lambda moment, lang: rules.day_text(moment, lang)
ENVIRONMENT.filters["session_time"] = lambda moment, lang: rules.time_text(moment, lang)
