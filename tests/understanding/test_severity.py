"""The learned severity layer: what it raises, upgrades and doubts, and what it never overrules."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.content.model import Content
from bot.understanding.nlu import Classifier
from bot.understanding.severity import UNLISTED, Severity, SeverityModel, learned_only
from bot.understanding.triage import Triage, Triager


@pytest.fixture(scope="module")
def model(content: Content, classifier: Classifier) -> SeverityModel:
    return SeverityModel(content, classifier.normalize)


@pytest.fixture(scope="module")
def triager(content: Content, settings: Settings) -> Triager:
    return Triager(content.triage, settings.fever_line_f)


def weighed(text: str, model: SeverityModel, triager: Triager, calm: bool = False) -> tuple[Triage, Triage]:
    """The lexicon's verdict and the verdict after the model."""
    normalized = model.normalize(text)
    verdict = triager.assess(text, normalized)
    return verdict, model.weigh(verdict, normalized, calm)


# Written for this test; none is in intents/severity.yml, and the lexicon has no words for them.
@pytest.mark.parametrize(("text", "level"), [
    ("feels like someone is standing on my ribs", "emergency"),  # pressure on the chest
    ("everything is spinning and i ended up on the kitchen floor", "emergency"),
])
def test_a_red_flag_the_lexicon_misses_is_raised(text: str, level: str, model: SeverityModel,
                                                triager: Triager) -> None:
    lexicon, verdict = weighed(text, model, triager)
    assert lexicon.level == "none"
    assert (verdict.level, verdict.red_flags) == (level, (UNLISTED,))
    assert learned_only(verdict)


def test_an_urgent_match_the_model_reads_as_an_emergency_is_one(model: SeverityModel,
                                                               triager: Triager) -> None:
    text = "my dad went grey and sweaty and now he wont answer me properly"
    lexicon, verdict = weighed(text, model, triager)
    assert (lexicon.level, verdict.level) == ("urgent", "emergency")
    assert set(lexicon.red_flags) < set(verdict.red_flags)
    assert not learned_only(verdict)


def test_a_match_the_model_is_sure_is_calm_is_doubted_not_dropped(model: SeverityModel,
                                                                 triager: Triager) -> None:
    lexicon, verdict = weighed("me preocupa la hinchazon del escroto", model, triager)
    assert lexicon.level == "urgent"
    assert verdict.level == "none"
    assert verdict.doubted == lexicon.red_flags


def test_emergency_words_only_the_surest_calm_reading_doubts(model: SeverityModel, triager: Triager) -> None:
    lexicon, verdict = weighed("casi me desmayo cuando me dijeron el precio del parking jaja", model, triager)
    assert (lexicon.level, verdict.level, verdict.doubted) == ("emergency", "none", lexicon.red_flags)
    lexicon, verdict = weighed("almost fainted when they told me the price haha", model, triager)
    assert verdict == lexicon  # calm, but not sure enough for an emergency sign


def test_thoughts_of_self_harm_are_never_doubted(model: SeverityModel, triager: Triager,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "judge", lambda normalized: Severity(-9.0, -9.0, -9.0))
    lexicon, verdict = weighed("i want to kill myself", model, triager)
    assert verdict == lexicon and "self_harm" in verdict.red_flags
    lexicon, verdict = weighed("i cant breathe", model, triager)
    assert verdict.doubted == lexicon.red_flags  # the same reading doubts any other sign


def test_sign_words_the_lexicon_discounted_are_asked_about_not_raised(model: SeverityModel,
                                                                   triager: Triager) -> None:
    text = "my late wife was gasping for air and coughing blood"
    assert model.judge(model.normalize(text)).alert > 0.25  # the model alone would raise it
    lexicon, verdict = weighed(text, model, triager)
    assert lexicon.mentioned and not lexicon.alerts
    assert (verdict.level, verdict.doubted) == ("none", (UNLISTED,))  # the layers disagree: ask


def test_a_calm_context_is_never_raised(model: SeverityModel, triager: Triager) -> None:
    text = "Lo hinchado del costado ya bajó bastante, la ropa ya no me aprieta"
    assert weighed(text, model, triager)[1].alerts  # the model alone would raise it
    assert weighed(text, model, triager, calm=True)[1].level == "none"


@pytest.mark.parametrize("text", [
    "my wife's temperature is 38.9 and she feels fine",  # a reading is a measurement
    "she keeps slurring her words since lunch",  # an emergency the model does not read as calm
    "no fever no redness just tired",
])
def test_what_the_model_leaves_as_the_lexicon_said(text: str, model: SeverityModel, triager: Triager) -> None:
    lexicon, verdict = weighed(text, model, triager)
    assert verdict == lexicon


@pytest.mark.parametrize("text", ["", "   ", "!!!!", "🙂🙂🙂", "1234567890" * 200, "HELP " * 2000])
def test_odd_input_is_weighed_without_a_crash(text: str, model: SeverityModel, triager: Triager) -> None:
    lexicon, verdict = weighed(text, model, triager)
    assert verdict.level in ("none", "check", "urgent", "emergency")
    if not text.strip(" !"):
        assert verdict == lexicon


def test_a_short_message_that_only_says_unwell_is_asked_about_not_raised(model: SeverityModel,
                                                                       triager: Triager) -> None:
    assert model.judge(model.normalize("feel like crap honestly")).alert > 0.25  # the model alone would alert
    verdict = model.assess(triager, "feel like crap honestly")
    assert verdict.level == "none" and verdict.doubted == (UNLISTED,)


def test_a_message_longer_than_any_it_learned_from_is_not_doubted(model: SeverityModel,
                                                                  triager: Triager) -> None:
    # The thanks drown the sign in a model that learned single short messages: it must not decide.
    text = "thanks so much for the help, the nurses were lovely and the parking was easy. " * 20
    text += "Also I cant breathe."
    assert model.judge(model.normalize(text)).alert <= -1.5  # the model alone would doubt it
    assert model.assess(triager, text).level == "emergency"


def test_a_longer_message_raised_only_for_feeling_unwell_is_asked_about(model: SeverityModel,
                                                                        triager: Triager) -> None:
    text = "feeling awful today, the kidney cryo was two days ago"
    assert model.judge(model.normalize(text)).alert > 0.25  # the model alone would raise it
    verdict = model.assess(triager, text)
    assert verdict.level == "none" and verdict.doubted == (UNLISTED,)
    # Something more than feeling unwell is still raised.
    assert model.assess(triager, "i feel awful, everything is spinning and im sweating buckets").alerts


def test_a_sign_told_after_a_turn_is_doubted_only_if_its_own_words_read_calm(model: SeverityModel,
                                                                            triager: Triager) -> None:
    text = ("mi suegra tuvo ictericia hace años, me acuerdo como se veia... y hoy soy yo la que tiene los"
            " ojos amarillos")
    assert model.judge(model.normalize(text)).alert < -1.0  # the whole message reads as an old story
    assert model.assess(triager, text).red_flags == ("jaundice",)
    # Words after the turn that tell no sign leave the doubt as it was.
    text = "My legs were numb from the spinal anaesthetic but the feeling came back"
    assert not model.assess(triager, text).alerts


@pytest.mark.parametrize("text", ["my husband won't text you himself so it's me",
                                  "mi marido no quiere escribir", "papa se desperto bien y me reconocio"])
def test_a_carer_saying_who_writes_or_that_all_is_well_is_not_raised(text: str, model: SeverityModel,
                                                                      triager: Triager) -> None:
    assert model.judge(model.normalize(text)).alert > 0.25  # the model alone would raise it
    assert not model.assess(triager, text).alerts


@pytest.mark.parametrize("text", ["No quiero molestar pero tengo una pregunta sobre cuándo me puedo bañar",
                                  "probably overreacting",
                                  "Disculpe, seguro es una pregunta tonta, ¿puedo tomar café mañana?"])
def test_a_message_raised_only_for_playing_it_down_is_not_raised(text: str, model: SeverityModel,
                                                                 triager: Triager) -> None:
    assert model.judge(model.normalize(text)).alert > 0.25  # the model alone would raise it
    assert not model.assess(triager, text).alerts
    # Played down, a sign is still told.
    assert model.assess(triager, "sorry to bother, probably nothing, but I fainted in the shower").alerts
