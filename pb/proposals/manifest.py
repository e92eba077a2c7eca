"""Proposals: residents' project ideas, their review, supports, follows and comments."""

from pb.proposals import image_routes, lifecycle, listing, queries, review, round_hooks, routes
from pb.proposals.demo import seed as demo_seed
from pb.proposals.rules import LOCAL_THEMES, THEMES, WELLBEING_GOALS, missing_language
from pb.registry import Capability
from pb.web import media

capability = Capability(
    name="proposals",
    demo=demo_seed,
    routes=[*routes.route_handlers, *review.route_handlers, *image_routes.route_handlers],
    root_routes=[media.picture],
    template_globals=dict(
        status_names=lifecycle.STATUS_NAMES,
        missing_language=missing_language,
        status_tags=lifecycle.STATUS_TAG_CLASSES,
        themes=THEMES,
        wellbeing_goals=WELLBEING_GOALS,
        local_themes=LOCAL_THEMES,
        sort_names=listing.SORTS,
    ),
    extensions={
        "rounds.phase_changed": round_hooks.phase_changed,
        "rounds.page_context": round_hooks.round_page_context,
        "rounds.manage_context": round_hooks.manage_context,
        "media.in_use": queries.picture_files,
    },
    # The first capability with pictures runs the daily clean of every capability's unused files.
    background=(media.run_media_cleaning,),
)
