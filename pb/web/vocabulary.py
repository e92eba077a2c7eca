"""Names of things (statuses, phases, themes) made available to every template.

Kept apart from templating.py so the capability modules that define the names can themselves use
templating's helpers without an import cycle. The values are message ids: templates translate them."""

from pb.proposals import lifecycle, listing
from pb.proposals.rules import LOCAL_THEMES, THEMES, WELLBEING_GOALS
from pb.rounds import phases
from pb.rounds.rules import BALLOT_METHODS, COUNTING_RULES
from pb.tracker.rules import DELIVERY_STATUSES, DELIVERY_TAGS, EFFECT_TAGS, EFFECTS
from pb.web.templating import ENVIRONMENT

ENVIRONMENT.globals.update(
    status_names=lifecycle.STATUS_NAMES,
    status_tags=lifecycle.STATUS_TAG_CLASSES,
    phase_names=phases.PHASE_NAMES,
    phase_explanations=phases.PHASE_EXPLANATIONS,
    themes=THEMES,
    wellbeing_goals=WELLBEING_GOALS,
    local_themes=LOCAL_THEMES,
    sort_names=listing.SORTS,
    ballot_methods=BALLOT_METHODS,
    counting_rules=COUNTING_RULES,
    effects=EFFECTS,
    effect_tags=EFFECT_TAGS,
    delivery_statuses=DELIVERY_STATUSES,
    delivery_tags=DELIVERY_TAGS,
)
