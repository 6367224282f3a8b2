"""Red-flag triage: the safety corpus, and the rules of DESIGN.md by example."""

from __future__ import annotations

import pytest
import yaml

from bot.content.catalog import rank
from bot.content.model import Content
from bot.understanding.nlu import Classifier
from bot.understanding.triage import Triage, Triager
from tests.conftest import DATA

# The first corpus was written with the lexicon; the blind ones by people who never saw it.
CORPORA = ("red_flags.yml", "red_flags_blind.yml", "red_flags_blind2.yml", "red_flags_blind3.yml",
           "red_flags_blind4.yml", "safety_blind5.yml", "safety_blind6.yml", "safety_blind7.yml",
           "safety_blind8.yml")


def corpus(name: str) -> dict[str, list[dict[str, str]]]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def assess(content: Content, classifier: Classifier):  # type: ignore[no-untyped-def]
    triager = Triager(content.triage, fever_line_f=101.0)

    def run(text: str, awaiting: bool = False) -> Triage:
        return triager.assess(text, classifier.normalize(text), awaiting)

    return run


@pytest.mark.parametrize("name", CORPORA[:3])
def test_corpus_is_big_enough(name: str) -> None:
    loaded = corpus(name)
    assert len(loaded["reports"]) >= 150
    assert len(loaded["lookalikes"]) >= 100


@pytest.mark.parametrize("name", CORPORA)
def test_every_red_flag_report_escalates_at_its_level_or_higher(assess, name: str) -> None:  # type: ignore[no-untyped-def]
    missed = [(r["text"], r["level"], assess(r["text"]).level) for r in corpus(name)["reports"]
              if rank(assess(r["text"]).level) < rank(r["level"])]
    assert missed == []


@pytest.mark.parametrize("name", CORPORA)
def test_lookalikes_rarely_escalate(assess, name: str) -> None:  # type: ignore[no-untyped-def]
    lookalikes = corpus(name)["lookalikes"]
    escalated = [r["text"] for r in lookalikes if assess(r["text"]).alerts]
    assert len(escalated) <= 0.02 * len(lookalikes), escalated


@pytest.mark.parametrize(("text", "level", "flag"), [
    ("temp 102", "urgent", "fever"),
    ("38.9C", "urgent", "fever"),
    ("fever of one hundred two", "urgent", "fever"),
    ("TEMP 101.5", "urgent", "fever"),
    ("my wife has a fever of 102", "urgent", "fever"),
    ("cant pee", "urgent", "urination_trouble"),
    ("pus where the needle was", "urgent", "pus_discharge"),
    ("the redness is spreading", "urgent", "redness_spreading"),
    ("i cant breathe", "emergency", "breathing_trouble"),
    ("i want to kill myself", "emergency", "self_harm"),
    ("when can i shower, also i have a fever of 102", "urgent", "fever"),
    # Word orders and verb forms people use that the lexicon once missed, one of each kind.
    ("me desperté tirada en el suelo del baño", "emergency", "fainting"),
    ("mi papá está muy dormido, hay que sacudirlo para que responda", "emergency", "fainting"),
    ("i cant even finish a sentence", "emergency", "breathing_trouble"),
    ("la bolsa de la sonda ya no se llena", "urgent", "urination_trouble"),
    ("her skin has gone kind of yellow", "urgent", "jaundice"),
    ("los vómitos no se le quitan", "urgent", "vomiting"),
    ("la sangre sale a chorros", "emergency", "heavy_bleeding"),
    ("de golpe se le durmió la pierna", "emergency", "stroke"),
    ("el brazo y la pierna derechos los tiene débiles", "emergency", "stroke"),
    ("hay sangre en el pañuelo cada vez que toso", "emergency", "coughing_blood"),
    ("anoche me hice daño a propósito otra vez", "emergency", "self_harm"),
    ("mi papá dice que ve todo borroso de ese ojo", "urgent", "eye_changes"),
    ("tengo un punto ciego en el ojo operado", "urgent", "eye_changes"),
    ("la pierna está dormida todavía, ya van 4 días", "urgent", "numbness_weakness"),
    ("la piel se puso gris con ampollas", "urgent", "skin_burn"),
    ("mi mamá no encontraba las palabras esta tarde", "emergency", "stroke"),
    # Urgent signs told indirectly (urgent_dev2's kinds).
    ("se me inflama y se calienta la herida cada día más", "urgent", "swelling"),
    ("el párpado se le hincha más y más, ya no lo puede abrir", "urgent", "swelling"),
    ("one leg's gone fat and hard since I got home", "urgent", "limb_clot"),
    ("the tube doesn't seem to be draining at all", "urgent", "urination_trouble"),
    ("the tablets they gave me to take aren't touching it", "urgent", "severe_pain"),
    ("dolor de 9 en el costado, ni con los calmantes", "urgent", "severe_pain"),
    ("bad shivers on and off, like the bed is shaking, then I'm roasting", "urgent", "rigors"),
    ("still bleeding a bit every day, over a week now without easing off", "urgent", "bleeding"),
    ("las ampollas se están extendiendo a piel que no trataron", "urgent", "skin_burn"),
    # Spanish's "he" before a participle is no English marker: the Spanish patterns are tried.
    ("me he vuelto a hacer daño a propósito", "emergency", "self_harm"),
    ("se le debilitó la mano izquierda de golpe", "emergency", "stroke"),
])
def test_red_flags_in_odd_wording(assess, text: str, level: str, flag: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert verdict.level == level
    assert flag in verdict.red_flags


@pytest.mark.parametrize("text", ["theres smelly cloudy stuff coming out of it",
                                  "yellow gunk leaking out of it", "pus oozing out of it since this morning"])
def test_discharge_coming_out_of_the_site_is_not_confusion(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert (verdict.level, verdict.red_flags) == ("urgent", ("pus_discharge",))


@pytest.mark.parametrize("text", ["mum is out of it today", "he seems totally out of it", "i feel out of it"])
def test_being_out_of_it_is_confusion(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "confusion" in assess(text).red_flags


@pytest.mark.parametrize("text", ["a few spots of blood on the dressing",
                                  "some blood on the gauze this morning", "un poquito de sangre en la gasa"])
def test_a_little_blood_seen_asks_rather_than_alerts(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert (verdict.level, verdict.doubted) == ("none", ("bleeding",))


@pytest.mark.parametrize(("text", "level"), [
    ("a little blood on the dressing and it keeps coming", "urgent"),
    ("im bleeding a bit from the probe site", "urgent"),
    ("a bit of blood on the bandage, it hasnt stopped since lunch", "emergency"),
    ("un poco de sangre en la gasa y no para", "urgent"),
])
def test_blood_that_goes_on_still_alerts(assess, text: str, level: str) -> None:  # type: ignore[no-untyped-def]
    assert assess(text).level == level


@pytest.mark.parametrize("text", ["something is leaking from where the probe went in",
                                  "something is coming out of the wound", "the puncture site is a bit wet",
                                  "me sale algo por el pinchazo", "la herida esta mojada",
                                  "se me mojó la gasa con algo"])
def test_a_leak_with_no_word_of_what_it_looks_like_asks(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert (verdict.level, verdict.doubted) == ("none", ("pus_discharge",))


@pytest.mark.parametrize("text", ["my mums wound is damp, clear, no smell, and the dressing is drying out",
                                  "theres blood on the dressing, a small dot, dry, not fresh",
                                  "la herida esta humeda, sin olor"])
def test_a_detail_denied_gives_no_detail(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert verdict.level == "none" and verdict.doubted


@pytest.mark.parametrize("text", ["something is leaking from the wound and it smells bad",
                                  "the site is oozing thick yellow stuff", "my wound is leaking a lot",
                                  "me sale algo verde del pinchazo", "la herida gotea y huele feo"])
def test_a_leak_described_as_pus_or_a_lot_alerts(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert (verdict.level, verdict.red_flags) == ("urgent", ("pus_discharge",))


# Emergencies told by what they look like, at the edge of urgent and in regional words (the seventh
# safety round's dev sets, in words of our own).
TOLD_BY_WHAT_THEY_LOOK_LIKE = [
    ("I have to lean on the sink just so I can breathe", "breathing_trouble"),
    ("respira a bocanadas y no ha podido ni hablar", "breathing_trouble"),
    ("feels like a fist squeezing my chest", "chest_pain"),
    ("tengo un peso en el pecho que me llega a la mandíbula", "chest_pain"),
    ("dad just went down in the hallway", "fainting"),
    ("mum doesn't seem to know who I am tonight", "confusion"),
    ("dice que ve gente en la sala y no hay nadie", "confusion"),
    ("se perdió en su propia casa buscando el baño", "confusion"),
    ("everyone would be better off without me", "self_harm"),
    ("he estado guardando pastillas por si acaso", "self_harm"),
    ("ya no kiero bibir", "self_harm"),
    ("the left side of her mouth is drooping and she can't grip with that hand", "stroke"),
    ("se le ha quedado muerta la pierna de golpe", "stroke"),
    ("tung swolen cant swalow", "allergic_reaction"),
    ("he devuelto y parece café molido", "vomiting_blood"),
    ("spitting blood with every cough, gone through three tissues", "coughing_blood"),
]

AT_THE_EDGE_OF_URGENT = [
    ("his pyjama top is soaked where the kidney probe went in", "heavy_bleeding"),
    ("the blood has come through her dressing and onto the sofa", "heavy_bleeding"),
    ("la gasa chorrea, ya pasó al pantalón", "heavy_bleeding"),
    ("ya van tres compresas empapadas en una hora", "heavy_bleeding"),
    ("apreté diez minutos con la toalla como me dijeron y sigue saliendo", "heavy_bleeding"),
    ("he can't move his right foot, it just went", "stroke"),
    ("me mira y no habla", "stroke"),
    ("llego arriba de la escalera sin aire, antes no me pasaba", "breathing_trouble"),
    ("es como si tuviera un ladrillo encima del pecho", "chest_pain"),
    ("de repente estaba en el suelo de la cocina", "fainting"),
    ("she brought up dark red stuff into the basin", "vomiting_blood"),
    ("vomitó otra vez, esta vez con sangre", "vomiting_blood"),
    ("her lower lip is twice its normal size", "allergic_reaction"),
    ("mi hijo dice que esta vez va a ser de verdad", "self_harm"),
    ("40 de fiebre y está atontada, dice cosas raras", "confusion"),
]

IN_REGIONAL_WORDS = [
    ("¿es normal que me duela el pecho así? me lo aprieta", "chest_pain"),
    ("a mi madre el pecho le quema y se agarra el brazo izquierdo", "chest_pain"),
    ("me pregunta en qué año estamos y no se acuerda de que la operaron", "confusion"),
    ("grandad's gone doolally since lunch", "confusion"),
    ("terminé en el piso del baño sin saber cómo", "fainting"),
    ("he flaked out in the kitchen and came to after a minute", "fainting"),
    ("ha devuelto sangre en la palangana", "vomiting_blood"),
    ("chundered and there was blood in it", "vomiting_blood"),
    ("my smile's gone crooked and my leg is dragging", "stroke"),
    ("se me está cerrando la garganta", "allergic_reaction"),
    ("mejor me voy de este mundo y dejo de ser una carga", "self_harm"),
    ("what's the point of any of it anymore", "self_harm"),
    ("he can't get a full sentence out", "breathing_trouble"),
    ("it's been gushing since, we've gone through two towels", "heavy_bleeding"),
]


@pytest.mark.parametrize(("text", "flag"), [
    ("suddenly my right leg is weak and numb", "stroke"),
    ("de repente la pierna izquierda no me sostiene", "stroke"),
    ("dad doesn't know my name, that's new", "confusion"),
    ("no es urgente pero vomité algo con pedacitos oscuros como de café", "vomiting_blood"),
    ("desde hace una hora toso coágulos de sangre", "coughing_blood"),
    ("le corre la sangre por el costado, no se detiene con presión", "heavy_bleeding"),
    ("I went down getting up to pee and woke up on the bathroom floor", "fainting"),
    ("si el cáncer no me mata, lo hago yo", "self_harm"),
    # "one" is read as a number before the patterns: "on one side" must still match.
    ("all of a sudden my arm on one side went heavy and useless", "stroke"),
    ("mi mamá se fue de lado en la silla y no respondía, ya volvió", "fainting"),
    ("sorry if I'm overreacting, mum's really disoriented tonight", "confusion"),  # sorry, not if
    ("siento como si me estrujaran el corazón con la mano", "chest_pain"),
    ("is it normal to have a heavy crushing ache in my chest tonight?", "chest_pain"),
    ("no me pasa nada grave creo pero me duele el pecho como si me apretaran", "chest_pain"),  # played down
    ("no actually he's really confused, he thinks he's at work", "confusion"),  # a correction
    # Self-harm told indirectly, by its means, its plan or a goodbye, or by a carer; a later "ya no"
    # or a denial far before it does not undo it.
    ("parce, me quiero morir, ya no doy mas", "self_harm"),
    ("no es broma: pienso en suicidarme", "self_harm"),
    ("que Dios me lleve ya, no quiero amanecer otro dia", "self_harm"),
    ("ya tengo la soga, nomas me falta decidirme", "self_harm"),
    ("mi mama anda regalando sus cosas y dice que pronto ya no las va a necesitar", "self_harm"),
    ("mi hermano dice que se va a pegar un tiro si el cancer sigue creciendo", "self_harm"),
    ("suisidarme es lo unico que pienso", "self_harm"),
    ("kms lol", "self_harm"),
    ("I have a plan and I'm going to do it this weekend", "self_harm"),
    ("I'm just a burden to my kids now, they'd be relieved if I was gone", "self_harm"),
    ("I keep begging God to let me die in my sleep", "self_harm"),
    # Heavy bleeding told by how much and how it goes on.
    ("sale sangre como una llave abierta del piquete del costado", "heavy_bleeding"),
    ("nosebleed for an hour now, two towels full", "heavy_bleeding"),
    ("the ice pack and pressure did nothing, still bleeding hard", "heavy_bleeding"),
    ("no puedo parar la sangre de la herida", "heavy_bleeding"),
    ("my left side feels weird and heavy", "stroke"),
    ("my arm went numb suddenly", "stroke"),
    ("está muy adormilado, no hay forma de despertarlo", "confusion"),
    ("se me hinchó la boca y me pica todo", "allergic_reaction"),
    ("sangro un montón", "heavy_bleeding"),
    # emergency_dev2's kinds: heavy bleeding by what it soaks, stroke by what the hand or mouth does,
    # confusion by getting lost at home; "ya no sé qué hacer" and "se me fue para atrás" end nothing.
    ("the dressing is soaked, ive swapped it twice in the past hour and its soaked again", "heavy_bleeding"),
    ("me sale sangre de la herida como una llave abierta, ya no se que hacer", "heavy_bleeding"),
    ("he's drooling out of one corner of his mouth and the eye on that side looks droopy", "stroke"),
    ("mi viejo arrastra el pie izquierdo y con la mano izquierda no atina a la taza", "stroke"),
    ("my wife got lost going from the bedroom to the bathroom in our own flat", "confusion"),
    ("duerme tan profundo que casi no lo puedo despertar, lo senté y se me fue para atrás", "confusion"),
    ("sí, y no puedo recuperar el aire", "breathing_trouble"),
    ("hay sangre en el apósito, está empapado y gotea", "heavy_bleeding"),
    *TOLD_BY_WHAT_THEY_LOOK_LIKE, *AT_THE_EDGE_OF_URGENT, *IN_REGIONAL_WORDS,
])
def test_emergencies_told_the_way_carers_and_patients_tell_them(assess, text: str, flag: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert verdict.level == "emergency" and flag in verdict.red_flags


@pytest.mark.parametrize(("text", "flag"), [
    ("mi mujer tirita sin parar y tiene la frente que quema", "rigors"),
    ("está re hinchado alrededor del pinchazo, duro y caliente", "swelling"),
    ("el enrojecimiento ya le ocupa toda la espalda baja, ayer era chiquito", "redness_spreading"),
    ("no he meado en todo el día", "urination_trouble"),
    ("me está saliendo pis por el trasero", "urine_from_rectum"),
    ("devuelvo hasta el agua desde esta mañana", "vomiting"),
    ("mi bebé ya no sigue los juguetes con el ojo operado", "eye_changes"),
    ("me está saliendo materia de la herida", "pus_discharge"),
])
def test_urgent_signs_told_in_spanish_alert(assess, text: str, flag: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert verdict.level == "urgent" and flag in verdict.red_flags


def test_emergency_beats_urgent(assess) -> None:  # type: ignore[no-untyped-def]
    verdict = assess("temp 102 and i cant breathe")
    assert verdict.level == "emergency"
    assert verdict.red_flags[0] == "breathing_trouble"
    assert "fever" in verdict.red_flags


@pytest.mark.parametrize("text", ["no fever", "what if i get a fever?", "is bleeding a side effect?",
                                  "the swelling has gone down", "temp 99.1"])
def test_negations_and_questions_do_not_escalate(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not assess(text).alerts


def test_fever_without_a_number_asks_for_it(assess) -> None:  # type: ignore[no-untyped-def]
    verdict = assess("I have a fever")
    assert (verdict.level, verdict.needs_temperature) == ("check", True)


def test_a_bare_number_counts_only_when_a_temperature_was_asked(assess) -> None:  # type: ignore[no-untyped-def]
    assert assess("101.8", awaiting=True).level == "urgent"
    assert assess("102", awaiting=False).level == "none"
    assert assess("room 102").level == "none"


@pytest.mark.parametrize("text", ["my temp is 10", "temperature 200"])
def test_impossible_temperatures_ask_to_measure_again(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert (verdict.level, verdict.remeasure) == ("check", True)


def test_the_fever_line_is_the_clinics(content: Content) -> None:
    strict = Triager(content.triage, fever_line_f=100.4)
    assert strict.assess("temp 100.6").level == "urgent"
    assert Triager(content.triage, fever_line_f=101.0).assess("temp 100.6").level == "none"
    assert Triager(content.triage, fever_line_f=101.0).assess("temp 38.4C").level == "urgent"
    # The rubric: 38.3°C and above, the Celsius line rounded down so no reading over 101°F slips.
    assert Triager(content.triage, fever_line_f=101.0).assess("temp 38.3C").level == "urgent"
    assert Triager(content.triage, fever_line_f=101.0).assess("temp 38.2C").level == "none"
    assert strict.assess("temp 38.0C").level == "urgent" and strict.assess("temp 37.9C").level == "none"


# The universal signs beyond the seed pages, and Spanish: each escalates at its level.
UNIVERSAL_SIGNS = [
    ("his face is drooping on one side and his speech is slurred", "emergency"),
    ("she suddenly cant lift her left arm", "emergency"),
    ("my tongue and throat are swelling up after the antibiotic", "emergency"),
    ("i vomited something that looks like coffee grounds", "emergency"),
    ("crushing pressure in my chest", "emergency"),
    ("there are clots of blood in my urine", "urgent"),
    ("i have not been able to pee since this morning", "urgent"),
    ("the whites of my eyes have gone yellow", "urgent"),
    ("i cant keep anything down, been throwing up all day", "urgent"),
    ("my calf is swollen and now its hard and hot", "urgent"),
    ("the painkillers are not touching the pain", "urgent"),
    ("i fell and heard a crack in my hip where they froze the bone", "urgent"),
    ("no puedo respirar bien desde la operación", "emergency"),
    ("mi mamá tiene la cara caída y habla raro", "emergency"),
    ("se me está cerrando la garganta", "emergency"),
    ("vomité sangre", "emergency"),
    ("tiene fiebre de 39,2", "urgent"),
    ("mi esposo tiene calentura de 38,5 grados", "urgent"),
    ("tengo los ojos amarillos", "urgent"),
    ("no puedo orinar desde anoche", "urgent"),
    ("sale pus de la herida", "urgent"),
    # Signs the rubric's list does not name but the emergency pages do: a seizure, a poison swallowed.
    ("my husband is convulsing on the floor", "emergency"),
    ("she had a fit this morning, first time ever", "emergency"),
    ("a mi papá le dio un ataque epiléptico", "emergency"),
    ("my dad took way too many of his oxycodone tablets", "emergency"),
    ("mi mamá se tomó todo el frasco de pastillas", "emergency"),
    ("i can only say a couple of words before i have to stop for breath", "emergency"),
    ("her nosebleed still hasnt stopped after an hour", "emergency"),
    ("ya van dos toallas empapadas y sigue", "emergency"),
    ("a veces quiero quitarme de en medio", "emergency"),
    ("my pee has little clots and bits in it", "urgent"),
    ("whatever she drinks comes straight back up", "urgent"),
    ("he threw up his tablets again", "urgent"),
    ("felt a sickening crack in my hip and can no longer put weight on it", "urgent"),
    ("she says theres a dark patch over the left side", "urgent"),
    ("the pain is 10 out of 10 and the painkillers are useless", "urgent"),
    # Spanish as it is spoken from Mexico to Spain, found missing on the Spanish dev set.
    ("siento que me asfixio cuando me acuesto", "emergency"),
    ("me duele el pexo como si me lo apretaran", "emergency"),
    ("le dio un soponcio en la cocina", "emergency"),
    ("mi esposo no responde bien, lo veo como ido", "emergency"),
    ("a mi tía se le paralizó medio cuerpo", "emergency"),
    ("tengo la lengua hinchada y me cuesta tragar", "emergency"),
    ("la sangre no para con presión y chorrea", "emergency"),
    ("mi abuelo no ha hecho pipí en todo el día", "urgent"),
    ("la bolsa de la sonda no se llena desde la mañana", "urgent"),
    ("lo rojo ya pasó la raya que marqué", "urgent"),
    ("mi hija vomita todo, ni el agua le queda", "urgent"),
    ("my dad is shaking with chills and feels hot", "urgent"),
    ("tiembla de escalofríos y está ardiendo", "urgent"),
]


# The rubric's calm kinds in wordings the first lexicon missed: a sign going away inside the words of a
# pattern, someone else's or on a screen, a leaflet or "is it true", habits, figures of speech, the
# weather, blood that is a test or a gift.
CALM_KINDS = [
    "the swelling has gone down loads since friday", "la hinchazón ha disminuido bastante",
    "had pneumonia with a fever of 104 two winters ago, does that matter?",
    "tuve una neumonia con 40 de fiebre hace dos inviernos, importa?",
    "my dog keeps throwing up and can't keep water down",
    "watching greys anatomy and a guy collapsed after a freezing procedure lol",
    "viendo una serie de médicos un tipo se desmayó después de una congelación",
    "it says here 'rare complications include bleeding'. how rare is rare?",
    "aquí pone 'complicaciones raras: sangrado'. ¿cómo de raro es raro?",
    "would a fever of 101.5 be a reason to call?", "con 38,5 habría que llamar o espero a la mañana?",
    "my seizures are well controlled with keppra, do I stop it before?", "my son has a seizure disorder",
    "i take meds for seizures, should i take them the morning of?",
    "tomo pastillas para las convulsiones, las dejo antes?", "mi hijo tiene convulsiones desde niño",
    "i pass out when they draw blood, since i was a kid", "me sangra la nariz todos los inviernos",
    "pain at the probe site was a 6 on day one, now like a 2", "el dolor estaba en 6, ahora en 2",
    "was a bit short of breath on monday but that's passed",
    "el sangrado paró en cuanto apreté 5 minutos",
    "My grandson had a fever of 103 last month with the flu", "my daughter had febrile seizures as a toddler",
    "mi sobrino tuvo convulsiones por fiebre de bebé", "Me desmayé una vez de adolescente en misa",
    "We watched a movie last night where the main character had a seizure",
    "Vi una serie donde a una chica le daba un ataque epiléptico",
    "¿y si vomito sangre? ¿voy a urgencias directamente?", "¿si me da fiebre de 39 que hago?",
    "¿La sedación puede hacer que me desmaye al levantarme?",
    "si a mi marido se le torciera la boca de repente, ¿llamo al 112?",
    "The intake form asks about seizures", "Me tomé la temperatura: 38 justo. Sé que el límite es 38,3",
    "Se me quitó un peso de encima del pecho", "Honestly I'm just numb after all this news",
    "My feet have been numb from chemo since 2021", "Dicen que tome algo antes para prevenir infección",
    "I spilled coffee grounds all over the counter this morning",
    "Grandma keeps taking flash photos of my son after the eye cryo",
    "tomo levetiracetam para las convulsiones, ¿debo suspenderlo antes?",
    "¿a partir de cuánto es fiebre? ¿38 o 38,3?",
    "el hormigueo en las manos lo tengo desde la quimio del 2019",
    "mi mamá se desmayó en el 2015 por la presión",
    "I had 101.6 last week before the procedure, it's 98.4 now", "I fainted once at a concert in college",
    "se me quitó un peso del pecho cuando me dijeron que todo salió bien",
    "my late wife coughed up blood before she died", "there was a film where a man collapsed in the street",
    "is it true you can bleed a lot after liver cryo?", "¿es cierto que puede dar fiebre alta?",
    "reading the discharge notes: a fever over 101 means call",
    "dice la hoja que si sangra mucho hay que llamar",
    "i bruise and bleed so easily, always have", "me mareo cada vez que me sacan sangre",
    "de toda la vida tengo hormigueo en los pies en invierno", "this traffic is giving me a heart attack",
    "almost fainted when I read the bill", "me dejó sin aliento el precio del hotel",
    "me va a dar un infarto con tanto papeleo", "hace 38 grados a la sombra",
    "la rojez está cada vez más pequeña", "ya dejé de sangrar hace dos días",
    "¿cuándo me hacen el análisis de sangre?", "¿puedo donar sangre el año que viene?",
    "mi compadre tuvo pus en la herida cuando lo operaron", "mi gato se desmayó con el calor",
    "en la serie el protagonista tosía sangre", "me hierve la sangre con tantos trámites",
    "me estoy ahogando en deudas del hospital", "el termómetro de la cocina marca 40",
    "la dra dijo que el hormigueo era esperado", "tengo 38,1 y me dijeron que llamara arriba de 38,3",
    "in the film the guy was gasping and clutching his chest",
    # Found on the Spanish calm set: the weather, the tub, screens, strangers, the dead, the team's word.
    "hace un calor de 38 grados afuera", "me metí a la tina a 40 grados",
    "en youtube vi una señora que vomitaba sangre", "una paciente en la sala contaba que se desmayó",
    "mi tío se puso amarillo antes de morir", "mi vecina se hizo la misma crio y le dio fiebre",
    "me revisaron ayer y el hormigueo ya lo conocían", "ya me habían avisado del ardor al orinar",
    "me ahogo en tanto trámite", "no veo borroso, el ojo bien", "¿cuáles son los signos de alarma?",
]
STILL_REPORTS = [
    ("the swelling is getting bigger and bigger", "urgent"),
    ("apreté como dice el papel y sigue sangrando", "urgent"),
    ("es verdad que estoy tosiendo sangre desde ayer", "emergency"),
    ("I was watching telly and suddenly I can't get my breath", "emergency"),
    ("estaba viendo la tele y de repente no puedo respirar", "emergency"),
    ("my friend fainted just now and wont wake up", "emergency"),  # a friend may be the carer
    ("mi amiga tuvo un desmayo y no despierta", "emergency"),
    ("estaba mejorando pero ahora el dolor está mucho peor", "urgent"),
    ("la pierna operada está el doble que la otra", "urgent"),
    ("la hoja dice que llame si pasa de 38,3 y yo estoy en 38,9", "urgent"),
    # A calm context before "but now" does not calm what follows it.
    ("the nurse said the redness was normal but now the red area is spreading up my side", "urgent"),
    ("I always faint at needles but today I passed out in the shower", "emergency"),
    ("la enfermera dijo que lo rojo era normal pero ahora se está extendiendo", "urgent"),
    ("siempre me mareo con las agujas, solo que hoy me desmayé en la cocina", "emergency"),
    ("he has a seizure disorder and he is seizing right now", "emergency"),
    ("i take meds for seizures and he's having one right now", "emergency"),
    ("mi hijo tiene convulsiones ahora mismo y no para", "emergency"),
    ("tengo 38,5 y escalofríos, habría que llamar?", "urgent"),
    ("I pass out every time I stand up since the procedure", "emergency"),
    ("he fainted when they took blood today", "emergency"),
    ("the pain was a 3 yesterday and now it is an 8", "urgent"),
    ("vomito sin parar desde anoche, nada desde la cena se me queda", "urgent"),
    ("el sangrado no paró aunque apreté 10 minutos", "urgent"),
    ("no sabe en qué año estamos y me llama por el nombre de mi hermano", "emergency"),
    ("dad keeps calling me by my brothers name since the op", "emergency"),
    ("lo blanco de los ojos lo tiene amarillo", "urgent"),
    ("no one would even notice if i was gone", "emergency"),
    ("ya no tengo ganas de vivir la verdad", "emergency"),
    ("gracias por todo, despues de esta noche ya no voy a necesitar nada de esto", "emergency"),
    ("quisiera dormirme y ya no despertar nunca mas", "emergency"),
    ("he keeps saying he won't be a problem for much longer", "emergency"),
    ("my husband is shuddering with cold and radiating heat", "urgent"),
    ("tengo tembladera y calentura desde la tarde", "urgent"),
    ("siento frio por dentro y calor por fuera, no paro de temblar", "urgent"),
    ("fiebre de 38 con 5", "urgent"),
    ("sí, me cuesta respirar para hablar", "emergency"),  # "sí," is yes, not if
    ("coffee grounds in my vomit", "emergency"),
    ("I threw up coffee grounds", "emergency"),
    ("I see flashes of light in my treated eye", "urgent"),
    ("he had a seizure last month and now he is seizing again", "emergency"),
    # Self-harm counts asked or not, and a "ya no" after it does not undo it.
    ("pa que sigo si ya no sirvo pa nada", "emergency"),
    ("si me duermo y no despierto mejor, la vdd", "emergency"),
    ("quisiera irme con Dios ya, estoy cansada de sufrir", "emergency"),
    ("mi mama dice q ya no tiene caso vivir", "emergency"),
    ("tengo ganas de desaparecer y no volver nunca", "emergency"),
    ("what if I just ended it all tonight", "emergency"),  # asked, still said
    ("se le pusieron los ojos en blanco y le temblaba todo el cuerpo, ya paró pero no contesta", "emergency"),
    ("se le fue la fuerza de un brazo y habla como borracho", "emergency"),
    ("estoy respirando como pescado fuera del agua", "emergency"),
    ("me dio un escalofrío que no paro de temblar y siento la cara bien caliente", "urgent"),
    ("el enrojecimiento ya llega hasta la costilla", "urgent"),
    ("mi padre dice q mejor estaria muerto y q asi nos quitaria un peso de encima", "emergency"),
    # Nor does old news, or a question, before "and now".
    ("is swelling expected and now my leg is hard hot and tight", "urgent"),
    ("my brother had sepsis years ago and now my wound is oozing pus", "urgent"),
    ("mi hermano tuvo sepsis hace años y ahora me sale pus de la herida", "urgent"),
    # A Spanish question about the sign is still a report when it says the sign is there now.
    ("me duele el pecho, ¿puede ser un efecto de la crio?", "emergency"),
    ("¿el dolor de pecho que tengo ahora puede ser por la crio?", "emergency"),
]


@pytest.mark.parametrize(("text", "expected"), [*UNIVERSAL_SIGNS, *STILL_REPORTS])
def test_signs_escalate_at_their_level(assess, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert assess(text).level == expected


NEW_SIGNS_LOOK_ALIKES = [
    "my back is seizing up after the drive", "she had a fit of giggles at the nurse",
    "does the new dressing fit under my clothes", "i took the whole bottle of water",
    "will the cryo give me a seizure, i have epilepsy", "rate your pain out of 10, they said",
    "the ct showed a shadow on one side of the lung",
]


SPANISH_CALM = ["no tengo fiebre", "no tengo fiebre ni dolor", "¿qué pasa si me da fiebre?",
                "mi hermano tuvo una infección hace años", "ya se me pasó el mareo",
                "38,2 grados y ya estoy mejor"]

# Each of its kind: news told, a decade of one's life, a lifelong habit, a specialist who saw it, a
# Spanish question that names the sign before its verb.
EMERGENCY_LOOK_ALIKES = [
    "I nearly passed out when they told me the tumor had shrunk, best news ever",
    "I fainted once in my twenties giving blood, is cryo going to be like that?",
    "mi marido se marea en cuanto ve sangre, siempre ha sido así",
    "my arm always goes numb when I sleep on it, that's normal right?",
    "tuve puntitos de sangre en la flema, el neumólogo los vio y dijo que es esperable",
    "¿El dolor de pecho puede ser un efecto de la crioterapia?",
    "¿la anestesia puede dejar confundido a mi esposo?",
    "el tumor no respondía a la quimio", "se me rompió el celular, por eso no respondía los mensajes",
    "is it normal to have chest pain after cryo?",
    "no, no tengo pensamientos de hacerme daño, solo estoy cansada",  # denied close by
    "me voy a tirar a dormir un rato", "me quiero morir de la pena, le vomité encima al camillero",
    "el tráfico para llegar a la clínica es para pegarse un tiro jaja",
    "watched a documentary on suicide prevention last night", "my eyes are bleeding from reading the forms",
    "me salió sangre de la nariz, presioné y a los cinco minutos se detuvo",
    "the red on my dressing is just the iodine they painted on",
    "quiero vivir más años con mis nietos, ¿la crio ayuda?",
    "el termómetro del patio marca 40 a la sombra, qué calor",
    "¿los ojos amarillos son señal de algo después de la crio del hígado?",
    "¿Qué es eso de la fístula que sale en el folleto de la próstata?",
    "suponiendo que vomite las pastillas, ¿las vuelvo a tomar?", "la sonda drena bien, nada de coágulos",
    "siempre veo borroso sin los lentes", "no veo la hora de volver a mi casa",
    "la piel se puso un poco morada, como un moretoncito, y ya está amarillenta",
    "I can't see the point of filling in another form",
    "¿se refiere a 38,3 o más? yo estoy bien, solo pregunto", "It's 104 in Dallas today, ok to sit outside?",
    "mi abuela vomitaba sangre cuando estaba enferma, hace mucho",
    "my uncle had a stroke a few years back and his face drooped", "I almost passed out laughing at the joke",
    # calm_dev3's kinds: a story seen, a bed neighbour, a limit named, a car's heat, figures of speech.
    "read a post in a facebook group about someone gasping for air after lung cryo, is that common?",
    "la señora de la cama de al lado se desmayó en el baño del hospital",
    "38.1 on the ear thermometer. your line is 38.3 so I'm under, yes?",
    "el carro estaba a 104 grados por dentro después de estar al sol",
    "mi suegra me asfixia con tanta sopa jaja", "this hold music makes me want to throw up",
    "estoy super confundida con las instrucciones de las pastillas",
    "nada de náuseas ni vómitos, comiendo de todo",
    "my wife fainted when she saw my catheter at the hospital last week, she's fine",
    "cuando es grave la falta de aire despues de una crioablacion pulmonar?",
    "cuanto puede sangrar el pinchazo al quitar la venda?",
    "el dolor en el pecho puede venir de la crio de pulmon? no lo tengo, pregunto por mi cuñado",
    "una amiga me pregunto si despues de la crio uno se queda sin aliento para siempre",
    "I've had COPD for years and get winded on stairs like always, fine sitting down",
    "there was a dot of blood on the bandage last night, changed it this morning and the new one is clean",
    "urine going from pink to straw colored, clearer every day",
    "me pica la garganta cada primavera por el polen", "tomo pastillas para prevenir otro ictus",
]


# The seventh safety round's calm kinds near the emergencies it added (old stories, the heat, idioms,
# endings, regional idioms), in words of our own.
OLD_STORIES_AND_HEAT = [
    "my grandad coughed up blood with TB in the seventies",
    "me ahogo de calor en este cuarto",
    "I don't want to make a fuss but is a little redness normal?",
]
IDIOMS_AND_ENDINGS = [
    "la vista del mar me dejó sin aliento",
    "the nurse said there'd be some spotting, and she hasn't had any since",
    "a los cinco minutos de apretar ya paró",
]
REGIONAL_IDIOMS = [
    "no me salen las palabras para agradecerles",
    "se puso morado de frío esperando el taxi, ya está bien",
    "mi marido está ido con el fútbol",
    "how do I tell a streak of blood in spit from coughing up blood?",
]


@pytest.mark.parametrize("text", [*CALM_KINDS, *NEW_SIGNS_LOOK_ALIKES, *SPANISH_CALM, *EMERGENCY_LOOK_ALIKES,
                                  *OLD_STORIES_AND_HEAT, *IDIOMS_AND_ENDINGS, *REGIONAL_IDIOMS])
def test_calm_messages_stay_calm(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not assess(text).alerts


@pytest.mark.parametrize(("text", "flag"), [
    ("is it normal to vomit black after liver cryo? it happened twice now", "vomiting_blood"),
    ("¿es normal toser sangre? ya me pasó dos veces esta mañana", "coughing_blood"),
])
def test_a_sign_asked_about_then_told_as_happening_counts(assess, text: str, flag: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert verdict.level == "emergency" and flag in verdict.red_flags


def test_a_sign_only_asked_about_stays_calm(assess) -> None:  # type: ignore[no-untyped-def]
    assert assess("is it normal to vomit black after liver cryo? just asking before mine").level == "none"


def test_a_faint_is_reported_even_when_the_patient_feels_better(assess) -> None:  # type: ignore[no-untyped-def]
    verdict = assess("me quedé inconsciente unos segundos en la fila, ya me siento mejor")
    assert verdict.level == "emergency" and "fainting" in verdict.red_flags


@pytest.mark.parametrize(("text", "flag"), [
    ("I think I took my morphine twice by mistake", "poisoning"),
    ("my toddler chewed one of grandpa's pain patches", "poisoning"),
    ("mi nieto se tomó unas pastillas del abuelo, no sabemos cuántas", "poisoning"),
    ("me puse dos parches por error y tengo las pupilas chiquitas", "poisoning"),
    ("my husband went rigid and then his whole body was jerking", "seizure"),
    ("se quedó tiesa y se puso a temblar entera", "seizure"),
    ("cada vez que intento hablar me quedo sin aire", "breathing_trouble"),
])
def test_overdoses_seizures_and_breathlessness_told_plainly_are_emergencies(  # type: ignore[no-untyped-def]
        assess, text: str, flag: str) -> None:
    verdict = assess(text)
    assert verdict.level == "emergency" and flag in verdict.red_flags


@pytest.mark.parametrize("text", [
    "En la serie de médicos un paciente vomitaba sangre, ¿eso me puede pasar a mí?",
    "En la radio dijeron que hay una epidemia de gripe con fiebres de 40",
    "Al señor de la cama de al lado le sangró mucho la herida, ¿a mí me puede pasar?",
    "Imaginemos que toso sangre, ¿eso sería grave?",
    "la enfermera me dijo que vigilara el pus y la fiebre",
    "Dicen que esta semana llega a 42 grados en Mexicali",
    "Se me cayó la cara de vergüenza con la enfermera",
    "A mi hermana le dio un infarto a los 50, ¿me hacen un electro?",
    "I had a fever of 102 with the flu back in March. Does that matter?",
    "Her eyelid was puffy after the eye freezing but it's much better today.",
    "The catheter was blocked on Tuesday, the nurse flushed it and it's been draining well since.",
    "orino más seguido desde que quitaron la sonda pero sale bien",
])
def test_news_stories_others_the_past_and_what_is_over_stay_calm(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    assert assess(text).level == "none"


@pytest.mark.parametrize("text", [
    "how much oozing from the probe hole is too much?",  # a threshold asked
    "¿Qué se considera fiebre alta después de la crio?",
    "what breathing changes should worry my wife after the lung freeze?",
    "my aunt bled a lot after her knee op, years ago",  # a short clause that only dates the story
    "a mi tío le dio fiebre de 39 después de la biopsia, pero eso fue hace tiempo",
    "me aterra quedarme sin aire con la mascarilla",  # a fear, not a sign
    "every little ache I think is a heart attack, nothing going on though",
    "I don't want to bleed, so when do I stop the aspirin?",
    "the fever rule is over 38.3, right? I'm at 37.2",
    "ya sé que lo de la fiebre es desde 38,3 y yo ni me acerco",
    "the showers at 39 degrees, is that ok with the dressing?",
    "va a hacer 41 grados el día de la crio",
    "no vomiting, no dark pee, no yellow eyes",
    "the bruise on my hip has gone from purple to yellow",
    "el cardenal de la pierna ya está amarillento",
    "ya se le deshinchó el párpado",
    "my breathing's normal again after the first day",
    "in the movie last night the old man collapsed with chest pain",
    "una influencer que sigo contó que le salió pus de la herida",
    "our old dog keeps fainting, the vet is on it",
    "my granddaughter scraped her knee and bled a bit, she's fine",
])
def test_thresholds_fears_dated_stories_and_other_peoples_signs_stay_calm(  # type: ignore[no-untyped-def]
        assess, text: str) -> None:
    assert assess(text).level == "none"


@pytest.mark.parametrize(("text", "flag"), [
    ("mi papá pregunta dónde está y cree que estamos en 1985", "confusion"),  # a year he believes in
    ("I heard a crack in my hip when I stood up, bone cryo was last month", "bone_injury"),
    ("my aunt bled a lot after her knee op years ago and now my wound is pouring blood", "heavy_bleeding"),
])
def test_a_clause_that_names_a_time_but_says_more_dates_nothing(  # type: ignore[no-untyped-def]
        assess, text: str, flag: str) -> None:
    assert flag in assess(text).red_flags


@pytest.mark.parametrize(("text", "flag"), [
    ("the nurse said the swelling was normal, but now my leg is hot and swollen", "limb_clot"),
    ("my mum had a stroke years ago, and right now her face is droopy", "stroke"),
    ("no es un sofoco de los míos: tengo escalofríos y estoy ardiendo de fiebre", "rigors"),
    ("walking the dog I got so short of breath I had to sit down", "breathing_trouble"),
    ("me dijeron que era normal, pero ya no es rosa, el pis sale rojo y con coágulos", "blood_in_urine"),
    ("cada día está más gorda la pierna y ahora quema", "swelling"),
    ("me he tomado dos pastillas y el dolor va a peor", "severe_pain"),
    ("¿es normal orinar con coágulos? porque es lo que me está pasando hoy", "blood_in_urine"),
])
def test_what_turns_after_a_calm_word_is_read_as_now(  # type: ignore[no-untyped-def]
        assess, text: str, flag: str) -> None:
    assert flag in assess(text).red_flags


def test_a_calm_word_after_the_turn_still_speaks_of_the_sign_before_it(  # type: ignore[no-untyped-def]
        assess) -> None:
    assert assess("I was short of breath on day 1, today my breathing's normal").level == "none"


def test_the_calm_check_reads_from_the_last_turn_on(content: Content) -> None:
    triager = Triager(content.triage, fever_line_f=101.0)
    assert triager.calm("the bruise was fading")
    assert not triager.calm("the bruise was fading but now it's hard, hot and growing")
    assert not triager.says_over("it stopped, but now it is bleeding again")


@pytest.mark.parametrize(("text", "flag"), [
    ("Should my chest feel this heavy? It's been like this for an hour", "chest_pain"),
    ("¿Es normal vomitar negro? Acabo de echar uno", "vomiting_blood"),
])
def test_a_sign_asked_about_then_told_counts_in_other_words(  # type: ignore[no-untyped-def]
        assess, text: str, flag: str) -> None:
    assert flag in assess(text).red_flags


def test_a_room_or_a_bath_named_calms_only_a_temperature(content: Content) -> None:
    triager = Triager(content.triage, fever_line_f=101.0)
    assert triager.calm("the bath is 40 degrees")
    assert not triager.calm("se perdió volviendo del baño a su cuarto")


def test_a_habit_denied_calms_nothing(assess) -> None:  # type: ignore[no-untyped-def]
    assert assess("my chest is tight, and it's not like my usual heartburn").level == "emergency"
    assert assess("me oprime el pecho, no es la acidez de siempre").level == "emergency"
    assert assess("my chest gets tight like always on the stairs with my asthma").level == "none"


@pytest.mark.parametrize(("text", "flag"), [
    ("Is it normal to have pressure in my chest after cryo? It's not going away.", "chest_pain"),
    ("¿Es normal desmayarse al levantarse? Me pasó hace un rato", "fainting"),
])
def test_a_question_about_a_sign_happening_now_counts(assess, text: str, flag: str) -> None:  # type: ignore[no-untyped-def]
    assert flag in assess(text).red_flags


def test_fainting_at_the_bill_seen_is_an_idiom(assess) -> None:  # type: ignore[no-untyped-def]
    assert assess("casi me desmayo cuando vi la cuenta del hospital jaja").level == "none"


# The eighth safety round's kinds, each list a kind of wording; every example names its sign.
GOING_ON_NOT_DENIED = [
    ("no se le baja la fiebre de 39,5", "fever"),
    ("no se me quita el dolor de pecho", "chest_pain"),
    ("no puedo dejar de vomitar desde anoche", "vomiting"),
    ("no deja de salir pus de la herida", "pus_discharge"),
]
AFTER_PERO = [
    ("yo creo que es normal, pero la lengua se me está hinchando", "allergic_reaction"),
    ("me dijeron que era normal sangrar un poco, pero no para de sangrar", "bleeding"),
]
THE_CHEST_BY_OTHER_NAMES = [
    ("me arde y me aprieta detras del esternon", "chest_pain"),
    ("opresion toracica desde hace una hora", "chest_pain"),
    ("feels like I swallowed a brick and it's stuck behind my sternum, it hurts", "chest_pain"),
    ("my heart hurts. like physically", "chest_pain"),
    ("mi esposo lleva una hora sobándose el pecho", "chest_pain"),
    ("hey, ticker feels weird and tight", "chest_pain"),
]
DWELLING_ON_THE_MEANS = [
    ("I've stopped caring, I keep looking at the pills in the drawer", "self_harm"),
    ("me quedo mirando las pastillas y pienso cosas feas", "self_harm"),
]
SPOTTING_THAT_FILLS_TOWELS = [
    ("estoy manchando después de la crio, ya llené dos toallas en la última hora", "heavy_bleeding"),
]
LISTS_SOMEONE_HAS = [
    ("the leaflet lists chest pain and fainting and I've got both right now", "chest_pain"),
    ("getting more out of breath lying here, cant talk much, is this what the leaflet mentions?",
     "breathing_trouble"),
    ("Mi abuela tiembla como una hoja y está muy caliente al tacto", "rigors"),
]
BACK_AGAIN = [
    ("de joven tosí sangre por la tuberculosis y ahora otra vez, como una cucharada", "coughing_blood"),
    ("tuve depresión hace años y ha vuelto fuerte, estos días pienso en quitarme la vida", "self_harm"),
]
THE_BODYS_READING = [
    ("la nevera marca 4 y yo marco 39,2, jaja no es broma", "fever"),
    ("Waited 30 minutes after the shower like you said, 38.6", "fever"),
    ("The little bandage came off in the shower. Temp 38.4 this afternoon, 38.5 just now.", "fever"),
    ("cuando me puedo bañar en tina? ah y tengo 39", "fever"),
    ("Can I take ibuprofen for 101.9 or only tylenol?", "fever"),
    ("mi mama esta bleeding mucho de la herida", "bleeding"),
]


@pytest.mark.parametrize("text", [
    "passing clots the size of golf balls and filling a pad every 30 min",
    "la toalla que puse debajo ya está roja entera y sigue sangrando del pinchazo",
    "echo coágulos del tamaño de una uva desde la crio de cérvix",
    "catheter bag went dark red in about an hour and there are big clots in the tube",
])
def test_bleeding_told_by_how_much_is_an_emergency(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    assert assess(text).level == "emergency"
    assert "heavy_bleeding" in assess(text).red_flags


# Their look-alikes, and the calm twins of the kinds above: none of them even asks.
NOT_BLOOD_NOR_THE_HEART = [
    "my heart hurts for my daughter",
    "I'm going through 4 pads a day with urine since the prostate cryo, will that get better?",
    "got the dressing soaked in the shower, just water, do I need a new one?",
    "the towel came out of the wash pink because of a red sock, not blood lol",
    "la toalla nueva destiñó y quedó todo rojo, me asusté pero es el tinte",
]
SETTLED = [
    "there's just a faint mark now where the probe went in, barely see it",
    "There's a spot on the dressing about the size of a lentil, dried, and it hasn't grown since last night",
    "Marqué con boli el borde de la manchita hace 6 horas, no ha pasado la raya",
    "se me pegó la costra a la almohada y salió una gota de sangre, paró enseguida",
]
NOT_A_FEVER_NOW = [
    "hizo 39,5 ayer en Zaragoza, hoy algo menos",
    "39 on the car thermometer driving through Flagstaff this morning",
    "Our jacuzzi thermometer reads 103. Asking for when I'm healed",
    "what is 38.5 in F?",
    "me dijeron que con 38,3 llame, es cierto? o era 38,5?",
    "The neighbor's kid had a fever of 103 on Sunday, should I stay away?",
    "el verano pasado tuve 38,9 por una muela",
    "heart rate 102 on my watch after climbing the stairs",
    "la ducha la tengo a 40 grados, es muy caliente para la herida?",
    "what should I take if I get a fever of 102?",
]
CALM_TWINS = [
    "no tengo fiebre ni dolor de pecho",
    "I keep thinking about the pills, should I take them before the procedure?",
    "my brother had sepsis in 2019 and he's fine now",
    "no fever, I checked, 98.4. it's just the flashes",
]


def test_what_the_calm_kinds_must_not_swallow_still_alerts(assess) -> None:  # type: ignore[no-untyped-def]
    assert assess("I fainted in the shower").level == "emergency"  # a shower is not only its water
    assert assess("me tomé la pastilla hace dos horas y el dolor sigue igual de fuerte").alerts
    assert "eye_changes" in assess("since the eye cryo I keep seeing flashes").red_flags


def test_unwell_in_no_signs_words_is_told_from_well_and_from_a_question(content: Content) -> None:
    triager = Triager(content.triage, fever_line_f=101.0)
    assert triager.unwell_words("no me siento bien desde ayer") == "no me siento bien"
    assert triager.unwell_words("he's not himself and feels awful")
    assert triager.unwell_words("no, me siento bien") is None
    assert triager.unwell_words("what if I feel unwell after the procedure?") is None
    assert not triager.calm("no me siento bien")  # "me siento bien" after a "no" says nothing is over


@pytest.mark.parametrize("text", [
    "ok so the discharge paper lists: trouble breathing, chest pain, fainting, coughing up blood",
    "what are the warning signs after kidney cryo? my sister said chest pain, bleeding and fever",
    "m puedes pasar la lista de sintomas peligrosos? la q dice dolor de pecho, desmayo, sangrado fuerte",
])
def test_a_list_of_signs_copied_or_asked_for_names_them_without_reporting(  # type: ignore[no-untyped-def]
        assess, text: str) -> None:
    verdict = assess(text)  # asked about with the checklist, not alerted: a list may hide a report
    assert verdict.level == "none" and len(verdict.doubted) >= 2


def test_someone_saying_all_is_well_before_a_but_keeps_nothing_calm(content: Content) -> None:
    triager = Triager(content.triage, fever_line_f=101.0)
    assert not triager.calm("mi esposo dice que está bien, pero lleva una hora sobándose el pecho")
    assert not triager.calm("he says he's fine but he keeps rubbing his chest and he's grey")
    assert triager.calm("it was sore yesterday but it's fine now")


def test_not_having_moved_is_not_a_sign_that_has_settled(content: Content) -> None:
    triager = Triager(content.triage, fever_line_f=101.0)
    assert not triager.calm("she's panting but she hasnt moved in an hour, cant get 3 words out")
    assert triager.calm("a spot the size of a lentil, and it hasn't grown since last night")


# The ninth safety round's kinds, each list a kind of wording; every example names its sign.
FIGURES_AND_CONDITIONALS = [
    ("not dying to know anything, I just want to die, I'm done with all of it", "self_harm"),
    ("me tomé como veinte pastillas", "self_harm"),
]
THE_BODYS_READING_BESIDE_ANOTHER = [
    ("it's 39 outside and I'm 38.9 inside lol, shaking under the blankets", "fever"),
    ("bajo con el paracetamol pero ya volvio a 39", "fever"),
]
ASKED_THEN_TOLD = [
    ("how would I know if redness is spreading? I drew a line at noon and it's past it now",
     "redness_spreading"),
    ("No sé si es normal, mi marido se ha despertado y no sabe quién soy", "confusion"),  # a hedge, then told
    ("la enfermera me dijo que avisara si me faltaba el aire, pues ahora me falta", "breathing_trouble"),
    ("not sure if its urgent, I'm vomiting and its mostly blood", "vomiting_blood"),
]
SPANISH_SIGNS = [
    ("mi abuela duerme y duerme y no la puedo despertar para darle la pastilla", "confusion"),
    ("no se acuerda de lo que le dije hace cinco minutos", "confusion"),
    ("Tengo 70 años, estoy quieta en la silla de ruedas y me falta el resuello", "breathing_trouble"),
    ("Disculpe, seguro es poquito, pero ya empapé dos curitas grandes y la camisa", "heavy_bleeding"),
    ("Tengo la garganta como cerrándose y picazón en el cuello", "allergic_reaction"),
    ("Mi hijo vomitó algo como arena oscura, como café", "vomiting_blood"),
    ("a mi mama se le hinchó el brazo tratado, ya no le cierra la pulsera y está caliente", "swelling"),
    ("ya le di su medicina y ni le hace cosquillas", "severe_pain"),
    ("orino poquito desde ayer", "urination_trouble"),
]
BESIDE_AN_OLD_STORY_OR_AN_ANIMAL = [
    ("she forgets what I said five minutes ago", "confusion"),
    ("he got lost in his own house", "confusion"),
    ("I had chest pain years ago from reflux, this is not that, crushing pressure right now", "chest_pain"),
    ("hace años tuve reflujo, pero esto no es eso: es una presion fuerte en el pecho ahora mismo",
     "chest_pain"),
    ("walking the dog I got so short of breath I had to sit on the pavement", "breathing_trouble"),
    ("me quede sin sentido en la parada del bus, una señora me ayudo", "fainting"),  # she only helped
]
AT_THE_LINE_WITH_URGENT = [
    ("blood keeps seeping through no matter how hard I push on it, going on half an hour now",
     "heavy_bleeding"),
    ("the blood is coming out in a steady stream from the spot on my back", "heavy_bleeding"),
    ("por mas que aprieto la herida sigue sangrando", "heavy_bleeding"),
    ("mi abuela tiene rayas de sangre por todo el vomito", "vomiting_blood"),
    ("seguro no es nada pero no supe de mi un momento al levantarme del sillon", "fainting"),
    ("he says there are bugs crawling on the wall, there aren't any", "confusion"),
    ("dice que hay bichos caminando por la pared y no hay nada", "confusion"),
    ("mi mamá esta medio perdida todo el dia y no reconocia la casa", "confusion"),
    ("can barely swallow my own spit, throat feels swollen shut", "allergic_reaction"),
    ("my lip blew up like a balloon an hour after my first dose", "allergic_reaction"),
]
CHANGED_SINCE_A_NURSE_SAW_IT = [
    ("the nurse said pink pee was normal but now it's dark red with clots", "blood_in_urine"),
    ("the redness the nurse said was normal has doubled in size and is hot to touch", "redness_spreading"),
]
TOLD_BY_WHAT_IS_SEEN = [
    ("feels like I'm breathing through a wet towel and I haven't even got out of bed today",
     "breathing_trouble"),
    ("my wife is sitting with her fist pressed into her chest and she's gone quiet", "chest_pain"),
    ("siento como si me hubieran puesto una losa encima del pecho", "chest_pain"),
    ("everything went fuzzy and dark and next thing I was on the carpet", "fainting"),
    ("Mi esposo se puso color ceniza y se fue al piso en la cocina", "fainting"),
    ("it's gone from pink threads yesterday to actual blood coming up when I cough", "coughing_blood"),
    ("tosí y me salió algo como mermelada de fresa, harta cantidad", "coughing_blood"),
    ("vomit looks like chocolate milk with bits in, dark", "vomiting_blood"),
    ("my wife asked me who the man in the house was. it's me", "confusion"),
    ("hoy ni abre los ojos cuando la llamo, solo se queja", "confusion"),
    ("I've been putting aside my pain pills. I have enough now.", "self_harm"),
    ("les escribí cartas a mis hijos, por si acaso. estoy cansada de ser una carga", "self_harm"),
    ("hace veinte minutos fue a decir algo y le salió puro enredo", "stroke"),
    ("me están saliendo ronchas por todos lados y la voz se me está poniendo finita", "allergic_reaction"),
]


# Their look-alikes, which the lexicon reads as calm.
QUESTIONS_AND_LINES = [
    "is the fever line in celsius 38 or 38.3?",
    "cual es el limite, 38 o 38,3?",
    "y si no puedo respirar de noche, a quien llamo?",
    "when is bleeding too much after this?",
    "como es el pus?",
    "el pus como es? amarillo? verde?",
    "Una pregunta general: ¿se puede toser sangre después de la crio del pulmón?",
    "what about coughing blood?",
    "tengo 37,9, dice que la raya es 38,3, asi que solo lo vigilo",
    "the nurse said pink pee was normal for a few days",
]
NOT_THE_BODYS_OR_NOT_NOW = [
    "tome 2 pastillas de 500 mg a las 14:00",
    "Che, hacen 40 grados en Santiago del Estero y el auto no tiene aire",
    "probando el termometro nuevo en un vaso de agua tibia, marco 40, parece que funciona",
    "A mi tío le dio un infarto hace como diez años",
    "pee smells strong today",
    "the parakeet is breathing fast and all puffed up, taking him to the bird vet",
    "our pony's leg is swollen and hot, vet wrapped it and gave bute",
    "lady next to me in the waiting room was having chest pains, they took her straight in",
    "my sister in law had a bad reaction to shellfish when we were kids, her throat swelled up",
]
DENIED = [
    "nunca me desmayé, ni siquiera me mareé",
    "ya no veo la orina rosada, desde ayer sale clarita",
    "no orino con sangre, no arde, la sonda drena bien",
]
NINTH_ROUND_FIGURES = [
    "me costo sangre sudor y lagrimas conseguir cita",
    "the traffic on the way in was agony",
    "my wallet is bleeding after all these copays",
    "my sister is going to have a seizure when she hears I drove myself home lol",
    "me dio un ataque de risa en el almuerzo",
    "I'm going to pass out on the couch after this long day, goodnight",
    "I'm choking on all this insurance paperwork",
    "estoy hasta el cuello de papeles, me ahogo",
]


# And those whose calm context keeps the severity model from raising them: a thing's colour, a dye or a
# food, getting better or how little, a fear, medicine that helps, an animal's illness, worry.
NINTH_ROUND_CALM = [
    "my pee is neon yellow since I started the b vitamins",
    "tengo los dientes amarillos del cafe, puedo blanquearlos despues?",
    "my nails look yellow from the polish I wore all summer",
    "we painted the bedroom yellow, is the paint smell ok while I recover?",
    "el morado del suero en el brazo ya esta amarillo",
    "drank beet juice and my tongue is bright red lol",
    "la raya de rotulador rojo q me pinto el medico no se quita",
    "the red light on the thermometer keeps blinking, is it the battery?",
    "la hinchazon bajo muchisimo desde el lunes",
    "apenas me duele ya, un 1 de 10",
    "bit achy in my side where the probe went in, pain pills help",
    "le tengo panico a las agujas",
    "Me duele poquito la herida",
    "oh nvm its from brushing, my gums bleed",
    "el cachorro tiene diarrea y tiembla, ya le dimos el suero que nos dio la veterinaria",
    "lying awake at 3am overthinking everything",
    "son las 3 de la mañana y no paro de darle vueltas",
    "tender to touch around the little cut but the painkillers sort it",
    "the treated spot on my hand looks darker, like a scab is coming",
]


def test_what_the_ninth_rounds_kinds_must_not_swallow_still_alerts(assess) -> None:  # type: ignore[no-untyped-def]
    assert assess("chest pain going down my left arm, started about 15 mins ago").level == "emergency"
    assert assess("Mum brought up dark red stuff into the bowl, she says it's the beetroot but she hasn't "
                  "had any beetroot").level == "emergency"
    assert assess("not beet juice, it's blood in my urine, bright red with clots").alerts
    assert assess("sí, no puedo respirar").level == "emergency"  # yes, not if
    assert "self_harm" in assess("I'm dying to know why, I just want to die").red_flags
    assert assess("me duele un poco el pecho").level == "emergency"  # how little calms no sign
    assert "pus_discharge" in assess("there's pus coming out, pain is 1/10").red_flags
    assert assess("hola, me sangra la encia y la nariz desde la mañana y no se para").alerts


def test_message_only_kinds_calm_no_sign(assess, content: Content) -> None:  # type: ignore[no-untyped-def]
    assert assess("can't sleep, my chest is tight and I can't breathe").level == "emergency"
    assert assess("my dog is fine but I fainted in the kitchen").level == "emergency"
    # A dog named, with no illness of its own: the severity model may still raise the message.
    triager = Triager(content.triage, fever_line_f=101.0)
    assert not triager.calm("le deje mi perro encargado a la vecina por si no vuelvo")


# The tenth safety round's kinds (in words of our own, beside the development set's).
TOLD_AFTER_A_DENIAL_OR_ASIDE = [
    ("none of those, except I've thrown up six times since breakfast and can't keep water down", "vomiting"),
    ("nada de eso, solo que no me sale nada de orina desde anoche", "urination_trouble"),
    ("the bruise is fading as the nurse said it would, only thing is my temp was 38.8 tonight", "fever"),
    ("me duele poco, la herida bien, aparte tengo 39 de fiebre desde la tarde", "fever"),
]
FELT_FINE_BUT_MEASURED = [
    ("38,7 de fiebre pero me siento bien, no se si es para tanto", "fever"),
    ("tengo 38,9 pero estoy bien, solo cansado", "fever"),
]
TENTH_ROUND_SIGNS = [
    ("threw up again, that's the 7th time, can't even keep a sip of juice down", "vomiting"),
    ("es que no esta sacando nada de orina desde anoche", "urination_trouble"),
    ("la sonda no esta sacando nada desde la mañana", "urination_trouble"),
    ("is it normal to be this short of breath just sitting on the sofa?", "breathing_trouble"),
    ("se me entumio el pie del lado de la crio, eso es nuevo", "numbness_weakness"),
    ("it was easing off every day then this morning it suddenly got much worse", "severe_pain"),
    ("took the pain pills on time and it's still 9/10", "severe_pain"),
    ("the drain hasn't drained anything since lunch", "urination_trouble"),
    ("al hacer pipi me salen coagulos", "blood_in_urine"),
    ("el escroto esta enorme, como una toronja", "swelling"),
]


# The tenth round's Spanish kinds (spanish_signs_dev), in words of our own.
SPANISH_SIGNS_TOLD_ASIDE = [
    ("lo rojo de la herida ya se corrio hasta la rodilla", "redness_spreading"),
    ("la roncha roja esta mas grande que ayer y caliente", "redness_spreading"),
    ("lo colorado crece y crece, ya no me cabe en la curita", "redness_spreading"),
    ("mi mamá dice que pronto nos va a dejar en paz", "self_harm"),
    ("lo vi buscando en internet cuantas pastillas hacen falta para no despertar", "self_harm"),
    ("si me muero dormida mejor, asi nadie tiene que cuidarme", "self_harm"),
    ("respiro con mucho trabajo, hasta para decir dos palabras", "breathing_trouble"),
    ("hay sangre en toda la cama, salio del pinchazo", "heavy_bleeding"),
    ("se le durmio de repente medio cuerpo", "stroke"),
    ("no tengo sensibilidad en la piel del costado", "numbness_weakness"),
    ("ve todo negro de un lado desde la crio del ojo", "eye_changes"),
    ("unos escalofrios que me sacudian y despues un calor horrible", "rigors"),
    ("ni la morfina le quita el dolor", "severe_pain"),
    ("mi papá esta turulato, no sabe ni como se llama su calle", "confusion"),
    ("le calente el biberon a 37 y despues me tome la mia: 38,6", "fever"),  # the body's beside a bottle's
]


SPANISH_LOOK_ALIKES = [
    "hoy amanecio a 39 en Mexicali, pura candela",
    "mañana llega a 41 en Hermosillo segun las noticias",
    "el termometro del patio marca 40",
    "el agua de la tina del niño esta a 38,5",
    "¿38,9 centigrados cuanto seria en fahrenheit?",
    "pense que era sangre pero era el jarabe rojo",
    "mi abuela tenia convulsiones cuando yo era niña",
    "la rojez ya casi desaparecio, ahora esta casi del color de la piel",
    "lo rojo esta mas palido hoy y hasta se ha encogido",
    "caliento la leche del bebe a 37, esta bien?",
]


TENTH_ROUND_LOOK_ALIKES = [
    "my nephew painted my toenails bright red",  # no typo of "fainted"
    "zero fever, zero pus, all good",
    "ate a bag of flamin hot chips, fingers bright red",
    "37.9 this morning, that's still under 38.3 right?",
    "mi vecina me conto que a su marido le dio una hemorragia y fiebre de 40 despues de la operacion",
    "my coworker told me her husband bled a lot after his surgery",
    "my aunt had cryo on her arm and the blister got infected with pus, but that was like 3 years ago",
    "I read online that cryo can cause bleeding and fever, should I worry?",
    "mi abuelo se murio de un infarto hace muchisimo, eso importa para la anestesia?",
    "el seguro me esta sacando sangre con tanto copago",
    "mi cuñada me estuvo preguntando si tenia fiebre o si sangraba, y nada, estoy bien",
    "al perico le sangro la pata, ya lo vio el veterinario",
]


def test_what_the_tenth_rounds_kinds_must_not_swallow_still_alerts(assess) -> None:  # type: ignore[no-untyped-def]
    assert assess("it won't go under 39, fever since last night").alerts  # a denied bound is a reading
    assert assess("I have pus coming out of the site, it started 2 days ago").alerts
    assert assess("my husband is confused, he thinks it's 1985").level == "emergency"
    assert assess("ya estoy bien, pero me desmayé en el baño hace 10 minutos").level == "emergency"


# And the message-only calm the tenth round added: ordinary after-effects and errands, nerves, the colour of
# a snack or a highlighter.
TENTH_ROUND_CALM = [
    "still constipated from the pain pills, day 3",
    "tengo hipo desde la mañana jaja",
    "the dog likes to lie on my lap right over the dressing, is that ok?",
    "mi hija me lleva y me recoge, a que hora salgo?",
    "just nervous about tomorrow, can't stop fidgeting",
    "comi chamoy y tengo los dedos rojos",
    "se me abrio el resaltador y la bolsa quedo toda amarilla",
]


def test_an_ordinary_after_effect_calms_no_sign(assess) -> None:  # type: ignore[no-untyped-def]
    assert assess("constipated for days and now I can't breathe properly").level == "emergency"
    assert assess("mi hijo me lleva al hospital porque me duele el pecho").level == "emergency"
    assert assess("no es el marcatextos, tengo lo blanco de los ojos amarillo").alerts  # denied, no calm


def test_a_mistake_told_calms_only_its_sign(assess) -> None:  # type: ignore[no-untyped-def]
    assert assess("pense que era normal pero sigue sangrando mucho").alerts
    assert assess("orino con sangre pero era la primera vez").alerts  # the first time is no mistake
    assert assess("el termometro dice 39,5").alerts

# The eleventh round (emergency_dev7, calm_dev9), in words of our own: Spanish pronouns before the verb that
# carries them, a plural colour, a perfect tense, a colon before "ahorita", a twisted mouth.
ELEVENTH_ROUND_SIGNS = [
    ("me quiero hacer daño esta noche", "self_harm"),
    ("me he vuelto a cortar las piernas", "self_harm"),
    ("mi hermano se quiere matar, lo dijo hoy", "self_harm"),
    ("vomitos oscuros toda la mañana", "vomiting_blood"),
    ("ha tosido sangre dos veces", "coughing_blood"),
    ("mi tio tuvo un ictus hace mucho: ahorita se me duerme el brazo izquierdo de golpe", "stroke"),
    ("se le tuerce la boca al hablar", "stroke"),
    ("se me traba la lengua desde la siesta", "stroke"),
    ("de repente no siento la mitad de la cara", "stroke"),
    ("5 times now and water won't stay down", "vomiting"),
    ("la abuela no se entera de nada desde esta mañana", "confusion"),
    ("lo encontraron en el parque sin saber volver a casa", "confusion"),
    ("hoy no puede seguir una conversacion", "confusion"),
    ("he couldn't tell the nurse where he lives", "confusion"),
    ("asked him to hold both arms out and the right one drifted down", "stroke"),
    ("levantó los brazos y el izquierdo se le cae", "stroke"),
    ("if it comes back I'll end it myself, for good", "self_harm"),
    ("si me dicen que volvio me mato yo antes", "self_harm"),
    ("when I lie down I feel like I'm suffocating", "breathing_trouble"),
    ("no me entra el aire ni sentada", "breathing_trouble"),
    ("es como un saco de arena en el pecho", "breathing_trouble"),
    ("the third gauze and each one soaks right through", "heavy_bleeding"),
    ("the cut spurts when I bend", "heavy_bleeding"),
    ("chestpain since lunch", "chest_pain"),
    ("had pneumonia in 2019 and this feels exactly like that, can't catch my breath", "breathing_trouble"),
    ("she can't tell me what year it is", "confusion"),
    ("grandad doesn't recognise his own kids this morning", "confusion"),
    ("mi papa no sabe quien soy desde la operacion", "confusion"),
    ("no se en que dia estamos ni donde estoy", "confusion"),
    ("la abuela contesta cualquier cosa cuando le hablo", "confusion"),
    ("tiene los labios y las uñas azules", "breathing_trouble"),
    ("respira muy agitado y no termina las frases", "breathing_trouble"),
    ("la gasa esta empapada otra vez", "heavy_bleeding"),
    ("el vendaje esta rojo, empapado", "heavy_bleeding"),
    ("he can't follow a conversation this morning", "confusion"),
    ("no sabe si es de dia o de noche", "confusion"),
    ("en la novela una chica tosia sangre y justo hoy tosi sangre yo", "coughing_blood"),
]
ELEVENTH_ROUND_LOOK_ALIKES = [
    "mi jefe me va a matar si llego tarde otra vez",
    "me quiero cortar el pelo antes de la crio, se puede?",
    "se quiere cortar las uñas y no alcanza",
    "me mato trabajando antes de la crio",
    "claustrophobic in MRI machines, feels like I'm suffocating in there",
    "no me entra el aire acondicionado en el cuarto",
    "hay que llamar con 38 o con 38,5?",
    "is 38.3 the line itself?",
    "el folleto dice que llame si hay fiebre de mas de 38,4",
    "supongamos que me duele el pecho, como se si es del corazon?",
    "a lady on facebook posted that her husband had pus and a fever after his",
    "the catheter stopped draining for a bit, straightened the tube and it's flowing again",
    "it was hard to pee the first time, fine since",
    "los labios se me ponen morados de frio en la piscina",
    "el folleto dice 38,4 pero ustedes dicen 38,3, cual vale?",
    "where am I supposed to park on the day?",
    "During the procedure I felt a bit short of breath from nerves, it passed before I even left",
    "lo de la opresion en el pecho fue el dia de la biopsia por nervios, no volvio mas",
    "My favourite podcast did an episode on anaphylaxis and throat closing",
    "The hormone shots leave my sheets soaked in sweat",
]

# The twelfth round (dialogues_dev8, calm_dev10), in words of our own: signs answered "no" as a list of them
# is, and the sign that is still told beside them; retention told verb first; redness climbing; a sign after
# an antibiotic (only an infection's signs are treated), after "and I just", or "like last time"; a mistake
# told after "but"; the news, a feed, a show's guest; someone else's sign the patient has too now; a
# reading after a turn from the weather; a catheter that stopped; the patient's own reading after a
# quoted line; the line asked about, a bath's degrees, flushing from hormones, a coworker's reading; a
# reading by mouth after a bath, "y yo 38,6" after a pet's; confusion beside a death told in passing; a
# sign "like before" an old event; a faint told by what is seen; "si aprieto" as "when I press"; redness
# in the perfect tense; an old sign happening again now; the weather by its city.
TWELFTH_ROUND_SIGNS = [
    ("pus no, pero lo rojo se va subiendo por la pierna", "redness_spreading"),
    ("nothing has come out of the bag since breakfast", "urination_trouble"),
    ("no sale nada por la sonda desde anoche", "urination_trouble"),
    ("bleeding no. fever yes, 39.1", "fever"),
    ("dolor de pecho: no, pero no puedo respirar", "breathing_trouble"),
    ("me sangra mucho la herida no?", "heavy_bleeding"),
    ("sangrado no para desde la mañana", "heavy_bleeding"),
    ("me dieron antibiotico esta mañana y se me hincha la lengua", "allergic_reaction"),
    ("le dio un ictus hace años, ahora se le cae la cara de un lado", "stroke"),
    ("she passed out at a wedding in 2010 and she just passed out again in the hall", "fainting"),
    ("me operaron hace años y acaba de desmayarse en la cocina", "fainting"),
    ("had a clot in 2015 and now my calf is hot and swollen, like last time", "limb_clot"),
    ("I thought the bleeding would stop but it was still going", "bleeding"),
    ("the news is on and I can't breathe", "breathing_trouble"),
    ("my brother had a fever after his op last year and I've got one now, 38.7", "fever"),
    ("en la novela alguien se ahogaba y asi estoy yo ahora", "breathing_trouble"),
    ("read a post about yellow eyes after liver cryo and mine are yellow", "jaundice"),
    ("hace un calor horrible, pero adentro me tomé la temperatura y tengo 38,9", "fever"),
    ("with the oven on I wasn't sure, but the thermometer under my tongue says 102", "fever"),
    ("the catheter has stopped, not a drop since noon", "urination_trouble"),
    ("la sonda ha dejado de drenar desde anoche", "urination_trouble"),
    ("the leaflet says 38.3 and I'm at 39.1", "fever"),
    ("you said 38.3 is the line, mine is 39.1", "fever"),
    ("el folleto dice 38,3 y yo tengo 39,1", "fever"),
    ("tengo 38,9, ya es fiebre?", "fever"),
    ("mi gata 39 y yo 38,6, las dos con fiebre?", "fever"),
    ("is it normal to not pee at all since the catheter came out? nothing since 7am", "urination_trouble"),
    ("the bath was hot so I waited an hour, still 101.8 by mouth", "fever"),
    ("grandpa asks for his brother, who died years ago, and doesn't know my name", "confusion"),
    ("mi padre busca a su madre, que murió en 1990, y no sabe dónde está", "confusion"),
    ("he wants to drive to the office, he retired in 2009, and he doesn't know what year it is", "confusion"),
    ("de nuevo el dolor en el pecho, como antes del infarto de 2018", "chest_pain"),
    ("mi esposo se puso pálido y se fue de lado en la silla, ya volvió en sí", "fainting"),
    ("si aprieto cerca de la herida sale algo amarillo", "pus_discharge"),
    ("tengo ronchas y la garganta como que se me aprieta", "allergic_reaction"),
    ("he answers with the wrong words and keeps dozing", "confusion"),
    ("bleeding thru everything, towels and all", "heavy_bleeding"),
    ("I'm on my blood thinner and the puncture won't stop bleeding", "heavy_bleeding"),
    ("empecé a temblar sin control y ahora sudo", "infection"),
    ("lo rojo se está corriendo hacia la espalda", "redness_spreading"),
    ("la rojez se ha extendido desde anoche", "redness_spreading"),
    ("the redness has grown all around the dressing", "redness_spreading"),
    ("solo que se me nubló de golpe la vista", "eye_changes"),
    ("had pus in a wound in 2009 and it's happening again now at the probe site", "pus_discharge"),
    ("I laughed till I cried and then got this crushing chest pain", "chest_pain"),
    ("fever? no. pus? no. chest? yes, tight and squeezing", "chest_pain"),
    ("the bleeding stopped this morning but started again and won't settle", "bleeding"),
    ("I know my hot flashes and this isn't one: pressure in my chest down my left arm", "chest_pain"),
    ("so I call if the redness spreads? because it has, it's at my belly button now", "redness_spreading"),
    ("lo morado alrededor de la herida se fue esparciendo", "redness_spreading"),
    ("la mancha roja ya se salió del contorno", "redness_spreading"),
    ("hice una raya con rotulador y la rojez ya la pasó", "redness_spreading"),
]
TWELFTH_ROUND_LOOK_ALIKES = [
    "fever no, breathing fine, chest pain no, bleeding no",
    "heavy bleeding: no",
    "sangrado abundante no, desmayos no",
    "dolor de pecho no, fiebre 36,8",
    "had 38.7 on Monday, they saw me and started antibiotics, 36.8 since",
    "se me cae la cara de verguenza con estas preguntas",
    "my uncle threw up blood once, like 20 years ago",
    "I thought I'd passed out but I'd just nodded off on the couch",
    "thought my pee was bloody but it was the red light in the bathroom",
    "se me helaba la sangre con la pelicula",
    "the radio said a footballer collapsed during the match",
    "my instagram feed is full of people with fevers of 103",
    "my cousin had a fever after her cryo, I'm fine",
    "read a post about yellow eyes after liver cryo and mine are white",
    "it's 39 outside, but I feel fine",
    "the catheter stopped hurting once they taped it down",
    "it's 39 outside and mine is 36.8",
    "you guys say 38.3 but the leaflet says 38.5, which one?",
    "¿a partir de cuántos grados llamo, 38 o 38,5?",
    "what symptoms would mean calling the nurse after eye cryo?",
    "¿un baño a 39 grados está bien con la herida?",
    "flushing in my face and chest from the lupron shots",
    "my coworker went home with 39.5 last week, should I stay away?",
    "I don't have a fever of 102 or anything, just asking about the tiredness",
    "which of these are 911: chest pain, fainting, confusion?",
    "el ajo adelgaza la sangre? lo como todos los dias",
    "estoy más confundida que un pulpo en un garaje con las citas",
    "I'm a bit confused about the discharge sheet",
    "hay que llamar con 38 justo o esperar a 38,3?",
    "la falta de aire cuenta solo en reposo?",
    "It's 104°F in Phoenix today and the AC in my car died. My own temp is 98.4",
    "tengo Raynaud, con el frío se me ponen los dedos morados",
    "la almohadilla eléctrica marca 40 grados, ¿la puedo usar?",
    "the numb patch is waking up, feeling's coming back",
    "ok so I call if the fever goes over 38.3 or the redness spreads",
    "writing down what to watch: yellow eyes, dark urine, fever",
    "¿Fiebre? No. ¿Pus? Tampoco. ¿Dolor? Poquito.",
    "confused? no, sharp as ever",
    "casi me desmayo de la alegría cuando me dieron la noticia",
    "I see stars when I stand up too fast, my whole life",
]


def test_someone_gone_down_is_not_a_sign_gone_down(content: Content) -> None:
    triager = Triager(content.triage, fever_line_f=101.0)
    assert not triager.says_over("my son found me on the floor, i must have gone down")
    assert not triager.says_over("she has gone floppy in the chair")
    assert triager.says_over("the swelling has gone down")


# The eighth to twelfth rounds' lists, each a kind of wording: reports name their sign, look-alikes stay
# calm, and calm contexts are read.
@pytest.mark.parametrize(("text", "flag"), [
    *GOING_ON_NOT_DENIED, *AFTER_PERO, *THE_CHEST_BY_OTHER_NAMES, *DWELLING_ON_THE_MEANS,
    *SPOTTING_THAT_FILLS_TOWELS, *LISTS_SOMEONE_HAS, *BACK_AGAIN, *THE_BODYS_READING,
    *FIGURES_AND_CONDITIONALS, *THE_BODYS_READING_BESIDE_ANOTHER, *ASKED_THEN_TOLD, *SPANISH_SIGNS,
    *BESIDE_AN_OLD_STORY_OR_AN_ANIMAL, *AT_THE_LINE_WITH_URGENT, *CHANGED_SINCE_A_NURSE_SAW_IT,
    *TOLD_BY_WHAT_IS_SEEN,
    *TOLD_AFTER_A_DENIAL_OR_ASIDE, *FELT_FINE_BUT_MEASURED, *TENTH_ROUND_SIGNS, *SPANISH_SIGNS_TOLD_ASIDE,
    *ELEVENTH_ROUND_SIGNS, *TWELFTH_ROUND_SIGNS])
def test_signs_told_in_each_rounds_words_report_their_flag(  # type: ignore[no-untyped-def]
        assess, text: str, flag: str) -> None:
    assert flag in assess(text).red_flags


@pytest.mark.parametrize("text", [
    *NOT_BLOOD_NOR_THE_HEART, *SETTLED, *NOT_A_FEVER_NOW, *CALM_TWINS,
    *QUESTIONS_AND_LINES, *NOT_THE_BODYS_OR_NOT_NOW, *DENIED, *NINTH_ROUND_FIGURES,
    *TENTH_ROUND_LOOK_ALIKES, *SPANISH_LOOK_ALIKES, *ELEVENTH_ROUND_LOOK_ALIKES,
    *TWELFTH_ROUND_LOOK_ALIKES])
def test_each_rounds_look_alikes_stay_calm(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    assert assess(text).level == "none"


@pytest.mark.parametrize("text", [*NINTH_ROUND_CALM, *TENTH_ROUND_CALM])
def test_each_rounds_calm_contexts_are_read(content: Content, text: str) -> None:
    assert Triager(content.triage, fever_line_f=101.0).calm(text)
