"""What the person wants to do, from everyday phrasing ("tenés algo", "no voy a poder ir")."""

from __future__ import annotations

import re

from conversations.understanding.lexicon import words_of
from conversations.understanding.model import Intent

_CANCEL_VERB = (
    r"(?:cancelar|cancela|cancelas|cancelo|cancele|cancelen|canceles|cancelemos|canceleme"
    r"|anular|anula|anulas|anulo|anules|suspender|suspendo)"
)
_CANCEL_IT = r"(?:cancelame|cancelalo|cancelala|cancelarlo|cancelarla|anulalo|anularlo|anulame)"

_PATTERNS: dict[Intent, tuple[str, ...]] = {
    Intent.BOOK: (
        r"\bsacar(?:me|te)? (?:un |el )?turno",
        r"\b(?:reservar|reserva|reservame|reservarme|agendar|agendame|agendarme|anotame)\b",
        r"\b(?:anotarme|anotar|pedir un turno|pedir turno|quiero un turno|necesito un turno)\b",
        r"\b(?:tenes|tienen|tendras|tendrias|hay|habra|habria|queda|quedan|quedo) "
        r"(?:algo|lugar|turno|turnos|hueco|espacio|cupo|disponibilidad|disponible|libre|para)\b",
        r"\b(?:quiero|necesito|queria|quisiera|busco) (?:un |otro )?turno\b",
        r"\b(?:un|otro) turno\b",
        r"\bturno para\b",
        r"\b(?:me )?(?:podes|pueden|podrias|podrian) (?:atender|anotar|dar|hacer|cortar)",
    ),
    Intent.MY_BOOKINGS: (
        r"\bmis (?:turnos|reservas|citas)\b",
        r"\b(?:que|cuales|cuantos) turnos? tengo\b",
        r"\btengo (?:algun |un |el )?turno",
        r"\btengo algo (?:reservado|agendado|sacado)\b",
        r"\bmi (?:proximo )?(?:turno|reserva|cita)\b",
        r"\b(?:cuando|a que hora|que dia) (?:es|era|tengo|seria) (?:mi|el) turno\b",
        r"\b(?:ver|consultar|revisar) (?:mis|mi|los) (?:turnos|turno|reservas|reserva)\b",
        r"\b(?:me olvide|no me acuerdo) (?:cuando|a que hora|que dia)\b",
        r"\b(?:a que hora|cuando|que dia) (?:tengo|tenia)\b(?! (?:que|lugar|libre))",
        r"\b(?:el|los) turnos? que (?:ya )?(?:tengo|saque|reserve|me diste)\b",
    ),
    Intent.CANCEL: (
        rf"\b{_CANCEL_IT}\b",
        rf"\b{_CANCEL_VERB} (?:el|mi|un|los|mis|ese|este|la|lo|esa|turno|reserva|cita)\b",
        r"\bno (?:voy a poder|puedo|podre|voy a|llego a) (?:ir|asistir|llegar|venir|pasar)\b",
        r"\bno voy a poder\b|\bno llego\b|\bno voy a ir\b",
        r"\b(?:dar|doy|darme) de baja (?:el|mi) turno\b|\bbajame el turno\b",
    ),
    Intent.RESCHEDULE: (
        r"\b(?:cambiar|cambia|cambio|cambiame|cambialo|cambiarlo|cambiarme) "
        r"(?:el |mi |la |de |para )?(?:turno|horario|hora|dia|fecha|reserva)\b",
        r"\b(?:cambiarlo|cambialo|cambiarme|cambiar|reprogramar|reprogramarlo|reprogramame)\b",
        r"\b(?:reprograma|reagendar|reagendarlo|moverlo|movelo|moveme|moverme|correrlo)\b",
        r"\b(?:correlo|pasarlo|pasalo|pasarmelo|pasamelo|postergar|postergarlo|posponer)\b",
        r"\b(?:adelantar|adelantarlo|adelantame|atrasar|atrasarlo|atrasame)\b",
        r"\b(?:mover|pasar|correr|pasame|correme|moveme) (?:el|mi) turno\b",
        r"\bme lo (?:pasas|pasarias|cambias|moves|corres|podes pasar|podes cambiar)\b",
        r"\bpasar(?:lo|la|me|melo)? (?:para|al|a) (?:el |otro |otra )",
        r"\b(?:pasame|pasamelo|correme|corremelo|moveme|movemelo|cambiamelo"
        r"|me (?:pasas|pasarias|podes pasar|cambias|moves|corres)) (?:el|mi) "
        r"(?:turno|reserva|cita)(?: del? \w+(?: \d{1,2})?)? (?:al|a la|a las|para|a otro|a otra)\b",
        # "me pasás el del viernes al sábado", "me pasás el turno del jueves más temprano"
        r"\b(?:pasame|pasamelo|correme|moveme|me (?:pasas|pasarias|podes pasar|corres|moves)) "
        r"(?:el|la|mi)(?: turno| reserva| cita)? del? \w+(?: \d{1,2})? "
        r"(?:al|a la|a las|para|mas temprano|mas tarde)\b",
        # "lo puedo pasar para más tarde?", "¿lo podés correr más temprano?"
        r"\blo (?:puedo|podes|podemos|podria|podrias|podre) "
        r"(?:pasar|mover|correr|cambiar|adelantar|atrasar)\b",
    ),
    Intent.WAITLIST: (
        r"\blista de espera\b|\bmis esperas\b|\bwaitlist\b",
        r"\ben espera\b",
        r"\b(?:avisame|avisenme|avisarme|me avisas|me avisan) (?:si|cuando)\b",
        r"\bsi (?:se )?(?:libera|liberan|desocupa|desocupan|cancelan)\b",
        r"\bsi alguien (?:cancela|suelta|deja)\b|\bsi se cancela\b",
        r"\bcuando se (?:libere|desocupe)\b|\banotame en (?:la )?lista\b",
    ),
    Intent.TRANSFERRED: (
        r"\b(?:ya )?(?:te |les )?(?:transferi|transfiri|deposite|hice la transferencia)\b",
        r"\b(?:ya )?te (?:pase|mande|envie) (?:la plata|el dinero|la sena|el pago)\b",
        r"\bya (?:pague|esta pago|esta transferido)\b|\btransferencia hecha\b",
    ),
    Intent.HELP: (
        r"\b(?:ayuda|ayudame|ayudar|help|instrucciones)\b",
        r"\bno (?:entiendo|entendi|se como|se que)\b",
        r"\bcomo (?:funciona|es esto|hago|se hace|se usa|uso)\b",
        r"\bque (?:puedo|tengo que) hacer\b|\bque hago\b",
    ),
    Intent.HUMAN: (
        r"\bhablar\b",
        r"\b(?:una persona|un humano|persona real|ser humano|operador|operadora)\b",
        r"\b(?:atencion al cliente|con el local|con la barberia|con el dueno|con la duena)\b",
        r"\b(?:llamar|llamame|llamenme|llamen|llamada|telefono)\b|\b(?:te|los|lo) llamo\b",
        r"\bsos (?:un )?(?:bot|robot|maquina)\b",
    ),
    Intent.MENU: (
        r"\b(?:menu|inicio|start|principal|reiniciar|reinicio|reset|resetear)\b",
        r"\b(?:empezar|arrancar|comenzar|empecemos) (?:de nuevo|de cero|otra vez)\b",
        r"\bvolver a (?:empezar|arrancar|comenzar)\b|\bvolver al (?:menu|inicio|principio)\b",
    ),
    Intent.BACK: (
        r"\b(?:volver|volve|volvamos|regresar)\b(?! a \w)",
        r"\b(?:atras|anterior)\b(?! (?:del|de la|de) otr)",
    ),  # not «uno atrás del otro»
    Intent.QUIT: (
        r"\b(?:salir|chau|chao|adios|bye|basta|stop|olvidalo|olvidate|terminar)\b",
        # "dejalo el sábado" keeps the turno on Saturday; "dejalo" alone drops it
        r"\bdejalo\b(?! (?:el|la|para|en|a las|a la|como|con|a las)\b)",
        r"\b(?:nos vemos|hasta luego|hasta la proxima|deja nomas|deja asi)\b",
        r"^ ?(?:nada |no )?(?:deja|dejemos|dejamos)(?: nomas| asi| ahi)? ?$",
        rf"^ ?(?:quiero |mejor )?{_CANCEL_VERB}(?: todo| esto| nomas| por favor| porfa)? ?$",
    ),
    Intent.GREETING: (
        r"\b(?:hola|holis|holas|buenas|buen dia|buenos dias|hey|hi|hello|saludos)\b",
        r"\b(?:como va|como andas|como estas|que onda)\b",
    ),
    Intent.THANKS: (r"\b(?:gracias|thanks|thank you|thx|agradezco|agradecido|agradecida)\b",),
    Intent.PRICES: (
        r"\bcuanto (?:sale|salen|cuesta|cuestan|vale|valen|cobras|cobran|cobra|esta|estan"
        r"|seria|serian|me sale|me cobras|me cobran)\b",
        r"\b(?:precio|precios|tarifa|tarifas|lista de precios)\b|\bque precio\b",
    ),
    # Ley 25.326: the customer's right to see and to erase what the shop keeps about them.
    Intent.MY_DATA: (
        r"\b(?:que|cuales|cuantos) datos (?:mios |personales |de mi |sobre mi )?"
        r"(?:tienen|tenes|tenés|guardan|guardas|hay|saben|sabes)\b",
        r"\b(?:que|cuales) datos (?:mios|personales)\b",
        r"\bque (?:saben|sabes|tienen|tenes|guardan|guardas) (?:de mi|sobre mi|mio|mios)\b",
        r"\b(?:ver|consultar|mostrame|mostrar|quiero ver|acceder a) (?:mis|los) datos\b",
        r"\bmis datos(?: personales)? ?$",
        r"\bwhat (?:data|personal data|persona data|information|info|do you know|do you have"
        r"|do you keep|do you store)\b(?: \w+){0,4} (?:about|tipo|on|of) me\b",
        r"\b(?:see|show|access|export|view|get)(?: me)? my (?:personal |persona )?"
        r"(?:data|information|info)\b",
        r"\bmy (?:personal |persona )?data ?$",
    ),
    Intent.ERASE_DATA: (
        r"\b(?:borr|elimin|suprim|baj)\w* (?:todos |toda |)?(?:mis|los|tus|sus|mi) "
        r"(?:datos|informacion|info)\b",
        r"\b(?:borr|elimin)\w* (?:todo )?lo que (?:tienen|tenes|saben|sabes|guardan|guardas) "
        r"(?:de mi|sobre mi|mio)\b",
        r"\b(?:borr|elimin)\w* (?:mi cuenta|mi perfil|mi registro)\b",
        r"\bderecho (?:al olvido|de supresion)\b",
        r"\bno quiero que (?:tengan|guarden) mis datos\b",
        r"\b(?:delete|erase|remove|wipe)(?: all)?(?: of)? my (?:personal |persona )?"
        r"(?:data|information|info|details|account)\b",
        r"\b(?:delete|erase|remove) (?:everything|all|what) you (?:have|know|keep|store) "
        r"(?:about|tipo|on|of) me\b",
        r"\bforget (?:about )?me\b",
    ),
    Intent.REPEAT: (
        r"\blo (?:mismo )?de siempre\b|\blo habitual\b|\bcomo siempre\b",
        r"\blo mismo (?:de|que) (?:siempre|antes|la (?:otra|ultima) vez|la vez pasada)\b",
        r"\b(?:lo|lo mismo) de la (?:otra|ultima) vez\b|\bcomo la (?:otra|ultima) vez\b",
        r"(?<!da )\blo mismo ?$",
    ),
}
_CANCEL_WORD = re.compile(rf"\b(?:{_CANCEL_VERB}|{_CANCEL_IT})\b")
_COMPILED = {intent: re.compile("|".join(parts)) for intent, parts in _PATTERNS.items()}

# Answers: "sí"/"dale"/"no" are yes/no only where they answer, not inside a longer sentence.
_YES_ANYWHERE = re.compile(
    r"\b(?:confirmo|confirmar|confirmado|confirmalo|de una|de acuerdo|joya|barbaro|perfecto"
    r"|dale|listo|ok|buenisimo|obvio|afirmativo|(?<!no )me (?:sirve|viene bien|queda bien)"
    r"|(?<!no )(?:esta|ta|me parece) (?:bien|perfecto|joya)"
    r"|no hay problema|no hay drama|no pasa nada"
    # the formal "usted": «confírmelo», «resérvemelo», «perfecto, confírmeme», «se lo agradezco»
    r"|confirme(?:lo|la|melo|mela|me)?|reserv[ae]melo|reservemela|reservelo|reservela"
    r"|agend[ae]melo|agendelo|anot[ae]melo|anotelo|se lo agradezco)\b"
)
_YES_WORDS = words_of(
    "si bueno bien genial claro va vamos excelente correcto exacto seguro esa ese eso"
)
_YES_FILLERS = words_of("gracias muchas mil porfa favor por ah creo que entonces")
_NOT_AFTER_SI = words_of(
    "se no hay tenes puedo podes pueden es esta me te lo la le alguien queda quedan llega llego "
    "vos el ella sale cancela cancelan libera liberan tengo quiero puede"
)
_NO = re.compile(
    r"^ ?(?:no|negativo)\b(?! (?:voy|puedo|podre|podria|llego|entiendo|entendi|se|hay|tengo"
    r"|anda|funciona|importa|pasa|me (?!sirve|va|queda|viene|conviene)))"
    r"|\b(?:mejor no|ni ahi|para nada|ni loco|no gracias|tampoco)\b|\bno ?$"
    r"|\bno me (?:sirve|va|queda|viene|conviene)\b"
)
_MANAGING = frozenset(
    {
        Intent.CANCEL,
        Intent.RESCHEDULE,
        Intent.MY_BOOKINGS,
        Intent.WAITLIST,
        Intent.MY_DATA,
        Intent.ERASE_DATA,
    }
)
_WANTING = re.compile(
    r"\b(?:quiero|quisiera|queria|necesito|necesitaria|busco|puedo|podes|podria|podrias"
    r"|se puede|me haces|me atendes|atienden|atendes|dame|haceme|cortame|me cortas|tenes)\b"
)


def read_intents(words: list[str], raw: str, *, said_what: bool, said_when: bool) -> set[Intent]:
    """The intents of a message; `said_what`/`said_when`: it named a service/pro, a day/time."""
    text = " " + " ".join(words) + " "
    found = {intent for intent, pattern in _COMPILED.items() if pattern.search(text)}
    found |= _answers(words, raw)
    cancels = _CANCEL_WORD.search(text) is not None
    if cancels and (said_what or said_when):
        found = (found | {Intent.CANCEL}) - {Intent.QUIT}
    if Intent.RESCHEDULE in found and not cancels:
        found.discard(Intent.CANCEL)
    if Intent.WAITLIST in found:
        found -= {Intent.CANCEL, Intent.QUIT, Intent.BOOK}
    if found & {Intent.CANCEL, Intent.RESCHEDULE}:
        found -= {Intent.MY_BOOKINGS, Intent.QUIT, Intent.BOOK, Intent.NO}
    if Intent.MENU in found:
        found.discard(Intent.BACK)
    if Intent.ERASE_DATA in found:
        found.discard(Intent.MY_DATA)
    if found & {Intent.MY_DATA, Intent.ERASE_DATA}:  # «borrar mis datos» cancels no turno
        found -= {Intent.CANCEL, Intent.QUIT, Intent.BOOK, Intent.MY_BOOKINGS, Intent.WAITLIST}
    wants = _WANTING.search(text) is not None
    if not found & _MANAGING and (said_what or said_when) and (wants or (said_what and said_when)):
        found.add(Intent.BOOK)
    return found


def _answers(words: list[str], raw: str) -> set[Intent]:
    """Yes and no, which depend on where they stand in the message."""
    text = " " + " ".join(words) + " "
    found: set[Intent] = set()
    first, rest = (words[0], words[1:]) if words else ("", [])
    affirmative = raw.lstrip(" ¡!¿?.,").lower().startswith("sí") or any(s in raw for s in "👍👌✅")
    alone = set(words) <= _YES_WORDS | _YES_FILLERS and bool(set(words) & _YES_WORDS)
    answers_si = first == "si" and (
        not rest or rest[0] not in _NOT_AFTER_SI or _comma_after_first(raw)
    )
    ends_si = len(words) <= 4 and words[-1:] == ["si"]
    if affirmative or alone or answers_si or ends_si or _YES_ANYWHERE.search(text):
        found.add(Intent.YES)
    if _NO.search(text):
        found.add(Intent.NO)
        if first in ("no", "negativo"):
            found.discard(Intent.YES)
    return found


def _comma_after_first(raw: str) -> bool:
    """A "sí, ..." with punctuation right after is an answer; "si se libera" is a condition."""
    return re.match(r"\W*s[ií]+\s*[,.!]", raw, re.IGNORECASE) is not None
