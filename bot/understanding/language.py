"""Which language a message is in, from its most common words: English or Spanish, fast and small."""

from __future__ import annotations

import re

# Frequent words of each language that the other does not use: not "no", "me", "hay" or "ya", which
# English has too, nor one-letter words ("y", "i"), which noise and initials make.
_SPANISH = frozenset([
    "el", "la", "los", "las", "de", "del", "que", "en", "un", "una", "por", "con", "para", "es",
    "esta", "estoy", "tengo", "tiene", "mi", "mis", "su", "sus", "se", "le", "lo", "pero", "muy",
    "si", "mas", "hace", "desde", "hoy", "ayer", "como", "cuando", "donde", "porque",
    "tambien", "puedo", "puede", "duele", "mucho", "mucha", "siento", "dolor", "fiebre", "pecho",
    "gracias", "hola", "ahora", "bien", "ayuda", "buenos", "buenas", "usted",
    "escalofrios", "calentura", "sangre", "herida", "respirar", "orinar"
])
_ENGLISH = frozenset([
    "the", "and", "of", "to", "is", "it", "my", "in", "that", "have", "has", "was", "for", "on",
    "with", "he", "she", "you", "at", "this", "but", "be", "are", "not", "can", "cant", "dont", "im",
    "its", "been", "just", "what", "when", "how", "do", "does", "did", "got"
])
_WORD = re.compile(r"[a-z]+")


def markers(simplified: str) -> tuple[int, int]:
    """How many Spanish and how many English marker words lowercase, accent-free text has."""
    words = _WORD.findall(simplified)
    return sum(word in _SPANISH for word in words), sum(word in _ENGLISH for word in words)


def spanish_share(simplified: str) -> float:
    """Of the marker words, the share that are Spanish (0.5: none)."""
    spanish, english = markers(simplified)
    return spanish / (spanish + english) if spanish + english else 0.5


def language_of(simplified: str, before: str | None = None) -> str:
    """The language to answer a message in: its own, or the chat's so far when it shows none ("102")."""
    share = spanish_share(simplified)
    if share == 0.5:
        return before or "en"
    return "es" if share > 0.5 else "en"


def looks_spanish(simplified: str) -> bool:
    """More Spanish marker words than English ones ("mi papá tiene fever" is Spanish)."""
    return spanish_share(simplified) > 0.5
