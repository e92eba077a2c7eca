"""Moderation rules, pure: reasons, report and decision validation, who may decide."""

import pytest

from pb.moderation import rules


def test_the_reasons_are_the_community_guidelines():
    assert list(rules.REASONS) == ["threats", "hate", "harassment", "personal_data", "misinformation", "spam", "off_topic"]
    assert all(isinstance(label, str) and label for label in rules.REASONS.values())
    assert len(set(rules.REASONS.values())) == len(rules.REASONS)


def test_reason_codes_fit_the_columns():
    # Report.reason, ModerationDecision.reason, Proposal.hidden_reason and Comment.hidden_reason are 30 characters.
    assert all(len(code) <= 30 for code in rules.REASONS)
    assert all(len(action) <= 10 for action in rules.ACTIONS)


def test_kinds():
    assert rules.is_kind("proposal") and rules.is_kind("comment")
    for kind in ("", "round", "Proposal", "user", "comment "):
        assert not rules.is_kind(kind)


# Reports


@pytest.mark.parametrize("reason", list(rules.REASONS))
def test_every_reason_may_be_reported(reason):
    values, errors = rules.validate_report({"reason": reason})
    assert errors == {}
    assert values == {"reason": reason, "details": ""}


@pytest.mark.parametrize("reason", ["", "   ", "criticism", "THREATS", "threats; drop table", None, ["spam"], 3])
def test_a_report_needs_a_known_reason(reason):
    _, errors = rules.validate_report({"reason": reason, "details": "x"})
    assert set(errors) == {"reason"}


def test_a_report_with_no_fields_names_the_reason():
    values, errors = rules.validate_report({})
    assert set(errors) == {"reason"}
    assert values == {"reason": "", "details": ""}


def test_report_reason_and_details_are_trimmed():
    values, errors = rules.validate_report({"reason": "  spam ", "details": "  selling things \n"})
    assert errors == {}
    assert values == {"reason": "spam", "details": "selling things"}


def test_report_details_up_to_1000_characters():
    assert rules.validate_report({"reason": "spam", "details": "x" * 1000})[1] == {}
    _, errors = rules.validate_report({"reason": "spam", "details": "x" * 1001})
    assert set(errors) == {"details"}


def test_report_details_that_are_not_text_are_ignored():
    values, errors = rules.validate_report({"reason": "hate", "details": ["a", "b"]})
    assert errors == {} and values["details"] == ""


def test_both_report_errors_at_once():
    _, errors = rules.validate_report({"reason": "nope", "details": "x" * 2000})
    assert set(errors) == {"reason", "details"}
    assert errors["reason"] != errors["details"]


# Decisions: statements of reasons

FULL = {"action": "hide", "ground": "guidelines", "reason": "spam", "facts": "It links to a shop.", "explanation": "An advert."}


def decision(**fields):
    return rules.validate_decision({**FULL, **fields})


@pytest.mark.parametrize("reason", list(rules.REASONS))
def test_hiding_with_each_reason(reason):
    values, errors = decision(reason=reason, explanation="It names a person's home.")
    assert errors == {}
    assert values == {
        "action": "hide",
        "ground": "guidelines",
        "law": "",
        "reason": reason,
        "facts": "It links to a shop.",
        "explanation": "It names a person's home.",
        "public_note": "",
        "note_language": "",
    }


@pytest.mark.parametrize("law", list(rules.LAWS))
def test_hiding_as_unlawful_names_the_law(law):
    values, errors = decision(ground="unlawful", law=law, reason="")
    assert errors == {} and values["law"] == law


def test_unlawful_without_a_known_law_is_refused():
    for law in ("", "theft_act_1968", None):
        _, errors = decision(ground="unlawful", law=law)
        assert set(errors) == {"law"}


def test_a_law_is_dropped_unless_the_ground_is_unlawful():
    values, errors = decision(law="harassment_1997")
    assert errors == {} and values["law"] == ""


def test_the_guidelines_ground_needs_a_clause():
    _, errors = decision(reason="")
    assert set(errors) == {"reason"}


def test_no_breach_only_when_keeping():
    _, errors = decision(ground="none", reason="")
    assert set(errors) == {"ground"}
    for action in ("keep", "note"):
        values, errors = decision(action=action, ground="none", reason="", public_note="Context: see the council's reply.")
        assert errors == {} and values["reason"] == ""


def test_the_ground_is_required_and_known():
    for ground in ("", "rude", None):
        _, errors = decision(ground=ground)
        assert set(errors) == {"ground"}


def test_facts_are_required_and_limited():
    for facts in ("", "  \n ", None):
        assert set(decision(facts=facts)[1]) == {"facts"}
    assert decision(facts="f" * 2000)[1] == {}
    assert set(decision(facts="f" * 2001)[1]) == {"facts"}


def test_a_note_needs_its_text_and_only_a_note_keeps_it():
    assert set(decision(action="note", ground="none", reason="")[1]) == {"public_note"}
    assert set(decision(action="note", ground="none", reason="", public_note="n" * 1001)[1]) == {"public_note"}
    values, errors = decision(action="keep", ground="none", reason="", public_note="ignored")
    assert errors == {} and values["public_note"] == ""


@pytest.mark.parametrize("action", ["hide", "keep"])
def test_an_unknown_reason_is_refused_either_way(action):
    _, errors = decision(action=action, reason="rude")
    assert set(errors) == {"reason"}


@pytest.mark.parametrize("action", ["", "delete", "HIDE", "restore", None, ["hide"]])
def test_the_action_must_be_hide_keep_or_note(action):
    _, errors = decision(action=action)
    assert set(errors) == {"action"}


def test_an_explanation_is_required():
    for explanation in ("", "   \n ", None):
        _, errors = decision(explanation=explanation)
        assert set(errors) == {"explanation"}


def test_explanation_up_to_1000_characters():
    assert decision(explanation="y" * 1000)[1] == {}
    assert set(decision(explanation="y" * 1001)[1]) == {"explanation"}
    # The limit applies to the trimmed text.
    assert decision(explanation="  " + "y" * 1000 + "  ")[1] == {}


def test_an_empty_decision_names_every_field():
    values, errors = rules.validate_decision({})
    assert set(errors) == {"action", "ground", "facts", "explanation"}
    assert set(values.values()) == {""}


def test_decision_values_are_trimmed():
    values, _ = decision(action=" hide ", reason=" spam ", explanation="  Advert.  ", ground=" guidelines ")
    assert (values["action"], values["reason"], values["explanation"], values["ground"]) == (
        "hide",
        "spam",
        "Advert.",
        "guidelines",
    )


def test_a_watch_list_hold_is_automated():
    assert rules.is_automated(rules.HELD)
    assert not rules.is_automated("") and not rules.is_automated("spam")


def test_error_messages_are_message_ids():
    _, report_errors = rules.validate_report({"reason": "x", "details": "x" * 1001})
    _, decision_errors = rules.validate_decision({"action": "hide", "explanation": "x" * 1001})
    for message in [*report_errors.values(), *decision_errors.values()]:
        assert isinstance(message, str) and message and "%" not in message.replace("%%", "")


# Who may decide


def test_a_moderator_may_decide_on_others_content_they_did_not_report():
    assert rules.can_decide(1, [2, 3], 4)
    assert rules.can_decide(1, [], 4)
    assert rules.can_decide(1, set(), None)


def test_a_moderator_may_not_decide_on_their_own_content():
    assert not rules.can_decide(1, [], 1)
    assert not rules.can_decide(1, [2], 1)


def test_a_moderator_may_not_decide_on_what_they_reported():
    assert not rules.can_decide(1, [1], 4)
    assert not rules.can_decide(1, [2, 1, 3], 4)
    assert not rules.can_decide(1, (r for r in [3, 1]), 4)  # any iterable


def test_neither_their_own_nor_reported():
    assert not rules.can_decide(5, [5], 5)


# The guideline most reports name


def test_most_reported():
    assert rules.most_reported([]) == ""
    assert rules.most_reported(["spam"]) == "spam"
    assert rules.most_reported(["spam", "hate", "hate"]) == "hate"
    assert rules.most_reported(["harassment", "spam", "spam", "harassment"]) == "harassment"  # first among equals
    assert rules.most_reported(["unknown", "unknown", "spam"]) == "spam"
    assert rules.most_reported(["unknown"]) == ""
