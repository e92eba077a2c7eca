"""Deliberative sessions: scheduling, registration, attendance and published outcomes."""

from pb.deliberation import home, manage, picture_routes, proposal_sections, queries, routes, rules
from pb.deliberation.cli import send_reminders
from pb.deliberation.demo import seed as demo_seed
from pb.registry import Capability

capability = Capability(
    name="deliberation",
    demo=demo_seed,
    routes=[*routes.route_handlers, *manage.route_handlers, *picture_routes.route_handlers],
    template_globals=dict(
        session_formats=rules.FORMATS,
        session_features=rules.FEATURES,
        session_access_filters=rules.ACCESS_FILTERS,
        session_language_modes=rules.LANGUAGE_MODES,
        session_needs=rules.NEEDS,
        outcome_kinds=rules.OUTCOME_KINDS,
        prioritisation_methods=rules.METHODS,
        registration_statuses=rules.REGISTRATION_STATUSES,
    ),
    template_filters=dict(
        session_when=lambda row, lang: rules.when_text(row["starts_at"], row["ends_at"], lang),
        session_day=lambda moment, lang: rules.day_text(moment, lang),
        session_time=lambda moment, lang: rules.time_text(moment, lang),
    ),
    commands=(send_reminders,),
    extensions={
        "proposals.page_sections": proposal_sections.session_outcomes,
        "web.home_sections": home.sessions_this_week,
        "media.in_use": queries.picture_files,
    },
)
