"""Finds body temperatures in patient text: "102", "38.9 C", "39°C", "one hundred and two"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.config import celsius_to_fahrenheit

# Body temperatures a thermometer can show on a living person; outside them we ask again.
PLAUSIBLE_F = (93.0, 109.0)
PLAUSIBLE_C = (34.0, 43.0)

_UNITS = {
    "f": "F", "fahrenheit": "F", "farenheit": "F", "fahrenheight": "F", "faranheit": "F",
    "c": "C", "celsius": "C", "celcius": "C", "centigrade": "C", "celsuis": "C",
}
# A lone 0 is no reading: "zero fever", "oh and..." (read as digits) say none; nor is a share ("40% of
# patients get a fever").
_READING = re.compile(
    r"(?<![\d.,])(?!0(?![.,]\d))(?P<number>\d{1,3}(?:[.,]\d{1,2})?)(?![\d]|[.,]\d)"
    r"(?!\s*(?:%|percent|per cent|por ?ciento))"
    r"(?P<marker>\s*(?:°|º|˚|degrees?|degs?|deg)?)"
    r"\s*(?P<unit>fahrenheit|farenheit|fahrenheight|faranheit|celsius|celcius|celsuis|centigrade|f|c)?"
    r"(?![a-z])",
    re.IGNORECASE,
)
_SMALL = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    # Spanish: "treinta y nueve", "cuarenta".
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90, "treinta": 30, "cuarenta": 40}
_CONNECTORS = {"a", "and", "an", "n", "y"}  # "a hundred n three", "a hundred an one", "treinta y nueve"
_POINT_WORDS = ("point", "punto", "coma")
_SPANISH_HUNDRED = ("ciento", "cien")
_NUMBER_WORD = "|".join([*_SMALL, *_TENS, "hundred", *_SPANISH_HUNDRED, *_CONNECTORS, *_POINT_WORDS])
_WORD_RUN = re.compile(rf"\b(?:(?:{_NUMBER_WORD})[\s-]+)*(?:{'|'.join([*_SMALL, *_TENS])})\b",
                       re.IGNORECASE)
_POINT = re.compile(r"\b(\d{2,3})\s+(?:point|punto|coma)\s+(\d)\b", re.IGNORECASE)
_SPELLING = frozenset([*_SMALL, *_TENS, *_SPANISH_HUNDRED, *_POINT_WORDS])
_LETTER_RUN = re.compile(r"[a-z]+")
# "38 and a half", "38 y medio": a half written out after the whole degrees.
_HALF = re.compile(r"\b(\d{2,3})\s+(?:and a half|y medio|y media)\b", re.IGNORECASE)
# "38 con 5", "38 y 6", "101 and 4": tenths told after the whole degrees of a body temperature.
_NOT_A_COUNT = r"(?![.,]?\d)(?!\s*(?:min|hour|hora|day|dia|week|semana|month|mes|year|ano|time|vez|veces))"
_DEGREES = r"\b(3[4-9]|4[0-2]|9[3-9]|10[0-8])\s+"  # whole degrees of a body temperature, °C or °F
_TENTHS = re.compile(rf"{_DEGREES}(?:con|y|and)\s+(\d)\b{_NOT_A_COUNT}", re.IGNORECASE)
# "101 y pico", "101 and change": a little over the whole degrees.
_A_BIT_OVER = re.compile(rf"{_DEGREES}(?:y pico|y algo|and change|and a bit|something)\b", re.IGNORECASE)
# A reading and a half are written in digits: a text without one needs no search for them.
_DIGIT = re.compile(r"\d")
_UNDER = re.compile(r"\b(?:under|below|beneath|less than|lower than|menos de|por debajo de|debajo de)\s*$")
_DENIED_BOUND = re.compile(r"\b(?:not|no|never|nunca)\b|n'?t\b")  # "won't", "wont", "can't" go under
_BOUND_REACH = 30


@dataclass(frozen=True)
class Reading:
    """A number that may be a body temperature, with the unit written or inferred."""

    value: float
    unit: str | None
    explicit: bool
    decimal: bool
    start: int
    end: int

    @property
    def plausible(self) -> bool:
        """True when the value can be a body temperature in its unit."""
        return self.unit is not None

    @property
    def fahrenheit(self) -> float:
        """The reading in Fahrenheit (exact conversion)."""
        if self.unit == "C":
            return celsius_to_fahrenheit(self.value)
        return self.value

    def display(self) -> str:
        """The reading as the patient wrote it, with its unit: 101.8°F."""
        number = f"{self.value:g}"
        return f"{number}°{self.unit}" if self.unit else number


# The entities and triage both read a message's numbers: its spelled-out ones are rewritten once.
@lru_cache(maxsize=256)
def words_to_digits(text: str) -> str:
    """Rewrite spelled-out numbers as digits: "one hundred and two" -> "102"."""
    if _SPELLING.isdisjoint(_LETTER_RUN.findall(text.lower())):
        # Most messages spell out no number, and the full scan is slow; most have no digit either.
        return _fractions(text) if _DIGIT.search(text) else text
    text = _WORD_RUN.sub(lambda m: _spelled(m.group(0)), text)
    return _fractions(_POINT.sub(r"\1.\2", text))


def _fractions(text: str) -> str:
    """A fraction of a degree told in words after the digits: "38 y medio", "38 con 5", "101 y pico"."""
    return _A_BIT_OVER.sub(r"\1.1", _TENTHS.sub(r"\1.\2", _HALF.sub(r"\1.5", text)))


def _spelled(phrase: str) -> str:
    words = [w for w in re.split(r"[\s-]+", phrase.lower()) if w]
    told = [w for w in words if w not in _CONNECTORS]
    if _tenths_told_after(told):  # "treinta y ocho y ocho", "thirty eight five": 38.8 and 38.5, not 46 and 43
        return f"{_TENS[told[0]] + _SMALL[told[1]]}.{_SMALL[told[2]]}"
    point = next((w for w in words if w in _POINT_WORDS), None)
    if point is not None:
        index = words.index(point)
        whole, fraction = words[:index], words[index + 1:]
        digits = "".join(str(_SMALL[w]) for w in fraction if w in _SMALL and _SMALL[w] < 10)
        if digits and _value(whole) is not None:
            return f"{_value(whole)}.{digits}"
    value = _value(words)
    return phrase if value is None else str(value)


def _tenths_told_after(told: list[str]) -> bool:
    """Tens, a unit, then one more digit (the connectors left out): the last digit is the tenths."""
    return len(told) == 3 and told[0] in _TENS and all(0 < _SMALL.get(w, 10) < 10 for w in told[1:])


def _value(words: list[str]) -> int | None:
    digits = [w for w in words if w not in _CONNECTORS]
    if 2 <= len(digits) <= 3 and all(_SMALL.get(w, 10) < 10 for w in digits):
        return int("".join(str(_SMALL[w]) for w in digits))  # read digit by digit: "one oh two"
    total, seen = 0, False
    for word in words:
        if word in _SMALL:
            total += _SMALL[word]
        elif word in _TENS:
            total += _TENS[word]
        elif word == "hundred":
            total = max(total, 1) * 100
        elif word in _SPANISH_HUNDRED:
            total += 100  # "ciento uno y medio"
        elif word in _CONNECTORS:
            continue
        else:
            return None
        seen = True
    return total if seen else None


def find_readings(text: str) -> list[Reading]:
    """Every number in `text` that could be a temperature, in order, but a bound from above ("still under
    38.3", "por debajo de 38"): it says only what the temperature is not."""
    spelled = words_to_digits(text)
    if not _DIGIT.search(spelled):
        return []
    return [_reading(m) for m in _READING.finditer(spelled) if not _bound_above(spelled, m.start())]


def _bound_above(text: str, start: int) -> bool:
    """The number at `start` follows "under", "below", "menos de"..., and no denial ("won't go under 39"
    is over 39)."""
    before = text[max(0, start - _BOUND_REACH):start]
    return _UNDER.search(before) is not None and _DENIED_BOUND.search(before) is None


def _reading(match: re.Match[str]) -> Reading:
    raw = match["number"]
    value = float(raw.replace(",", "."))
    stated = _UNITS.get((match["unit"] or "").lower())
    explicit = bool(stated or match["marker"].strip())
    return Reading(
        value=value,
        unit=_unit(value, stated),
        explicit=explicit,
        decimal=("." in raw or "," in raw),
        start=match.start(),
        end=match.end(),
    )


def _unit(value: float, stated: str | None) -> str | None:
    """The unit the value is in, or None when it cannot be a body temperature."""
    in_c = PLAUSIBLE_C[0] <= value <= PLAUSIBLE_C[1]
    in_f = PLAUSIBLE_F[0] <= value <= PLAUSIBLE_F[1]
    if stated == "C":
        return "C" if in_c else None
    if stated == "F":
        return "F" if in_f else None
    if in_c:
        return "C"
    return "F" if in_f else None
