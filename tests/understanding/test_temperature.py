"""The temperature parser, by example and by property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config import celsius_to_fahrenheit, fahrenheit_to_celsius
from bot.understanding.temperature import PLAUSIBLE_C, PLAUSIBLE_F, find_readings, words_to_digits


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("102", 102.0, "F"),
    ("101.5F", 101.5, "F"),
    ("38.9 C", 38.9, "C"),
    ("39°C", 39.0, "C"),
    ("temp of 103 degrees", 103.0, "F"),
    ("one hundred and two", 102.0, "F"),
    ("a hundred and one point five", 101.5, "F"),
    ("thirty nine point two", 39.2, "C"),
    ("102,5", 102.5, "F"),
    ("99.8 degrees fahrenheit", 99.8, "F"),
    ("38.3c", 38.3, "C"),
    ("fiebre de 38 con 5", 38.5, "C"),
    ("mi papá tiene 38 y 6 desde esta mañana", 38.6, "C"),
    ("tengo calentura de treinta y ocho y ocho", 38.8, "C"),
    ("101 y pico de fiebre", 101.1, "F"),
    ("101 and change", 101.1, "F"),
])
def test_forms_patients_write(text: str, value: float, unit: str) -> None:
    reading = find_readings(text)[0]
    assert (reading.value, reading.unit) == (value, unit)


def test_a_count_after_a_number_is_no_fraction_of_a_degree() -> None:
    assert [r.value for r in find_readings("hace 39 y 5 minutos")] == [39.0, 5.0]


@pytest.mark.parametrize("text", ["10", "200", "101 C", "39 F"])
def test_impossible_values_have_no_unit(text: str) -> None:
    assert find_readings(text)[0].unit is None


def test_fever_line_converts_exactly() -> None:
    assert round(fahrenheit_to_celsius(101.0), 1) == 38.3
    assert celsius_to_fahrenheit(38.4) > 101.0 > celsius_to_fahrenheit(38.3)


tenths = st.integers(min_value=int(PLAUSIBLE_F[0] * 10), max_value=int(PLAUSIBLE_F[1] * 10))
unit_forms = st.sampled_from(["F", "f", " F", "°F", " °F", " degrees", " deg F", " fahrenheit", ""])


@given(tenths=tenths, unit=unit_forms, prefix=st.sampled_from(["", "temp ", "it is ", "my temp was "]))
def test_any_fahrenheit_reading_round_trips(tenths: int, unit: str, prefix: str) -> None:
    value = tenths / 10
    (reading,) = find_readings(f"{prefix}{value:g}{unit}")
    assert reading.value == value
    assert reading.unit == "F"
    assert reading.fahrenheit == value


@given(tenths=st.integers(min_value=int(PLAUSIBLE_C[0] * 10), max_value=int(PLAUSIBLE_C[1] * 10)),
       unit=st.sampled_from(["C", "c", " C", "°C", "º C", " celsius", ""]),
       comma=st.booleans())
def test_any_celsius_reading_converts(tenths: int, unit: str, comma: bool) -> None:
    value = tenths / 10
    written = f"{value:g}".replace(".", ",") if comma else f"{value:g}"
    (reading,) = find_readings(f"temperature {written}{unit}")
    assert reading.unit == "C"
    assert reading.fahrenheit == pytest.approx(value * 9 / 5 + 32)


# The value as written, to a tenth: 43.03 is written "43", a body temperature. A lone 0 is no reading at all.
@given(st.floats(min_value=0, max_value=999, allow_nan=False).map(lambda v: round(v, 1)).filter(
    lambda v: v != 0
    and not (PLAUSIBLE_C[0] <= v <= PLAUSIBLE_C[1] or PLAUSIBLE_F[0] <= v <= PLAUSIBLE_F[1])))
def test_values_that_cannot_be_body_temperatures_are_never_guessed(value: float) -> None:
    written = f"{round(value, 1):g}"
    readings = find_readings(f"temp {written}")
    assert readings and all(r.unit is None for r in readings if r.value == float(written))


@given(st.integers(min_value=20, max_value=199))
def test_spelled_numbers_match_digits(number: int) -> None:
    ones = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    hundreds, rest = divmod(number, 100)
    words = "one hundred and " if hundreds else ""
    words += f"{tens[rest // 10]} {ones[rest % 10]}".strip() if rest >= 20 else (
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"][rest])
    assert words_to_digits(words.strip()) == str(number)


def test_a_bound_from_above_or_a_lone_zero_is_no_reading() -> None:
    assert [r.value for r in find_readings("38.1 under the tongue, still under 38.3 right?")] == [38.1]
    assert [r.value for r in find_readings("sigue por debajo de 38, marca 37,6")] == [37.6]
    assert [r.value for r in find_readings("it won't go under 39")] == [39.0]  # over 39, then
    assert [r.value for r in find_readings("no baja de 39, nunca por debajo de 38")] == [39.0, 38.0]
    assert find_readings("zero fever, oh and zero chills") == []


@pytest.mark.parametrize("text", ["40% of patients get a fever", "un 38 por ciento tuvo fiebre",
                                  "39 percent"])
def test_a_share_is_no_reading(text: str) -> None:
    assert find_readings(text) == []


def test_tenths_told_after_the_whole_degrees_in_words() -> None:
    assert words_to_digits("treinta y ocho cinco") == "38.5"
    assert words_to_digits("thirty eight five") == "38.5"
    assert words_to_digits("treinta y ocho y ocho") == "38.8"
    assert words_to_digits("treinta y nueve") == "39"
