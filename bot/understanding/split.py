"""A message into its questions: at sentence ends and line breaks, and at "and", "also" or a comma
when a new question starts there. What is told before a question ("my mum is on chemo. can they add
cryo?") stays with it: it is the question's context, not a question."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from bot.understanding.text import simplify, tokens

logger = logging.getLogger(__name__)

# Words a question starts with; a joint ("and", "also", a comma) before one of them starts a new question.
_QUESTION_START = (
    r"(?:(?:what|whats|how|hows|when|where|why|who|which|will|would|can|cant|could|should|shall"
    r"|is|isnt|are|am|do|does|did|was|have|has|may|might|any|must|need"
    # as typed on phones
    r"|wat|wats|wht|wut|wot|waht|hw|hwo|wen|whn|wer|wher|r|cn|wil|wud|cud|shud|shld|doe?s"
    # contracted, the apostrophe dropped ("whos it for", "wheres it done")
    r"|whos|wheres|whens|whys|howd"
    # in Spanish, with or without accents, "q" as typed on phones
    r"|qu[eé]|q|cu[aá]nt[oa]s?|cu[aá]ndo|c[oó]mo|d[oó]nde|por\s?qu[eé]|cu[aá]l(?:es)?|qui[eé]n(?:es)?"
    # and shortened as texted ("dnd lo hacen", "xq duele", "cdo puedo")
    r"|dnd|xq|pq|porq|cdo"
    r"|se puede)\b|¿)"
)
# A Spanish yes/no question opens with its verb ("y duele?", "y hay…"), as a statement does: only
# after a joint is it taken for a new question.
_SPANISH_VERB = (r"(?:hay|es|son|puedo|puede|pueden|tengo que|debo|necesito|voy|va a|van a|me van|me va|duele"
                 r"|sirve|funciona|(?:lo )?cubre|lo paga|deja|queda|me ponen|me dan|me duermen|le va)\b")
# A count told in words opening a sentence ("first, … ? second, …", "¿…? Segundo, ¿…?"): it goes with
# the sentence end before it, since it tells nothing.
_COUNT = r"(?:(?:first|second|third)(?:ly)?|lastly|finally|primero|segundo|tercero|por [uú]ltimo)\s*[,:]\s"
# Sentence ends (a full stop only before a space or the end, so "38.5" stays whole, and not after a
# list's number opening a line, "2. duele"), line breaks, semicolons, a colon, a dash or a slash between
# words ("two questions: …", "… - is it …", "risks / recovery"), a list's "2)" (not an age, "mum (79)")
# or "Q2", a count, a slash typed before a question ("how long does it take/does it hurt"; not "and/or").
_SENTENCE_END = (rf"[?!;\n]+(?:\s*{_COUNT})?|\.(?<!^\d\.)(?<!^\d\d\.)(?=\s|$)(?:\s*{_COUNT})?"
                 r"|:\s|\s[-\u2013\u2014/]+\s|\s(?:\(?[1-9]\)|q\d{1,2}[.):]?)\s"
                 rf"|(?<=[^\W\d_])/(?={_QUESTION_START})")
# Words that join two questions, in English and Spanish ("y", "también", "además", "pero").
_JOINT = r"and|n|an|&|\+|also|plus|as well as|but|y|pero|tambi[eé]n|adem[aá]s"
# A part asks when it ends with "?" or opens (after a joint or a greeting) with a question word or a
# request to be told ("tell me about recovery.", "i would like to know the cost").
_REQUEST = (r"(?:tell me|explain|describe|i (?:want|would like|need) to know|i\W?d like to know|i wonder"
            r"|i was wondering|i\W?m wondering|any (?:info|information|advice|tips)"
            r"|i wanted to (?:know|ask)"
            r"|(?:some |more |any )?(?:info|information|details)\s+(?:on|about|regarding)"
            r"|(?:wondering|curious|asking)\s+about|informaci[oó]n\s+(?:sobre|de)"
            r"|(?:quiero|quisiera|quer[ií]a|necesito|me gustar[ií]a) (?:saber|preguntar)"
            r"|expl[ií]ca(?:me|nos)?|d[ií]ga(?:me|nos)"
            r"|me (?:podr[ií]as?|podr[ií]an|puedes?|pueden) decir)\b")
# A joint that starts a new question: ", and also what…", "and how…", "also can…", ", is…", "and if…",
# ", quiero saber…", ", whether…", "as well as how…".
_BOUNDARY = re.compile(rf"{_SENTENCE_END}"
                       rf"|(?:,\s*|\s+)(?:{_JOINT})\s+(?:(?:also|tambi[eé]n|adem[aá]s)\W+)?"
                       rf"(?={_QUESTION_START}|{_SPANISH_VERB}|(?:if|whether|si)\b)"
                       rf"|,\s*(?={_QUESTION_START}|{_REQUEST}|whether\b)", re.IGNORECASE | re.MULTILINE)
# A follow-up opens with a joint or "what about", and says little more: a fragment of a question.
# In English and in Spanish (accents are gone by then): "y para el higado", "y despues".
# "que pasa con…" is "what about…" only after a joint ("¿y qué pasa con el hígado?"); alone it asks what
# happens to something ("¿qué pasa con el tumor después?").
_ABOUT = r"(?:(?:what|wat|wht|how) (?:about|bout)|que tal)\b\s*"
_THE = (r"(?:(?:for|with|in|on|of|para|pa|con|en|de|del)\b\s*)?"
        r"(?:(?:the|my|a|your|el|la|los|las|mi|mis)\b\s*)?")
# "even showering?", "¿ni siquiera agua?", "o sea que no puedo manejar?": a check on what was just said.
_EVEN = r"(?:not even|even(?: if| with| for| on)?|ni siquiera|aunque sea|incluso(?: si)?|o sea(?: que)?)\b\s*"
# The joints a fragment may open with ("and…", "so…", "pero…"); a follow-up also after "ok" or "also".
_OPENING = r"and|n|so|but|or|then|y|pero|entonces"
_FOLLOW_UP = re.compile(rf"(?:(?:ok|okay|also|{_OPENING})\b\s*)+"
                        rf"(?:{_ABOUT}|que pasa con\b\s*|{_EVEN})?{_THE}|(?:{_ABOUT}|{_EVEN}){_THE}")
_FOLLOW_UP_WORDS = 7
_CHECK = re.compile(rf"(?:(?:{_OPENING})\b\s*)*{_EVEN}")
# A question asked inside what is told: "all i want to know is how long it takes", "i was wondering
# when i can drive", "can you tell me when to call", "i'd like to understand how the probe is placed", "my
# question is what happens on the day", "i'm curious whether it hurts", "mi pregunta es si duele".
_ASKED_INSIDE = re.compile(rf"\b(?:(?:know|wondering|wonder|tell me|explain|understand|saber|decir(?:me)?"
                           rf"|entender|expli(?:ca|que|quen|car)(?:me|nos)?)\s+(?:(?:is|was|es)\s+)?"
                           rf"|curious\s+|question\s+(?:is|was)\s+|pregunta(?:r)?\s+(?:es\s+)?)"
                           rf"(?:{_QUESTION_START}|(?:if|whether|si)\b)", re.IGNORECASE)
# A verb that opens a question before its subject: "can she have it", "r u", "will it hurt", "do they";
# not "do it" ("they want to do it soon"), nor "did" ("they did it last week"), which tell.
_AUXILIARY = r"does|is|are|can|could|will|would|should|r|cn|wil"
# A question that opens midway through what is told: a Spanish yes/no verb after a comma ("mi esposo
# tiene cancer de riñon, sirve para eso"), or a question word and its verb after a topic ("cryo for
# the kidney how does it work"); "i know how it works" has no verb after its question word.
_OPENS_MIDWAY = re.compile(rf",\s*{_SPANISH_VERB}"
                           rf"|\s(?:how|what|when|where|why|which|who|hw|wat|wht|wen|wer|wher)"
                           rf"(?:\s+(?:long|much|many|often|soon))?\s+(?:{_AUXILIARY}|do)\b"
                           rf"|\s(?:{_AUXILIARY})\s+(?:i|he|she|they|we|you|u|it)\s+\w"
                           rf"|\sdo\s+(?:i|they|we|you|u)\s+\w", re.IGNORECASE)
# A list's mark before a question: "1)", "2.", "a)", "Q1", "-", "*".
_LIST_MARK = r"(?:[-*\u2022]|\(?(?:\d{1,2}|[a-e])[.)-]|q\d{1,2}[.):]?)\s*"
# A list's item is a question in its own right, however short ("2. duele", "- cost").
_LISTED = re.compile(rf"\s*{_LIST_MARK}(?<=\s)[^\W\d_]", re.IGNORECASE)
# Openers before a question, with whom a greeting is addressed to ("hey bot, …", "hi team").
_ASKS = re.compile(rf"(?:(?:and|so|but|ok|okay|also|then|plus|well|please|hi|hey|hello|there|bot|team|again"
                   rf"|y|pero|entonces|bueno|hola|buenas|tambi[eé]n|adem[aá]s)\W+)*(?:{_LIST_MARK})?"
                   rf"(?:{_QUESTION_START}|{_REQUEST})", re.IGNORECASE)
_WHETHER = re.compile(r"(?:if|whether|si)\b", re.IGNORECASE)
# A question word opening a part, after its openers ("and what can you help with", "q temas sabes").
_QUESTION_WORD = re.compile(r"[¿¡]?(?:(?:and|also|so|but|ok|okay|y|pero|bueno|tambi[eé]n)\W+)*"
                            r"(?:what|whats|which|how|wat|wats|wht"
                            r"|q|qu[eé]|c[oó]mo|cu[aá]l(?:es)?|en qu[eé])\b",
                            re.IGNORECASE)
# Words that put a question to the bot: "you", what it may help with.
_TO_THE_BOT = re.compile(r"\b(?:you|u|ya|bot|help|topics?|menu|options|puedes|pueden|sabes|ayudar|temas)\b",
                         re.IGNORECASE)
# The menu asked for by name ("menu please", "the list of topics", "what is this bot for"): a request of
# its own beside the other questions.
_MENU = re.compile(r"\b(?:men[uú]|topics|temas|list of|lista de|options|opciones)\b"
                   r"|what (?:is|are) (?:this|the|you)(?: bot)? for\b|para qu[eé] sirve (?:este|el) bot"
                   r"|what can (?:you|u) do\b", re.IGNORECASE)
# A greeting before a comma ("hola, tengo 80 años, me la pueden hacer?"): a piece of its own.
_GREETING = re.compile(r"\s*(?:hi|hey|hello|hola|buenas|buenos d[ií]as|buenas (?:tardes|noches)"
                       r"|good (?:morning|afternoon|evening))(?:\s+there)?\s*,", re.IGNORECASE)
# Where one breath may hold two questions: "side effects and recovery time?", "riesgos y beneficios".
# A comma too: "side effects, recovery time, cost?" (each piece is kept only if it surely names a topic).
_AND = re.compile(r",?\s+(?:and(?:\s+also)?|n|as well as|plus|&|\+|y(?:\s+tambi[eé]n)?)\s+|\s*,\s+",
                  re.IGNORECASE)
# A question word before a subject opens a clause of the question before ("does it hurt when they put
# the probe in", "how do they know where the tumour is").
_SUBJECT = r"(?:i|you|u|he|she|it|they|we|the|my|your|his|her|their|a|an)\b"
# A Spanish question word and a pronoun still wait for their verb ("donde me | pueden hacer").
_AWAITS_SPANISH_VERB = re.compile(r"(?:^|\s)(?:qu[eé]|cu[aá]nt[oa]s?|cu[aá]ndo|c[oó]mo|d[oó]nde|q|dnd)"
                                  r"(?:\s+(?:me|te|se|lo|la|le|nos|les|los|las|no))+\W*$", re.IGNORECASE)
# Where a question runs on into the next with no joint at all ("how long does it take will i be asleep",
# "cuanto dura cuando puedo volver al trabajo"): before a question word, or a verb put before its
# subject, that opens a second question after two words or more (not one that goes on the first's:
# "how long does it").
_RUN_ON = re.compile(r"(?<=\w)(?<!how)(?<!long)(?<!much)(?<!many)(?<!when)(?<!what)(?<!where)(?<!why)"
                     rf"(?<!which)\s+(?=(?:what|how|when|where|why|which|who|wat|wen)\b(?!\s+{_SUBJECT})"
                     r"|(?:whats|qu[eé]|cu[aá]nt[oa]s?|cu[aá]ndo|c[oó]mo|d[oó]nde|por\s?qu[eé]|se puede"
                     rf"|{_SPANISH_VERB})\b"
                     r"|(?:will|would|can|could|should|is|are|do|does|did|r|cn)\s+(?:i|it|u|you|they|there|we"
                     r"|he|she|my|the|this|that)\b)", re.IGNORECASE)
_RUN_ON_AFTER = 2
# "me van a congelar una verruga, ¿cómo es eso?": the future tells what is planned as often as it asks.
_TELLS_WHAT_WILL_BE = re.compile(r"\W*(?:me\s+|le\s+|se\s+)?(?:voy|vas|va|van)\b", re.IGNORECASE)
_OPENS_WITH_SPANISH_VERB = re.compile(rf"\W*(?:me\s+|se\s+|lo\s+|la\s+|le\s+)?{_SPANISH_VERB}", re.IGNORECASE)
# A question word and the verbs it waits for: "how long after the procedure" has none yet.
_OPENS_WITH_QUESTION_WORD = re.compile(r"\W*(?:how|when|what|where|which|who|why|wat|wen)\b", re.IGNORECASE)
_VERB = re.compile(r"\b(?:is|are|was|were|am|do|does|did|will|would|can|could|should|shall|may|might|must"
                   r"|have|has|had|whats|hows|wheres|whens|whos|it'?s|\w+'(?:s|re|ll|d|ve))\b", re.IGNORECASE)
# A part needs a letter to be a question at all ("??", "…", "2." are not).
_WORDY = re.compile(r"[^\W\d_]", re.UNICODE)


def split_questions(text: str) -> list[str]:
    """The questions of `text` in order, each with what was told before it; the whole text when it has
    one. What is told after the last question is a part of its own ("… thanks", "… and after?")."""
    parts: list[str] = []
    start = told = 0  # where the piece, and what was told before it, start
    for begins, ends, marked in _boundaries(text):
        piece = text[start:begins]
        start = ends
        if _WORDY.search(piece) and _asks(piece, marked):
            parts.append(text[told:begins].strip(" ,"))
            told = start
    if _WORDY.search(tail := text[told:]):
        parts.append(tail.strip(" ,"))
    return parts or [text]


def pieces(text: str) -> list[str]:
    """`text` cut at every boundary, nothing kept together: where a question told after a greeting or
    the procedure ("thanks for that. how much is it?") is found when the whole reads as the greeting."""
    greeting = _GREETING.match(text)
    rest = text[greeting.end():] if greeting else text
    cut = [piece.strip(" ,") for piece in _cut(rest) if _WORDY.search(piece)]
    return [greeting.group().strip(" ,"), *cut] if greeting else cut


def _cut(text: str) -> list[str]:
    """What `_BOUNDARY.split(text)` gives, from the boundaries found once."""
    spans = _boundaries(text)
    starts, ends = [0, *(end for _, end, _ in spans)], [*(start for start, _, _ in spans), len(text)]
    return [text[start:end] for start, end in zip(starts, ends, strict=True)]


# A message is cut into its questions, then into all its pieces: its boundaries are found once.
@lru_cache(maxsize=64)
def _boundaries(text: str) -> tuple[tuple[int, int, bool], ...]:
    """Where each boundary starts and ends, and whether it holds a question mark."""
    return tuple((found.start(), found.end(), "?" in found.group()) for found in _BOUNDARY.finditer(text))


def halves(text: str) -> list[tuple[str, str]]:
    """`text` cut in two at each "and" ("the side effects and also the recovery time"), then where one
    question runs on into the next: where two questions may be asked in one breath, to be kept only if
    each half asks about a topic."""
    cut = [(text[:m.start()], text[m.end():]) for m in _AND.finditer(text)]
    run_on = [(text[:m.start()], text[m.end():]) for m in _RUN_ON.finditer(text)]
    return cut + [(left, right) for left, right in run_on
                  if len(left.split()) >= _RUN_ON_AFTER and not _awaits_its_verb(left)
                  and _opens_asking(left)]


def _opens_asking(text: str) -> bool:
    """A half that asks from its start ("how long does it take", "me van a dormir"), not one that tells
    ("i am 88" before "can i still get it")."""
    return asks(text) or bool(_OPENS_WITH_SPANISH_VERB.match(text)) or _asked_inside(text)


def _awaits_its_verb(text: str) -> bool:
    """A question word still waiting for its verb ("how long after the procedure", "when exactly", "donde
    me"): the verb after it ("… can i shower", "… pueden hacer") is its own, not a new question's."""
    english = bool(_OPENS_WITH_QUESTION_WORD.match(text)) and not _VERB.search(text)
    return english or bool(_AWAITS_SPANISH_VERB.search(text))


def asks(text: str) -> bool:
    """True when `text` opens like a question ("how long…", "and can I…", "hi, is it…")."""
    return bool(_ASKS.match(text.strip()))


def asks_the_bot(text: str) -> bool:
    """True when `text` opens with a question word and is put to the bot ("what can you help with", "q
    temas sabes"): not a plea ("help!", "can you help me"), nor a topic's fragment ("what will it show")."""
    return bool(_QUESTION_WORD.match(text.strip()) and _TO_THE_BOT.search(text))


def asks_for_the_menu(text: str) -> bool:
    """True when `text` names the bot's menu or asks what it is for ("menu please", "q temas sabes")."""
    return bool(_MENU.search(text))


def asks_or_whether(text: str) -> bool:
    """True when `text` opens like a question or with "if", "whether", "si" ("si duele", "whether it
    hurts"), as a question cut off after a joint may."""
    return asks(text) or bool(_WHETHER.match(text.strip()))


def _asks(piece: str, question_mark: bool) -> bool:
    """A piece that asks a question of its own; a fragment ("what about breast cancer?") only leads
    into the question after it."""
    rest = follow_up(" ".join(tokens(simplify(piece))))
    if rest is not None:
        return asks(rest) or _asked_inside(rest)  # "also wondering what happens to the tumour"
    return question_mark or asks(piece) or _asked_inside(piece) or bool(_LISTED.match(piece)) or (
        bool(_OPENS_WITH_SPANISH_VERB.match(piece)) and not _TELLS_WHAT_WILL_BE.match(piece))


def _asked_inside(text: str) -> bool:
    return bool(_ASKED_INSIDE.search(text) or _OPENS_MIDWAY.search(text))


def checks_the_answer(normalized: str) -> bool:
    """A fragment that checks what was just said ("even water?", "¿ni siquiera agua?", "o sea que no
    manejo?"): it means nothing without an answer before it."""
    return bool(_CHECK.match(normalized))


def follow_up(normalized: str) -> str | None:
    """What follows the opening of a short follow-up ("and after" -> "after", "what about for the liver"
    -> "liver", "so no driving" -> "no driving"); None when the text does not open like one."""
    if len(normalized.split()) > _FOLLOW_UP_WORDS:
        return None
    match = _FOLLOW_UP.match(normalized)
    return normalized[match.end():].strip() if match else None
