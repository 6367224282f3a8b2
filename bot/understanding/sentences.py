"""A message cut into sentences and clauses, and the turns in them ("but now"): what triage reads a
sign's context in."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from bot.understanding.text import simplify

# A full stop, after a digit or not (not "38.5"); the words after one word boundary, not one per word,
# which is how re tries them fastest. "also", "besides", "except", "the only thing" open what is told on its
# own: "none of those, except I can't keep anything down" denies nothing after "except".
_SENTENCE_BREAK = re.compile(
    r"[.](?!\d)|[!?;\n()]+"
    r"|\b(?:also|plus|ademas|tambien|besides|aparte|except|excepto|(?:the )?only thing|lo unico|solo que"
    r"|(?P<contrast>but|although|though|however|aunque))\b"
)
# English and Spanish: "and", "so", "then"; "y", "pero", "asi que", "luego", "entonces". Spanish "pero"
# joins more than it contrasts ("tiemblo de frío pero estoy ardiendo"): a clause, not a sentence.
# One word boundary before the words, not one per word: re then tries far fewer branches at each letter.
_CLAUSE_BREAK = re.compile(r"[,:]|\b(?:and|so|then|y|pero|asi que|luego|entonces)\b")
# Words that may open a clause before it says how things turned out ("..., and it cleared").
_CLAUSE_OPENERS = re.compile(r"^(?:[\s,]|and |which |that |it |its |but |then |y |pero |que |luego )*")
# "It was normal, but now it is spreading", "had sepsis years ago and now…": a calm context or old news
# before such a turn does not calm what follows.
# A comma or colon before "now" turns as "but now" does; "this is new", "pero oye", "ya no es...", "and I
# just", the patient's own reading ("the leaflet says 38.3 and I'm at 39.1") turn as well. A hedge ends at
# its comma ("no sé si es normal, mi marido no sabe quién soy", "not sure if it's urgent, I'm vomiting
# blood"): what follows it is told.
_TURN = re.compile(r"\b(?:normal(?:es)?|urgente?|serious|seri[oa]|grave)(?: or not| o no)?, "
                   r"|(?:\b(?:but|and|pero|y|only|solo que|aunque|then)|[,:]) "
                   r"(?:now|right now|today|tonight|this (?:time|morning|evening)|this is new|its new"
                   r"|this feels (?:exactly |just )?like|it started (?:just |exactly )?like this"
                   r"|ahorita|ahora|hoy|justo hoy|esta (?:vez|manana|noche)|de repente|esto es nuevo|ya no es"
                   r"|oye|mira"
                   r"|(?:pues )?aqui esta|ha vuelto|volvio|has come back|came back|its back|again"
                   r"|(?:i |he |she |we )just|(?:me |le |se )?(?:acabo|acaba|acabamos) de"
                   r"|then (?:i )?(?:got|started|developed|noticed|felt)"
                   r"|this (?:isnt|is not|aint) (?:one|1|it|that)"
                   r"|(?:(?:im|i am|hes|shes) at|mine(?: is| s)?|yo(?: tengo| estoy en| marco)?"
                   r"|(?:el|la) mi[oa](?: es| esta en| marca| dice)?) (?=\d))\b"
                   r"|\b(?:but|pero)\b(?! (?:tampoco|neither|nor|ni)\b)")
# "..., crushing pressure right now", "dolor en el pecho ahora mismo": said to be now, right after the sign.
_NOW_AFTER = re.compile(r" (?:\w+ ){0,2}(?:right now|just now|ahora mismo|en este momento|as we speak)\b")
# "..., and now again", "y ahora otra vez": after a turn, the sign told before it is back.
_BACK = re.compile(r"^\W*(?:\w+ ){0,3}(?:again|otra vez|de nuevo|ha vuelto|volvio|back)\b")
# Someone else's sign, or one in a show, that the patient says they have too, now; or an old one back.
_MINE_TOO = re.compile(
    r"\b(?:and|y|pero) (?:so )?(?:mine|los mios|las mias|el mio|la mia) (?:are|is|estan|esta)\b"
    r"(?! (?:fine|ok|okay|normal|white|blancos|blancas|bien|clear|good|not|no)\b)"
    r"|\b(?:asi|igual) (?:estoy|esta|me siento|se siente) (?:yo|el|ella) (?:ahora|now|hoy|today)"
    r"|\b(?:and|y) (?:i|ive|yo) (?:\w+ )?(?:have|got|tengo) (?:it|one|that|the same|lo mismo|1|una)"
    r" (?:now|ahora|too|tambien)\b"
    # An old story's sign happening again now.
    r"|\b(?:its|it is|shes|hes|she is|he is|esta|me esta|le esta|lo esta) (?:\w+ )?(?:happening|doing it"
    r"|pasando|haciendo) (?:\w+ )?(?:again|otra vez|de nuevo)\b|\bfeels? (?:exactly |just )?the same now\b")
# A sign answered no, as a list of signs is ("fever no, breathing no", "chest pain: no", "sangrado abundante
# no"): one word may tell which.
_ANSWERED_NO = re.compile(r"\W*(?:\w+ )?(?:no|nope|nah|none|negativ[eo])\W*$")
# The next sentence answers a sign asked alone ("¿Fiebre? No.", "confused? no, sharp as ever").
_NO_NEXT = re.compile(r"\W*(?:no|nope|nah|none|tampoco|nada|negativ[eo])\b(?:\W*$|,)")
_ASKED_ALONE_WORDS = 4
_STARTED_AGAIN = re.compile(r"(?:it |its |now )?(?:started|came back|is back|began|volvio|empezo|comenzo)"
                            r"(?: \w+)? (?:again|otra vez|de nuevo)\b")
_YES = re.compile(r"(yes|yeah|yep|si|claro)\b\W*")


@dataclass(frozen=True)
class Sentence:
    """One sentence, its clauses and turns found once."""

    text: str
    # The next sentence when "but", "though" or "however" joins them: it may say this one is over.
    contrast: str = ""
    asked: bool = False  # it ended with a question mark

    @cached_property
    def _breaks(self) -> tuple[list[int], list[int]]:
        """Where each clause break starts and ends, found once: a sentence may hold many signs."""
        found = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(self.text)]
        return [start for start, _ in found], [end for _, end in found]

    def clause_start(self, position: int) -> int:
        ends = self._breaks[1]
        before = bisect.bisect_right(ends, position)
        return ends[before - 1] if before else 0

    def clause_end(self, position: int) -> int:
        starts = self._breaks[0]
        after = bisect.bisect_left(starts, position)
        return starts[after] if after < len(starts) else len(self.text)

    @cached_property
    def _turns(self) -> list[tuple[int, int]]:
        """Where each turn ("but now", "y ahora") starts and ends, found once: triage asks about them for
        every sign in the sentence."""
        return [(m.start(), m.end()) for m in _TURN.finditer(self.text)]

    def turned(self, since: float, position: int) -> bool:
        """A turn between `since` and `position`."""
        return any(since <= start and end <= position for start, end in self._turns)

    def back_again(self, position: int) -> bool:
        """A turn after `position` says the sign there is back ("had it as a kid, and now again"), or the
        patient says they have it too, now ("saw a video about yellow eyes and mine are yellow")."""
        return self._mine_too or any(
            start >= position and _BACK.search(self.text[end:]) for start, end in self._turns)

    @cached_property
    def _mine_too(self) -> bool:
        """Found once: triage asks for every sign in the sentence."""
        return _MINE_TOO.search(self.text) is not None

    def now_after(self, position: int) -> bool:
        """The words right after the sign at `position` say it is now ("crushing pressure right now")."""
        return _NOW_AFTER.match(self.text, position) is not None

    @property
    def started_again(self) -> bool:
        """The contrasting sentence after it says the sign is back ("stopped earlier but started again")."""
        return _STARTED_AGAIN.match(self.contrast) is not None

    @property
    def with_contrast(self) -> str:
        """The sentence and the contrasting one after it, joined again by "but"."""
        return f"{self.text} but {self.contrast}" if self.contrast else self.text

    def answered_no(self, position: int) -> bool:
        """The sign ending at `position` is answered no: its clause (or, after a colon, the next) is only
        "no" ("fever no,", "chest pain: no"). Not when the sentence asks: "¿tiene pus no?" asks for a yes."""
        end = self.clause_end(position)
        if self.text[end:end + 1] == ":" and not self.text[position:end].strip():
            end = self.clause_end(end + 1)
        asks = self.asked and end == len(self.text)
        return not asks and _ANSWERED_NO.match(self.text, position, end) is not None

    def answered_no_next(self, following: str) -> bool:
        """This sentence asks a sign alone and the next one answers no ("¿Fiebre? No. ¿Pus? Tampoco.")."""
        return _asks_alone(self.text, self.asked) and _NO_NEXT.match(following) is not None

    def turn_of(self, position: int) -> str:
        """The sentence from the turn before `position` on ("..., but now ..."); all of it without one. A
        calm context before a turn ("it was normal, but now...") says nothing of what follows it; one
        after it ("had it on day 1, today it's back to normal") is the newer news, of what came before too."""
        if not self._turns:
            return self.text
        starts = [start for start, _ in self._turns]
        index = bisect.bisect_right(starts, position)
        return self.text[starts[index - 1] if index else 0:]

    def later_clauses(self, position: int) -> Iterator[str]:
        """The clauses after the one at `position`, each without its opening words."""
        start = self.clause_end(position)
        while start < len(self.text):
            end = self.clause_end(start + 1)
            yield _CLAUSE_OPENERS.sub("", self.text[start:end])
            start = end


def after_last_turn(text: str) -> str:
    """What `text` says from its last turn on ("the nurse said it was normal, but now it is hard and hot"):
    what is happening now, or all of it without a turn."""
    starts = [turn.start() for turn in _TURN.finditer(text)]
    return text[starts[-1]:] if starts else text


def said_now(text: str) -> str:
    """The message, folded, from its last turn on: what it says is happening now."""
    return after_last_turn(simplify(text))


def sentences(text: str) -> list[Sentence]:
    """`text`'s sentences, each with the next one when a contrast word opens it."""
    # Each sentence, whether a contrast word opened it, and whether it asked.
    parts: list[tuple[str, bool, bool]] = []
    start, contrast = 0, False
    for match in _SENTENCE_BREAK.finditer(text):
        parts.append((text[start:match.start()], contrast, "?" in match[0]))
        start, contrast = match.end(), match["contrast"] is not None
    parts.append((text[start:], contrast, False))
    kept = _answered_yes([(" ".join(part.split()), opened, asked)
                          for part, opened, asked in parts if part.strip()])
    return [
        Sentence(part, kept[i + 1][0] if i + 1 < len(kept) and kept[i + 1][1] else "", asked)
        for i, (part, _, asked) in enumerate(kept)
    ]


def _answered_yes(kept: list[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool]]:
    """A sign asked alone and answered yes in the next sentence is told as one: "chest? yes, tight and
    squeezing" is "chest yes tight and squeezing"."""
    joined: list[tuple[str, bool, bool]] = []
    for text, opened, asked in kept:
        before = joined[-1] if joined else None
        if before and _asks_alone(before[0], before[2]) and _YES.match(text):
            joined[-1] = (before[0] + " " + _YES.sub(r"\1 ", text, count=1), before[1], asked)
        else:
            joined.append((text, opened, asked))
    return joined


def _asks_alone(text: str, asked: bool) -> bool:
    """A question of a few words only: a sign asked alone ("¿fiebre?", "chest pain?"), for the next sentence
    to answer."""
    return asked and len(text.split()) <= _ASKED_ALONE_WORDS
