"""Demo population baselines: every demo round with areas gets one, clearly marked illustrative.

The figures are made up but plausible for three small Welsh communities of a few thousand people,
with many older residents (three in ten are 65 or over): an online-heavy turnout will show them
under-represented in the participation report. They go through the same reading as an officer's
upload (pb.equality.baselines) and are written by the same action. Safe to run twice."""

from __future__ import annotations

from pb.equality import actions, baselines
from pb.equality.tables import BaselineSource
from pb.rounds.demo import ROUNDS, demo_round
from pb.rounds.tables import Area

SOURCE_EN = "Illustrative figures for the demonstration, not real census counts"
SOURCE_CY = "Ffigurau enghreifftiol ar gyfer yr arddangosiad, nid cyfrifon go iawn o'r cyfrifiad"

# Per area (English name as in pb.rounds.demo): population, share who speak Welsh, WIMD quintile.
PEOPLE = {"Aberafon": (4_820, 0.21, "q2"), "Bryncoed": (3_460, 0.34, "q4"), "Glanymor": (2_710, 0.16, "q1")}

AGE = {
    "under_16": 0.15,
    "16_24": 0.08,
    "25_34": 0.10,
    "35_44": 0.10,
    "45_54": 0.12,
    "55_64": 0.15,
    "65_74": 0.16,
    "75_plus": 0.14,
}
ADULTS = 1 - AGE["under_16"]  # gender identity and sexual orientation: people 16 and over, as the census asked
SHARES = {
    "sex": {"female": 0.515, "male": 0.485},
    "gender_identity": {"same": 0.995, "different": 0.005},
    "sexual_orientation": {"straight": 0.96, "gay_lesbian": 0.017, "bisexual": 0.017, "other": 0.006},
    "ethnic_group": {"white": 0.965, "asian": 0.015, "mixed": 0.012, "black": 0.004, "other": 0.004},
    "religion": {
        "none": 0.46,
        "christian": 0.51,
        "muslim": 0.012,
        "buddhist": 0.004,
        "hindu": 0.004,
        "jewish": 0.001,
        "sikh": 0.001,
        "other": 0.008,
    },
    "disability": {"disabled": 0.25, "not_disabled": 0.75},
    "caring": {"carer": 0.12, "not_carer": 0.88},
}


def split(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Whole numbers in these proportions that add up to the total (largest remainders)."""
    exact = {key: total * share / sum(shares.values()) for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def baseline_csv(area_names: list[str]) -> str:
    """The demo baseline as an officer would upload it, for these areas (by English name)."""
    lines = ["area,measure,group,people"]
    for name in area_names:
        if name not in PEOPLE:
            continue
        population, welsh, quintile = PEOPLE[name]
        adults = round(population * ADULTS)
        figures = {
            "age": split(population, AGE),
            "welsh": split(population, {"speaks": welsh, "does_not_speak": 1 - welsh}),
            "deprivation": {quintile: population},
        }
        for key, shares in SHARES.items():
            figures[key] = split(adults if key in ("gender_identity", "sexual_orientation") else population, shares)
        for measure in baselines.BASELINE_MEASURES:
            for group, people in figures[measure.key].items():
                lines.append(f"{name},{measure.key},{group},{people}")
    return "\n".join(lines) + "\n"


async def seed() -> None:
    for (title_en, _title_cy), *_rest in ROUNDS:
        found = await demo_round(title_en)
        if found is None or not found[2] or await BaselineSource.exists().where(BaselineSource.round == found[0]):
            continue
        areas = await Area.select(Area.id, Area.name_en, Area.name_cy).where(Area.round == found[0])
        reading = baselines.read_baseline(baseline_csv([area["name_en"] for area in areas]), areas)
        if reading.problems:
            raise ValueError(f"the demo baseline has problems: {reading.problems[:3]}")
        await actions.replace_baseline(None, found[0], reading.rows, SOURCE_EN, SOURCE_CY, illustrative=True)
