"""Which language a message is in: English, Spanish, mixed, messages with no marker words, and others."""

from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT
from bot.content.model import Content
from bot.evaluation.languages import language, others, ours
from bot.understanding.language import (
    OTHER,
    detect,
    enclitic,
    from_locale,
    looks_spanish,
    sentence_language,
    spanish_share,
)
from bot.understanding.normalize import for_matching
from bot.understanding.text import simplify

DATA = PROJECT_ROOT / "tests" / "data"


@pytest.mark.parametrize("text", ["no puedo respirar bien desde la operacion", "mi papa tiene fever",
                                  "tengo calentura", "me duele mucho"])
def test_spanish_and_mixed_messages(text: str) -> None:
    assert looks_spanish(text)


@pytest.mark.parametrize("text", ["i cant breathe", "my dad has a fever", "what is cryoablation", "102"])
def test_english_and_unmarked_messages(text: str) -> None:
    assert not looks_spanish(text)


# A first message, in a chat with no language yet: short Spanish without the commonest words.
@pytest.mark.parametrize("text", ["no quiero molestar", "vomité dos veces anoche", "¿y para manejar?",
                                  "me medí: 38,9", "algún consejo para el cansancio?", "adiós"])
def test_short_spanish_is_read_as_spanish_on_a_first_message(text: str) -> None:
    assert detect(text, simplify(for_matching(text)), None) == "es"


@pytest.mark.parametrize("text", ["had a café latte, is that ok before the procedure?",
                                  "Maria is asking for me", "José my husband has a question",
                                  "so no driving?"])
def test_english_with_a_borrowed_word_stays_english(text: str) -> None:
    assert detect(text, simplify(for_matching(text)), None) == "en"


def test_a_message_with_no_marker_words_is_undecided() -> None:
    assert spanish_share("102 !!") == 0.5


def test_a_spanish_symptom_word_with_a_number_is_spanish() -> None:
    assert looks_spanish("39,2 y escalofrios")


@pytest.mark.parametrize("text", [
    "Bonjour, j'ai de la fièvre depuis hier soir", "estou com febre desde ontem",
    "ich habe seit gestern Fieber", "ho la febbre da ieri sera", "tôi bị sốt từ tối hôm qua",
    "我从昨天开始发烧", "у меня температура со вчерашнего дня", "عندي حمى منذ أمس",  # noqa: RUF001
    "may lagnat ako simula kahapon", "saya demam sejak kemarin"])
def test_a_language_the_bot_cannot_read_is_other(text: str) -> None:
    assert _detect(text) == OTHER


@pytest.mark.parametrize(("text", "before", "expected"), [
    ("ok", "es", "es"), ("102", "es", "es"), ("si", "en", "es"), ("👍", "es", "es"), ("102", None, "en"),
    ("mi papá tiene fever", "en", "es"), ("my dad has a fevr since tuesday", "es", "en"),
    ("is carcinoma in situ treated with cryo", "es", "en"), ("can I have a café au lait after", None, "en"),
    ("tengo 39º de fiebre y escalofríos", "en", "es"), ("I have а fеvеr", None, "en"),  # noqa: RUF001 (look-alikes)
])
def test_short_misspelled_mixed_and_latin_messages_stay_english_or_spanish(
        text: str, before: str | None, expected: str) -> None:
    assert _detect(text, before) == expected


def test_no_english_or_spanish_text_of_ours_is_other_and_nine_in_ten_others_are(content: Content) -> None:
    english_and_spanish = [text for texts in ours(content, DATA).values() for text in texts]
    assert len(english_and_spanish) > 11000
    assert [text for text in english_and_spanish if language(text) == OTHER] == []
    messages = others(DATA)
    assert len(messages) >= 60 and len({m["lang"] for m in messages}) >= 8
    assert sum(language(m["text"]) == OTHER for m in messages) >= 0.9 * len(messages)


@pytest.mark.parametrize(("code", "lang"), [("es", "es"), ("es-MX", "es"), ("es_419", "es"), ("en-US", "en"),
                                            ("fr", None), ("", None), (None, None)])
def test_a_telegram_language_code_names_the_chats_language_when_the_bot_speaks_it(
        code: str | None, lang: str | None) -> None:
    assert from_locale(code) == lang


def _detect(text: str, before: str | None = None) -> str:
    return detect(text, simplify(for_matching(text)), before)


def test_a_sentence_is_read_in_the_language_its_marker_words_say() -> None:
    assert sentence_language("my leg is swollen and hot") == "en"
    assert sentence_language("tengo la pierna hinchada y caliente") == "es"
    assert sentence_language("me he vuelto a hacer daño") == "both"  # Spanish "he", an English marker
    assert sentence_language("mi papa tiene fever and he is shaking") == "both"


def test_a_spanish_sentence_with_an_english_sign_word_is_read_both_ways() -> None:
    assert sentence_language("ahora está bien hot y hard, y mas grande que ayer") == "both"
    assert sentence_language("la herida está más grande que ayer") == "es"


@pytest.mark.parametrize(("text", "moved"), [
    ("me quiero hacer dano", "quiero hacerme dano"),
    ("me he vuelto a cortar", "he vuelto a cortarme"),
    ("dice que se va a tirar del puente", "dice que va a tirarse del puente"),
    ("mi jefe me va a matar", "mi jefe me va a matar"),  # not the verb's own person: not the speaker's act
    ("se me va a caer", "se me va a caer"),
])
def test_a_spanish_pronoun_is_read_after_its_infinitive(text: str, moved: str) -> None:
    assert enclitic(text) == moved
