"""Which language a message is in, from its most common words and letters: English, Spanish or other."""

from __future__ import annotations

import re

from bot.content.catalog import LANGUAGES

# Spanish's "he" before a participle ("me he vuelto a hacer daño", "he tenido fiebre"): English's "he" is a
# marker word, so the sentence would be read with the English patterns alone.
_SPANISH_PERFECT = re.compile(
    r"\bhe (?:\w+ado|\w+ido|hecho|\w*vuelto|visto|dicho|puesto|roto|muerto|escrito|abierto)\b")
# Spanish puts a pronoun before a verb of wanting, going to or starting as readily as after the infinitive
# that follows ("me quiero hacer daño", "quiero hacerme daño"): the verbs that carry one up, by person, as
# only a pronoun of the verb's own person is moved ("mi jefe me va a matar" is not "va a matarme").
_CARRIERS = {
    "me": "quiero|queria|quisiera|voy a|iba a|he vuelto a|volvi a|puedo|podria|tengo que|debo|deberia|pienso"
          "|intente|intento|trato de|trate de|acabo de|empece a",
    "se": "quiere|queria|quisiera|va a|iba a|ha vuelto a|volvio a|puede|podria|tiene que|debe|deberia|piensa"
          "|intento|trata de|trato de|acaba de|empezo a",
}
_CLIMBED = re.compile("|".join(rf"\b({pronoun}) ((?:{verbs}) )(\w+?(?:ar|er|ir))\b"
                               for pronoun, verbs in _CARRIERS.items()))

# English words for signs that Spanish speakers mix in ("tengo fever", "está bien hot y hard"): a
# Spanish sentence with one is read with both languages' patterns.
_ENGLISH_SIGN = re.compile(r"\b(?:fever|swell\w*|swollen|hot|hard|pus|bleed\w*|blood|breath\w*|chest|pain"
                           r"|faint\w*|vomit\w*|numb|yellow|chills|shaking|rash|dizzy|confused|leak\w*|tight)\b")
# Frequent words of each language that the other does not use: not "no", "me", "hay" or "ya", which
# English has too, nor one-letter words ("y", "i"), which noise and initials make.
_SPANISH = frozenset([
    "el", "la", "los", "las", "de", "del", "que", "en", "un", "una", "por", "con", "para", "es",
    "esta", "estoy", "tengo", "tiene", "mi", "mis", "su", "sus", "se", "le", "lo", "pero", "muy",
    "si", "mas", "hace", "desde", "hoy", "ayer", "como", "cuando", "donde", "porque",
    "tambien", "puedo", "puede", "duele", "mucho", "mucha", "siento", "dolor", "fiebre", "pecho",
    "gracias", "hola", "ahora", "bien", "ayuda", "buenos", "buenas", "usted",
    "escalofrios", "calentura", "sangre", "herida", "respirar", "orinar",
    # Frequent verbs, nouns and small words of patients' Spanish that English never writes (not
    # "he", "has", "solo", "tan" or "sin", which it does).
    "quiero", "quieres", "puedes", "debo", "debe", "tuve", "tenia", "tengo", "estaba", "estuve",
    "fue", "fui", "hemos", "han", "voy", "vamos", "sera", "seria", "hice", "hizo", "dijo", "dice",
    "sabe", "llamo", "llamar", "llame", "manejar", "comer", "tomar", "volver", "vivir", "sentir",
    "anoche", "manana", "semana", "semanas", "dias", "meses", "anos", "vez", "veces", "cosa",
    "consejo", "pregunta", "preguntas", "medico", "enfermera", "cirugia", "operacion", "tratamiento",
    "mareo", "mareos", "cansancio", "vomito", "vomite", "desmayo", "desmayado", "pastillas",
    "medicina", "orina", "hinchazon", "cuerpo", "pierna", "brazo", "panza", "estomago", "cabeza",
    "ojos", "garganta", "ni", "algun", "alguna", "alguno", "nada", "todo", "toda", "todos", "otra",
    "otro", "eso", "esto", "ese", "esa", "este", "aqui", "asi", "tanto", "pues", "entonces",
    "despues", "antes", "hasta", "sobre", "cual", "cuanto", "cuanta", "cuantos", "quien", "nadie",
    "nunca", "siempre", "tampoco", "molestar", "adios", "chao", "hola", "oiga", "disculpe", "favor",
])
_ENGLISH = frozenset([
    "the", "and", "of", "to", "is", "it", "my", "in", "that", "have", "has", "was", "for", "on",
    "with", "he", "she", "you", "at", "this", "but", "be", "are", "not", "can", "cant", "dont", "im",
    "its", "been", "just", "what", "when", "how", "do", "does", "did", "got"
])
_WORD = re.compile(r"[a-z]+")
# What the bot answers in, and what it says it cannot read.
OTHER = "other"
# Frequent words of the languages patients most often write in besides these two (French, Portuguese,
# German, Italian, Tagalog, Vietnamese and Indonesian typed without accents, Dutch, Polish, Haitian
# Creole), accent-free, leaving out every word English or Spanish also uses ("die", "per", "mal",
# "son", "sur", "tres", "sera", "pour", "bin", "may"...), so that a mixed or misspelled message is not
# counted as theirs.
_OTHER_WORDS = """
je jai suis avec dans vous nous une pas il elle ils qui quoi fait depuis douleur fievre
cest bonjour merci oui beaucoup peux aussi apres toujours docteur medecin infirmiere ventre
tete mais ou au aux du ce cette sont avez votre notre chez hier aujourdhui demain nuit soir matin
mari femme pere jambe mieux respire et combien quand comment pourquoi temps peu ici rien faut veux
vais etre avoir leur moi toi lui
nao estou tenho meu minha voce com uma isso isto muito muita depois ontem hoje febre dor dores
obrigado obrigada eu fazer sinto estava cirurgia sangue ainda agora posso pode tosse
enfermeira barriga cabeca melhor pior doi quanto voltar trabalho ao ferida vermelha quente
onde ajuda fala falo banho amanha pai mae
ich nicht und der ist mit habe hab ein eine einen mein meine seit auch noch sehr wie wir ja nein
danke bitte heute gestern atmen arzt bauch kopf jetzt schon oder aber wenn dass zu bei vom zum auf
aus mir mich dir uns vater frau krank hilfe keine kein etwas schlecht tut weh schmerzen fieber
vielen dank wann wieder arbeiten darf duschen sprechen warum viel wunde immer nur
sono della delle dello degli gli mio molto dolore febbre dopo ancora questo questa sto stato anche
perche grazie buongiorno infermiera respirare petto pancia oggi ieri domani notte
mattina fatto puoi devo essere avere ho hai abbiamo tosse testa sempre niente tutto tutti
quando riesco lavoro tornare parlo parla inglese aiuto mille bene doccia nelle
ako ang ng mga ko ka siya niya kami tayo hindi masakit lagnat ba ito yung kasi opo salamat naman
nang dahil ngayon kahapon dugo hininga huminga mahirap sakit tiyan ulo nanay tatay asawa anak akin
ikaw mo natin talaga pwede puwede wala meron mayroon ubo nilalagnat akong hirap
kailan paano bakit saan pagkatapos
toi khong duoc nguoi cua roi benh nhung minh nhieu dang bac
saya tidak ini itu sudah dengan demam yang bisa tolong terima kasih
ik niet het een heb mijn koorts pijn zijn ook maar gisteren vandaag dokter moet
jest nie boli mnie czy goraczka
mwen gen ak doule
"""
_OTHERS = frozenset(_OTHER_WORDS.split())
# Accented letters Spanish writes ("39º"); any other accented Latin letter (è, ç, ã, ö, ß, ơ, ạ...)
# is another language's.
_SPANISH_LETTERS = frozenset("áéíóúñüºª")
_LETTERS = re.compile(r"[^\W\d_]+")
# Words with a letter or mark only Spanish writes ("medí", "¿y?", "año"); not é, which English borrows.
_SPANISH_MARKS = re.compile(r"\w*[áíóúñ¿¡]\w*")


def markers(simplified: str) -> tuple[int, int]:
    """How many Spanish and how many English marker words lowercase, accent-free text has."""
    words = _WORD.findall(simplified)
    # Counted by C-level loops: triage asks this of every sentence.
    return sum(map(_SPANISH.__contains__, words)), sum(map(_ENGLISH.__contains__, words))


def spanish_share(simplified: str) -> float:
    """Of the marker words, the share that are Spanish (0.5: none)."""
    spanish, english = markers(simplified)
    return spanish / (spanish + english) if spanish + english else 0.5


def looks_spanish(simplified: str) -> bool:
    """More Spanish marker words than English ones ("mi papá tiene fever" is Spanish)."""
    return spanish_share(simplified) > 0.5


def enclitic(simplified: str) -> str:
    """Spanish pronouns put after the infinitive they belong to, where the lexicon writes them: "me quiero
    hacer dano" is "quiero hacerme dano", "se volvio a cortar" is "volvio a cortarse"."""
    # One alternative per pronoun, so a match sets three groups: the pronoun, the carrier, the infinitive.
    return _CLIMBED.sub(lambda m: "{1}{2}{0}".format(*filter(None, m.groups())), simplified)


def detect(written: str, simplified: str, before: str | None = None) -> str:
    """"en", "es", or OTHER for a language the bot cannot read; a message with no sign of its language
    ("102", "ok", "si") keeps the chat's (`before`). `written` is the text as typed (its letters tell a
    script or an accent apart), `simplified` the same lowercase and accent-free."""
    script, accented = _letters(written) if not written.isascii() else (False, 0)
    if script:
        return OTHER
    spanish, english = markers(simplified)
    if not written.isascii():
        spanish += len(_SPANISH_MARKS.findall(written.lower()))
    others = accented + sum(word in _OTHERS for word in _WORD.findall(simplified))
    if others >= 2 and others > spanish + english:
        return OTHER
    if spanish == english:
        return before or "en"
    return "es" if spanish > english else "en"


def _letters(written: str) -> tuple[bool, int]:
    """Whether most letters are of another script (Cyrillic, Arabic, Chinese...), and how many words
    have an accent Spanish does not write ("fièvre", "não", "sốt")."""
    words = _LETTERS.findall(written.lower())
    script = sum(1 for word in words for letter in word if not _latin(letter))
    accented = sum(1 for word in words if any(_latin(c) and not c.isascii() and c not in _SPANISH_LETTERS
                                              for c in word))
    return 2 * script > sum(map(len, words)), accented


def _latin(letter: str) -> bool:
    return letter < "\u0250" or "\u1e00" <= letter < "\u1f00"


def from_locale(code: str | None) -> str | None:
    """The language of a Telegram `language_code` ("es-MX" -> "es") when the bot speaks it, else None."""
    primary = (code or "").replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def sentence_language(text: str) -> str:
    """"en" or "es" when only that language's marker words are there (two at least for Spanish, whose
    short words English borrows), "both" otherwise."""
    spanish, english = markers(text)
    if english and not spanish:
        return "both" if _SPANISH_PERFECT.search(text) else "en"
    if spanish >= 2 and not english:
        return "both" if _ENGLISH_SIGN.search(text) else "es"  # "ahora está bien hot y hard"
    return "both"
