"""Red-flag triage of every message: emergency, urgent, check or none, with the flags found."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from bot.config import fahrenheit_to_celsius
from bot.content import catalog
from bot.content.lexicon import NOT_BODY
from bot.content.model import RedFlag, TriageLexicon
from bot.understanding.context import CalmContext
from bot.understanding.details import heavier, vague
from bot.understanding.language import enclitic, looks_spanish, sentence_language
from bot.understanding.modelcache import openings_kept
from bot.understanding.patterns import Cues, PatternIndex, matches
from bot.understanding.sentences import Sentence, said_now, sentences
from bot.understanding.temperature import Reading, find_readings, words_to_digits
from bot.understanding.text import simplify

_NEGATION_WINDOW_WORDS, _CLOSE_NEGATION_WORDS, _AFTER_WINDOW_WORDS = 7, 4, 12
_LATER_CLAUSES = 3  # how many of the clauses after a sign may say it is over ("..., then it cleared")
# A short clause after a sign that opens with a long-ago time is only that time ("..., decades ago", "but that
# was like 2 years ago"; not "like last time"), looked for in the next two clauses; one naming it later says
# more ("cree que estamos en 1985", "bone cryo was last month").
_DATING_WORDS, _DATING_CLAUSES = 5, 2
_DATING_OPENERS = re.compile(r"^(?:(?:that|this|it|eso|esto) (?:was|fue) |(?:way |all )?back (?=in )|all "
                             r"|(?:\d+|a few) (?=\w+ ago)"
                             r"|(?:like|about|around|almost|nearly|como|casi) (?=\d|an? |years|decades|hace)"
                             r")*")
_DIGIT = re.compile(r"\d")
_DATES_A_LIFE = re.compile(r"\b(?:(?:who|que|q|which) (?:\w+ )?(?:died|passed away|retired|closed|murio"
                           r"|fallecio|se jubilo|cerro)|(?:he|she) retired|se jubilo)(?: \w+){0,2} ?$"
                           r"|\b(?:like|same as|como|igual que) (?:before|when|antes|cuando)(?: \w+){0,4} ?$")
# "ni siquiera puedo respirar" is "no puedo respirar" said harder: read as "no", as every "no puedo…" sign is.
_NOT_EVEN = re.compile(r"\bni siquiera\b")
# "how will I know if it is infected", "y si no puedo respirar": words after "if" do not say it is happening.
_CONDITIONAL = re.compile(r"\b(?:if|whether|(?<!eso )(?<!ahora )(?<!como )si(?!,))(?: \w+){0,2} ?$")


@dataclass(frozen=True)
class Triage:
    """The verdict on one message."""

    level: str
    red_flags: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    reading: Reading | None = None
    needs_temperature: bool = False
    remeasure: bool = False
    below_line: bool = False
    # Signs named but not reported ("no fever", "what if it bleeds?"): the answer says when to call.
    mentioned: tuple[str, ...] = ()
    # Signs matched but in doubt (only a little of it, or the severity model reads calm): the checklist
    # is asked, not an alert.
    doubted: tuple[str, ...] = ()

    @property
    def alerts(self) -> bool:
        """True when the nurses must hear about it."""
        return self.level in catalog.ALERT_LEVELS


class Triager:
    """Applies the red-flag lexicon and the clinic's fever line to patient text."""

    def __init__(self, lexicon: TriageLexicon, fever_line_f: float, cache: Path | None = None) -> None:
        """`cache`: the content's folder, whose cache keeps the patterns' openings between starts."""
        self.lexicon = lexicon
        self.fever_line_f = fever_line_f
        self._fever_flag = next((f for f in lexicon.red_flags if f.needs_temperature), None)
        self._heavier_forms = [f for f in lexicon.red_flags if f.heavier_form_of]  # two of forty
        with openings_kept(cache):
            self._index(lexicon)
        # Cues are read once per sentence, however many signs it names.
        self._unrelated = lru_cache(maxsize=4096)(self._find_unrelated)
        self._asked_from = lru_cache(maxsize=4096)(self._find_first_question)
        self._reported = lru_cache(maxsize=4096)(self._find_report)

    def _index(self, lexicon: TriageLexicon) -> None:
        """The lexicon's patterns and cues, each indexed by where its matches may open."""
        self.context = CalmContext(lexicon.context, lexicon.calms_only)
        # Each list of cues is searched as one alternation, each cue only where it may open.
        self._negation_before = Cues(lexicon.negation_before)
        self._negation_after, self._unrelated_cues = Cues(lexicon.negation_after), Cues(lexicon.unrelated)
        self._hypothetical_cues = Cues(lexicon.hypothetical)
        self._unwell, self._report_markers = Cues(lexicon.feeling_unwell), Cues(lexicon.report_markers)
        self._lists, self._has_it = Cues(lexicon.list_of_signs), Cues(lexicon.has_it)
        self._over = Cues([*lexicon.negation_after, *lexicon.context.get("improving", ())])
        # A sentence is searched with the patterns of its language, or of both when it is mixed or
        # says too little to tell: half the patterns for most messages.
        spanish = {p.pattern for f in lexicon.red_flags for p in f.other_languages.get("es", ())}
        self._indexes = {
            language: PatternIndex([(f, p) for f in lexicon.red_flags for p in f.patterns if keep(p.pattern)])
            for language, keep in (("en", lambda p: p not in spanish), ("es", lambda p: p in spanish),
                                   ("both", lambda p: True))}

    def calm_context(self, text: str) -> str | None:
        """The calm kind in the message from its last turn on ("hot flush again", "102 outside"; not "the
        nurse said it was normal, but now it is hard"), or None."""
        return self._calm_kind(said_now(text))

    def says_over(self, text: str) -> bool:
        """"it's fine now", "ya se me pasó": the patient says what they reported is over (from the
        message's last turn on: "it stopped, but now it is bleeding again" is not over)."""
        return self._over.search(said_now(text)) is not None

    def unwell_words(self, text: str) -> str | None:
        """The words saying the patient is unwell now in no sign's words ("no me siento bien", "not feeling
        great"), from the message's last turn on and not asked about ("what if I feel unwell after?")."""
        now = said_now(text)
        found = self._unwell.search(now)
        return found[0] if found is not None and self._asked_from(now) > found.start() else None

    def calm(self, text: str) -> bool:
        """The lexicon's explicit word that nothing is wrong: a calm context, or "it's fine now"."""
        now = said_now(text)  # read once for both, on every calm message
        return self._calm_kind(now) is not None or self._over.search(now) is not None

    def _calm_kind(self, now: str) -> str | None:
        kind = self.context.kind(now, False)
        # The weather's or a room's words calm a temperature, not a message with none ("se perdió
        # volviendo del baño a su cuarto"); asked last, as most messages name neither.
        if kind is None and self.context.not_body(now) and (
                _DIGIT.search(now) is not None or self._about_temperature(now)):
            return NOT_BODY
        return kind

    def assess(self, text: str, corrected: str = "", awaiting_temperature: bool = False) -> Triage:
        """Triage one message; `corrected` is the same text with typos mended."""
        simple = _NOT_EVEN.sub("no", simplify(text))
        written = sentences(words_to_digits(simple))
        # Mended for typos in English only (on Spanish "puse" became "pus"), Spanish with its pronouns moved.
        other = enclitic(simple if looks_spanish(simple) else corrected or simple)
        mended = sentences(words_to_digits(other)) if other and other != simple else []
        listed: set[str] = set()  # named in a list of signs: asked about (the checklist), not alerted
        seen = self._scan(written, listed)
        # The mended form only adds what typos hid: what the patient wrote is trusted
        # when it says a sign is absent, since mending can turn a word into another.
        flags = {name: flag for name, (flag, counts) in seen.items() if counts}
        flags.update((name, flag) for name, (flag, counts)
                     in self._scan(mended, listed, seen.keys(), {s.text for s in written}).items() if counts)
        readings = [r for before, s in zip([None, *written], written, strict=False)
                    if _DIGIT.search(s.text) for r in self._readings_in(s, awaiting_temperature, before)]
        mentioned = tuple(flag.label for name, (flag, _) in seen.items() if name not in flags.keys() | listed)
        flags.update((flag.name, flag) for flag in heavier(flags, self._heavier_forms, simple))
        asked = (*(name for name, flag in flags.items() if vague(flag, simple)), *sorted(listed - set(flags)))
        for name in asked:
            flags.pop(name, None)
        return replace(self._verdict(flags, readings, mentioned), doubted=asked)

    def _scan(self, sentences: list[Sentence], listed: set[str], skip: Iterable[str] = (),
              scanned: set[str] | None = None) -> dict[str, tuple[RedFlag, bool]]:
        """Each flag mentioned (but those in `skip`), and whether any mention counts as a report; those
        named in a list of signs are added to `listed`.

        `scanned`: sentences read already, each flag they mention in `skip`: they hold nothing new, as
        what matches a sentence depends on its text alone.
        """
        found: dict[str, tuple[RedFlag, bool]] = {}
        skipped = set(skip)
        for index, sentence in enumerate(sentences):
            if scanned and sentence.text in scanned:
                continue  # a third of mended sentences: as written, nothing mended
            following = sentences[index + 1].text if index + 1 < len(sentences) else ""
            reported = self._scan_sentence(sentence, following, found, skipped)
            if len(set(reported.values())) > 1 and self._listed(sentence.text, min(reported.values()),
                                                  sentences[index - 1].text if index else ""):
                found.update((name, (found[name][0], False)) for name in reported)
                listed.update(reported)
        return found

    def _scan_sentence(self, sentence: Sentence, following: str, found: dict[str, tuple[RedFlag, bool]],
                       skipped: set[str]) -> dict[str, int]:
        """Adds to `found` each flag the sentence mentions; where each one it reports is."""
        reported: dict[str, int] = {}
        language = self._indexes[sentence_language(sentence.text)]
        for flag, pattern, starts in language.candidates(sentence.text):
            if flag.name in skipped or found.get(flag.name, (flag, False))[1]:
                continue  # skipped, or already reported: another mention changes nothing
            for match in matches(pattern, sentence.text, starts):
                here = self._counts(sentence, match.start(), match.end(), flag, following) and (
                    not self._calm(sentence, match.span(), following, flag))
                found[flag.name] = (flag, here)  # it did not count before
                if here:
                    reported[flag.name] = match.start()
                    break
        return reported

    def _listed(self, text: str, first_sign: int, before: str) -> bool:
        """A list of signs copied or asked for, named before them, with nobody in it said to have them."""
        named = self._lists.search(text[:first_sign]) or self._lists.search(before)
        return named is not None and not self._has_it.search(text)

    def _calm(self, sentence: Sentence, sign: tuple[int, int], following: str, flag: RedFlag) -> bool:
        """The context layer, asked last (most matches settle by the cues first): the sign's turn is calm
        (getting better, not for a sign that counts when over), or the next sentence says a nurse saw it."""
        over = not flag.even_if_over
        return self.context.calms(sentence, sign, flag.needs_temperature, over, following, flag.name) or (
            bool(following) and self.context.seen_already(following))

    def _counts(self, sentence: Sentence, start: int, end: int, flag: RedFlag | None = None,
                following: str = "") -> bool:
        """A sign (or a reading, with no flag) counts unless negated, resolved, old, or asked about as a
        possibility; a flag may count even when said to be over, or when asked about. Asked about, it
        still counts when the next sentence says it is happening ("is it normal to vomit black? it
        happened twice now")."""
        # "¿Fiebre? No.": a sign asked alone and answered no in the next sentence is denied.
        return not (
            self._old_news(sentence, start, end) or sentence.answered_no_next(following)
            or self._negated(sentence, start, end, undone_after=not (flag and flag.even_if_asked))
            or (not (flag and flag.even_if_over) and self._resolved(sentence, end))
            or (not (flag and flag.even_if_asked) and self._hypothetical(sentence, start)
                and not self._reported(following))
        )

    def _old_news(self, sentence: Sentence, start: int, end: int) -> bool:
        """Something else or long ago is told up to the sign's clause, and no turn ("and now", "pero
        ahora") comes between: "my brother had sepsis years ago and now my wound is oozing pus" is news."""
        told, contrast = self._unrelated(sentence.text), sentence.contrast
        if (told == math.inf and not contrast) or sentence.back_again(end) or sentence.now_after(end):
            return False  # no cue of something else or long ago anywhere in it (most sentences), or back
        return (told <= sentence.clause_end(end) and not sentence.turned(told, start)) or self._dated_after(
            sentence, end)

    def _dated_after(self, sentence: Sentence, end: int) -> bool:
        """A short clause or contrasting sentence after the sign's that is only a long-ago time dates it ("my
        uncle threw up blood once, decades ago", "..., pero eso fue hace tiempo", "..., but that was like 2
        years ago"); a longer one tells more ("asking for his mum who died years ago") and dates nothing."""
        later = itertools.chain(sentence.later_clauses(end), [sentence.contrast])  # lazily: a list of numbers
        after = filter(str.strip, (_DATING_OPENERS.sub("", clause) for clause in later))
        return any(len(clause.split()) <= _DATING_WORDS and self._unrelated_cues.match(clause) is not None
                   for clause in itertools.islice(after, _DATING_CLAUSES))

    def _negated(self, sentence: Sentence, start: int, end: int, undone_after: bool = True) -> bool:
        """A negation just before the sign, or (unless `undone_after` is False: "pa que sigo si ya no
        sirvo" is no "ya no" undoing the thought) words right after it saying it is not there."""
        before_text = sentence.text[sentence.clause_start(start):start]
        # A sign that counts however it is said is denied only close by: "no quiero suicidarme", not
        # "no es broma: pienso en suicidarme".
        window = _NEGATION_WINDOW_WORDS if undone_after else _CLOSE_NEGATION_WORDS
        before = " ".join(before_text.split()[-window:])
        negated = bool(self._negation_before.search(before))
        if negated or not undone_after:
            return negated
        # The words right after a sign say whether it is over: a bounded window keeps a long clause
        # (a pasted list of numbers) from costing its length for every match in it.
        after = " ".join(sentence.text[end:sentence.clause_end(end)].split()[:_AFTER_WINDOW_WORDS])
        over = bool(self._negation_after.search(after)) and not sentence.started_again
        return over or sentence.answered_no(end)

    def _resolved(self, sentence: Sentence, end: int) -> bool:
        """"..., cleared the same day" or "... but it has been clear since": over, not now."""
        cues = self._negation_after
        later = itertools.islice(sentence.later_clauses(end), _LATER_CLAUSES)
        return any(cues.match(clause) for clause in later) or bool(
            cues.search(sentence.contrast))

    def _hypothetical(self, sentence: Sentence, start: int) -> bool:
        """Asked about as a possibility before the sign ("is that expected"), with no turn between ("the
        nurse said pink is expected but now there are clots") and nothing saying it is happening now."""
        asked = self._asked_from(sentence.with_contrast)  # "I thought I'd fainted but I'd just dozed off"
        return asked <= start and not sentence.turned(asked, start) and not self._reported(sentence.text)

    def _find_unrelated(self, text: str) -> float:
        """Where the first cue of something else or long ago ends (inf: none), found once a sentence; a death
        told in passing ("her mum, who died 30 years ago") or a likeness ("like before...") dates no sign."""
        first = self._unrelated_cues.search(text)  # the leftmost match ends first: the next start after it
        if first is not None and _DATES_A_LIFE.search(text, 0, first.start()):
            first = min((m for m in self._unrelated_cues.finditer(text)
                         if not _DATES_A_LIFE.search(text, 0, m.start())), key=re.Match.start, default=None)
        return first.end() if first else float("inf")

    def _find_first_question(self, text: str) -> float:
        """Where the first cue of a question about what could happen starts (inf: none)."""
        first = self._hypothetical_cues.search(text)  # the leftmost cue of any kind
        return first.start() if first else float("inf")

    def _find_report(self, text: str) -> bool:
        """Words saying it is happening now, other than right after an "if"."""
        return any(not _CONDITIONAL.search(text[:m.start()]) for m in self._report_markers.finditer(text))

    def _readings_in(self, sentence: Sentence, awaiting: bool, before: Sentence | None) -> Iterator[Reading]:
        if self.context.seen_already(sentence.text):
            return  # "38.6 on Tuesday, the nurse saw me and started antibiotics"
        for reading in find_readings(sentence.text):
            if self._about_something_else(before, sentence, reading.start) or not self._counts(
                    sentence, reading.start, reading.end):
                continue  # "had 39 last year", "was 102 but it came down", "what if its 102", "40 outside"
            if reading.unit is not None and (reading.explicit or reading.decimal or awaiting
                                             or self._about_temperature(sentence.text)):
                yield reading
            elif reading.explicit or awaiting or self._named_just_before(sentence, reading):
                yield reading  # clearly meant as a temperature, but impossible: ask again
            elif reading.start == 0 and sentence.text[reading.end:].strip() and reading.unit is not None \
                    and self._over_the_line(reading):
                yield reading  # "a hundred and two and I feel awful": a fever figure opening a sentence

    def _about_something_else(self, before: Sentence | None, sentence: Sentence, position: int) -> bool:
        """"how hot can the bath be? mine is about 40": a bath, the weather, an oven, in the reading's turn
        or just before it ("hace un calor de muerte, pero adentro me marca 38,9" is the body's)."""
        turn = sentence.turn_of(position)
        return self.context.not_body(turn) or (
            before is not None and turn == sentence.text and self.context.not_body(f"{before.text} {turn}"))

    def _about_temperature(self, text: str) -> bool:
        """"fevr 39 chills": a sign of fever in the sentence says its number is a temperature."""
        fever_signs = self._fever_flag.patterns if self._fever_flag else ()
        return any(p.search(text) for p in (*self.lexicon.temperature_words, *fever_signs))

    def _named_just_before(self, sentence: Sentence, reading: Reading) -> bool:
        before = " ".join(sentence.text[:reading.start].split()[-3:])
        return any(p.search(before) for p in self.lexicon.temperature_words)

    def _over_the_line(self, reading: Reading) -> bool:
        """Over the fever line in Fahrenheit; in Celsius, at or over the line rounded down to a tenth,
        so that no reading over the Fahrenheit line slips through (101°F is 38.33°C: 38.3 counts)."""
        if reading.unit == "C":
            return reading.value >= math.floor(round(fahrenheit_to_celsius(self.fever_line_f) * 10, 6)) / 10
        return reading.fahrenheit > self.fever_line_f

    def _verdict(self, flags: dict[str, RedFlag], readings: list[Reading],
                 mentioned: tuple[str, ...]) -> Triage:
        if not flags and not readings:
            return Triage("none", mentioned=mentioned)  # what the rest comes to, for most messages
        fever = self._fever_flag
        found = [f for f in flags.values() if not f.needs_temperature]
        high = [r for r in readings if r.unit and self._over_the_line(r)]
        impossible = [r for r in readings if r.unit is None]
        reading = max(high, key=lambda r: r.fahrenheit, default=None) or next(
            iter(impossible or readings), None)
        if high and fever is not None:
            found.append(fever)
        fever_word = fever is not None and fever.name in flags
        needs_temperature = fever_word and not readings
        remeasure = bool(impossible) and not high
        below_line = bool(readings) and not high and not impossible
        level = max((f.level for f in found), key=catalog.rank, default="none")
        if catalog.rank(level) < catalog.rank("check") and (needs_temperature or remeasure):
            level = "check"
        found.sort(key=lambda f: -catalog.rank(f.level))
        return Triage(level=level, red_flags=tuple(f.name for f in found),
                      labels=tuple(f.label for f in found), reading=reading,
                      needs_temperature=needs_temperature and not found, remeasure=remeasure and not found,
                      below_line=below_line and not found, mentioned=mentioned)
