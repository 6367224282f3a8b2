"""The fixed names the content and the code agree on: intents, responses, placeholders."""

from __future__ import annotations

CONVERSATION_INTENTS: tuple[str, ...] = (
    "greet",
    "goodbye",
    "thanks",
    "help",
    "bot_challenge",
    "talk_to_nurse",
    "affirm",
    "deny",
    "out_of_scope",
)

KNOWLEDGE_INTENTS: tuple[str, ...] = (
    "what_is_cryotherapy",
    "how_it_works",
    "conditions_treated",
    "candidacy",
    "procedure_skin",
    "procedure_internal",
    "preparation",
    "anesthesia_pain",
    "duration",
    "recovery",
    "aftercare",
    "catheter",
    "side_effects",
    "benefits",
    "drawbacks",
    "effectiveness",
    "repeat_treatment",
    "combined_treatments",
    "insurance_cost",
    "where_to_get",
    "clinical_trials",
    "tumor_after",
    "mesothelioma",
    "when_to_call",
)

SYMPTOM_INTENTS: tuple[str, ...] = ("report_symptom",)

# Ours, beyond the contract: patients ask for the sources and tell us their procedure.
EXTRA_INTENTS: tuple[str, ...] = ("sources", "inform_procedure")

CATALOG_INTENTS: tuple[str, ...] = CONVERSATION_INTENTS + KNOWLEDGE_INTENTS + SYMPTOM_INTENTS
ALL_INTENTS: tuple[str, ...] = CATALOG_INTENTS + EXTRA_INTENTS

FALLBACK_INTENT = "out_of_scope"

SITES: tuple[str, ...] = (
    "prostate",
    "liver",
    "kidney",
    "lung",
    "bone",
    "skin",
    "cervix",
    "eye",
    "breast",
    "mesothelioma",
)

TRIAGE_LEVELS: tuple[str, ...] = ("none", "check", "urgent", "emergency")
ALERT_LEVELS: frozenset[str] = frozenset({"urgent", "emergency"})

# Responses the code sends by name, beyond utter_<intent>.
SYSTEM_RESPONSES: tuple[str, ...] = (
    "utter_welcome",
    "utter_emergency",
    "utter_self_harm",
    "utter_urgent",
    "utter_ask_temperature",
    "utter_emergency_checklist",
    "utter_checklist_none",
    "utter_measure_again",
    "utter_temperature_below_line",
    "utter_call_if_signs",
    "utter_no_thermometer",
    "utter_procedure_noted",
    "utter_sources_list",
    "utter_call",
    "utter_unsupported_message",
    "utter_other_language",
    "utter_empty_message",
    "utter_too_long",
    "utter_stale_button",
    "utter_alert_nurse",
    "utter_alert_earlier_reports",
    "utter_alert_resent",
    "utter_alert_acknowledged",
    "utter_nurse_has_seen",
    "utter_forget_confirm",
    "utter_forget_done",
    "utter_forget_after_ack",
    "utter_forget_kept",
    # Understanding: too many questions in one message, a close call between two topics.
    "utter_questions_skipped",
    "utter_clarify",
    # The Telegram channel's own.
    "utter_topics",
    "utter_ask_procedure",
    "utter_unknown_command",
    "utter_flood_notice",
    "utter_acknowledge_button",
    "utter_ack_not_allowed",
    "utter_open_alerts",
    "utter_no_open_alerts",
    # Check-ins and the nurses' follow-through.
    "utter_checkin",
    "utter_checkin_fine",
    "utter_checkin_not_good",
    "utter_checkin_question",
    "utter_checkins_stopped",
    "utter_checkins_resumed",
    "utter_checkins_none_left",
    "utter_alert_reminder",
    "utter_alert_oncall",
    "utter_due_header",
    "utter_due_none",
    "utter_due_checkin",
    "utter_due_checkin_late",
    "utter_due_alert",
    "utter_digest",
    "utter_digest_overdue",
    "utter_no_such_alert",
)

# Placeholders a response may use, filled from settings and the conversation.
PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "care_team_phone",
        "emergency_number",
        "crisis_line",
        "fever_line_f",
        "fever_line_c",
        "temperature",
        "site",
        "sources",
        "patient",
        "level",
        "red_flags",
        "message",
        "time",
        "nurse",
        "alert_id",
        "max_chars",
        "day",
        "waited",
        "date",
        "sent",
        "answered",
        "flagged",
        "waiting",
        "questions",
        "count",
        "skipped",
    }
)


def utter_name(intent: str) -> str:
    """The response that answers an intent."""
    return f"utter_{intent}"


# The languages the bot speaks; a response variant may be for one of them (`lang` condition).
LANGUAGES: tuple[str, ...] = ("en", "es")


def rank(level: str) -> int:
    """Order of levels: emergency beats urgent beats check beats none."""
    return TRIAGE_LEVELS.index(level)
