"""`python -m bot check`: reading grade, Telegram limits, and the exit status."""

from __future__ import annotations

from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.content.check import check, main


def test_shipped_content_passes() -> None:
    assert check(PROJECT_ROOT) == []


def _add_response(root: Path, text: str) -> int:
    path = root / "responses" / "conversation.yml"
    path.write_text(path.read_text() + f"  utter_extra:\n    - text: >-\n        {text}\n")
    return len(path.read_text().splitlines()) - 1


def test_hard_reading_level_is_reported_with_line(content_copy: Path) -> None:
    line = _add_response(content_copy, (
        "Percutaneous cryoablation necessitates multidisciplinary consideration of "
        "contraindications, comorbidities, and anticoagulation management preoperatively."))
    problems = [str(p) for p in check(content_copy)]
    assert any(p.startswith(f"responses/conversation.yml:{line}: utter_extra: reading grade")
               for p in problems)


def test_message_over_telegram_limit(content_copy: Path) -> None:
    _add_response(content_copy, "Cold. " * 800)
    assert any("over Telegram's 4096" in str(p) for p in check(content_copy))


def test_main_exit_status_and_output(content_copy: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(content_copy) == 0
    (content_copy / "seeds" / "sources.yml").write_text("sources: [\n")
    assert main(content_copy) == 1
    out = capsys.readouterr().out
    assert "seeds/sources.yml:" in out and "YAML syntax" in out


def _add_spanish_response(root: Path, text: str, lang: str = "es") -> int:
    path = root / "responses" / "conversation.yml"
    path.write_text(path.read_text() + (
        f"  utter_extra:\n    - text: >-\n        {text}\n      condition:\n        - type: slot\n"
        f"          name: lang\n          value: {lang}\n      metadata:\n        no_facts: a test\n"
        "    - text: Call your team if you have a fever.\n      metadata:\n        no_facts: a test\n"))
    return len(path.read_text().splitlines()) - 10


def test_hard_spanish_is_measured_with_a_spanish_formula(content_copy: Path) -> None:
    line = _add_spanish_response(content_copy, (
        "La crioablación percutánea necesita consideración multidisciplinaria de contraindicaciones, "
        "comorbilidades y administración preoperatoria de anticoagulantes."))
    problems = [str(p) for p in check(content_copy)]
    assert any(p.startswith(f"responses/conversation.yml:{line}: utter_extra: Fernández-Huerta reading ease")
               for p in problems), problems


def test_plain_spanish_passes(content_copy: Path) -> None:
    _add_spanish_response(content_copy, "Llame a su equipo si tiene fiebre. Es fácil.")
    assert check(content_copy) == []


def test_an_unknown_language_is_refused(content_copy: Path) -> None:
    _add_spanish_response(content_copy, "Rufen Sie an.", lang="de")
    assert any("unknown lang 'de'" in str(p) for p in check(content_copy))


def test_patient_line_without_spanish_twin_is_reported_with_line(content_copy: Path) -> None:
    line = _add_response(content_copy, "Call your care team if you have a fever.")
    problems = [str(p) for p in check(content_copy)]
    assert (f"responses/conversation.yml:{line}: utter_extra: no Spanish twin for the variant at line "
            f"{line}; add one with a `lang: es` condition before it") in problems


def test_removing_a_shipped_spanish_twin_is_caught(content_copy: Path) -> None:
    path = content_copy / "responses" / "knowledge.yml"
    lines = path.read_text().splitlines(keepends=True)
    # Turn the Spanish kidney twin into a second English kidney variant: the English one loses its twin.
    kidney = [i for i, text in enumerate(lines) if text.strip() == "value: kidney"]
    spanish_lang = next(i for i in range(kidney[0], len(lines)) if lines[i].strip() == "value: es")
    del lines[spanish_lang - 2:spanish_lang + 1]
    path.write_text("".join(lines))
    problems = [str(p) for p in check(content_copy)]
    assert any("utter_conditions_treated: no Spanish twin for the variant at line" in p
               and p.startswith("responses/knowledge.yml:") for p in problems), problems


def test_spanish_line_without_english_is_reported(content_copy: Path) -> None:
    path = content_copy / "responses" / "conversation.yml"
    path.write_text(path.read_text() + (
        "  utter_extra:\n    - text: Llame a su equipo si tiene fiebre.\n      condition:\n"
        "        - type: slot\n          name: site\n          value: skin\n        - type: slot\n"
        "          name: lang\n          value: es\n      metadata:\n        no_facts: a test\n"
        "    - text: Llame a su equipo.\n      condition:\n        - type: slot\n          name: lang\n"
        "          value: es\n      metadata:\n        no_facts: a test\n"
        "    - text: Call your team.\n      metadata:\n        no_facts: a test\n"))
    problems = [str(p) for p in check(content_copy)]
    assert any("utter_extra: no English variant for the Spanish one at line" in p for p in problems), problems
    assert not any("utter_extra: no Spanish twin" in p for p in problems)


def test_nurse_only_lines_need_no_twin(content_copy: Path) -> None:
    assert not any("utter_alert_nurse" in str(p) or "utter_digest" in str(p) for p in check(content_copy))
