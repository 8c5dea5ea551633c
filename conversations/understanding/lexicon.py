"""The words of the trade: days, months, numbers, service concepts and chat shorthand."""

from __future__ import annotations

from conversations.understanding.english import WORDS as ENGLISH_WORDS


def words_of(text: str) -> frozenset[str]:
    """The space-separated words of a literal, as a set."""
    return frozenset(text.split())


def numbers_of(text: str) -> dict[str, int]:
    """A literal word → number table written "word=1 other=2"."""
    return {k: int(v) for k, v in (pair.split("=") for pair in text.split())}


def spellings_of(text: str) -> dict[str, str]:
    """A literal word → word table written "q=que k=que"."""
    pairs = (pair.split("=", 1) for pair in text.split())
    return {key: value.replace("_", " ") for key, value in pairs}


WEEKDAYS = numbers_of(
    "lunes=0 martes=1 miercoles=2 jueves=3 viernes=4 sabado=5 sabados=5 domingo=6 domingos=6"
)
MONTHS = numbers_of(
    "enero=1 febrero=2 marzo=3 abril=4 mayo=5 junio=6 julio=7 agosto=8 septiembre=9 "
    "setiembre=9 octubre=10 noviembre=11 diciembre=12 ene=1 feb=2 mar=3 abr=4 may=5 jun=6 "
    "jul=7 ago=8 sep=9 sept=9 set=9 oct=10 nov=11 dic=12"
)
NUMBER_WORDS = numbers_of(
    "un=1 uno=1 una=1 dos=2 tres=3 cuatro=4 cinco=5 seis=6 siete=7 ocho=8 nueve=9 diez=10 "
    "once=11 doce=12 trece=13 catorce=14 quince=15 veinte=20 treinta=30"
)
ORDINALS = numbers_of(
    "primero=1 primera=1 primer=1 segundo=2 segunda=2 tercero=3 tercera=3 tercer=3 cuarto=4 "
    "cuarta=4 quinto=5 quinta=5 sexto=6 sexta=6 septimo=7 septima=7 octavo=8 octava=8 "
    "noveno=9 novena=9 decimo=10 decima=10"
)
# Suffixes of written ordinals once digits and letters are split: "3ro", "2da", "1er".
ORDINAL_SUFFIXES = words_of("ro ra er do da to ta vo va no mo")

# Concepts a customer names, each with the words that evoke it (in messages and in the
# shop's own service names). "combo" evokes both a haircut and a beard.
HAIR, BEARD, COLOR, CLASS = "hair", "beard", "color", "class"
CONCEPT_WORDS: dict[str, frozenset[str]] = {
    HAIR: words_of(
        "corte cortes corto cortarme cortar cortarlo cortame recorte recortar pelo cabello "
        "degrade fade rapado rapar raparme rapada haircut cut peinado"
    ),
    BEARD: words_of(
        "barba barbas afeitar afeitarme afeitada afeitado perfilar perfilado perfilarme "
        "perfilada bigote rasurar rasurado beard shave"
    ),
    COLOR: words_of(
        "color colores tintura tinte tenir tenirme tenirlo tenido tenida reflejos mechas "
        "decoloracion decolorar decolorarme platinado platinar platinarme claritos balayage "
        "coloracion"
    ),
    CLASS: words_of("clase clases curso cursos taller talleres capacitacion"),
}
COMBO_WORDS = words_of("combo completo")
# Words that name a haircut unless a beard is their object ("cortarme la barba", "corte de
# barba"); the nouns need the "de", since "corte barba" is how "Corte + barba" normalizes.
HAIR_VERBS = words_of("cortarme cortar cortame cortarle recortar recortarme")
HAIR_NOUNS = words_of("corte recorte")
# Words that qualify a service without telling it apart ("Corte clásico" is the plain cut).
QUALIFIERS = words_of(
    "clasico clasica tradicional simple comun normal basico basica estandar standard"
)

# Chat shorthand and diminutives, rewritten before anything else.
SHORTHANDS = spellings_of(
    "q=que k=que x=por xq=porque pq=porque d=de tmb=tambien tb=tambien bn=bien hoi=hoy "
    "mnn=manana dsp=despues dps=despues desp=despues hrs=hs hr=hs h=hs horas=hs xfa=porfa "
    "porfis=porfa xfavor=porfa grax=gracias grs=gracias gracia=gracias tks=gracias ola=hola "
    "wenas=buenas wena=buenas bue=bueno oki=ok okey=ok okay=ok oka=ok okis=ok sip=si sisi=si "
    "nop=no nope=no nah=no tienes=tenes tene=tenes turnito=turno cortecito=corte "
    "barbita=barba sabadito=sabado lun=lunes mie=miercoles mier=miercoles jue=jueves "
    "vie=viernes sab=sabado dom=domingo fds=finde menue=menu maniana=manana kiero=quiero "
    "pa=para pal=para_el hoal=hola hloa=hola dael=dale dlae=dale chua=chau cahu=chau meun=menu "
    "mneu=menu mnu=menu"
)

# Words worth correcting a typo towards (length 4 or more; see spelling.py).
KEYWORDS: frozenset[str] = frozenset(
    {w for w in WEEKDAYS if len(w) > 3}
    | {w for w in MONTHS if len(w) > 4}
    | {w for w in NUMBER_WORDS if len(w) > 3}
    | set(ORDINALS)
    | set().union(*CONCEPT_WORDS.values())
    | COMBO_WORDS
    | words_of(
        "manana pasado tarde tardes tardecita noche noches mediodia temprano despues antes desde "
        "hasta entre partir semana semanas finde proxima proximo viene media cuarto menos todos "
        "todas cada veces quincenal semanal semanalmente turno turnos reservar reserva reservame "
        "reservemelo reservamelo reservelo confirmelo confirmeme confirmemelo agendemelo "
        "agendelo anotemelo anotelo llama "
        "agendar agendame sacar cancelar cancelame cancelalo anular cambiar cambiarlo "
        "reprogramar reprogramarlo mover moverlo pasarlo espera esperas waitlist lista libera "
        "libere liberan "
        "ayuda ayudame entiendo funciona hablar persona alguien llamar llamame local menu "
        "inicio empezar volver atras salir confirmo confirmar confirmado dale listo perfecto "
        "hola buenas buenos gracias siempre mismo misma cualquiera cualquier igual disponible "
        "lugar avisame horario basta chau adios reiniciar anterior barbero barbera profesional "
        "tenes quiero quisiera queria necesito proximos proximas efectivo transferencia "
        "tarjeta mercadopago rapipago pagofacil"
    )
)

# Everyday first names and nicknames: never "corrected" ("Nico" is no misspelt "inicio", "Clara"
# no "clase") and a name even where it is also a word ("soy Vale", "Caro").
FIRST_NAMES: frozenset[str] = words_of(
    "nico nicolas mateo matias mati santi santiago santino agus agustin gonza gonzalo maxi "
    "maximiliano maximo rodri rodrigo benja benjamin tomi tomas fede federico leo leonardo "
    "leandro lean juli julian julio juan juani juanchi juanma juampi juancho pablo pepe jose "
    "luis lucho lucas luca facu facundo fran franco francisco pancho nacho ignacio seba "
    "sebastian ale alejandro alejo alex martin tincho mario marcos marcelo mauro mauri "
    "mauricio diego dante bruno bautista bauti basti bastian thiago tiago valentin valen "
    "joaquin joaco emi emiliano emilio ema emanuel manu manuel gaston guille guillermo gabi "
    "gabriel hernan hugo ivan javi javier jero jeronimo lautaro lauti lisandro lorenzo mariano "
    "milo nahuel ramiro rami ricardo roberto beto sergio simon tobias tobi walter eze ezequiel "
    "esteban fer fernando gustavo gus enzo elias ariel ari axel adrian cristian pato patricio "
    "dario dani daniel carlos claudio damian david oscar raul ruben samir samuel teo octavio "
    "uriel victor vicente mena cami camila caro carolina flor florencia lu lucia luli tati "
    "tatiana vale valeria valentina sol soledad sole mica micaela ariana abril julieta julia "
    "ana ani agos agostina belu belen cande candela cata catalina clara delfi delfina lola "
    "dolores eli elisa emma euge eugenia eva fati gime jime jimena ximena gise gisela isa "
    "isabel josefina juana lara lau laura lorena luz majo maca macarena maia male malena mari "
    "maria mariana marina marta martu martina meli melina mercedes mechi mili milagros mora "
    "nati natalia noe noelia pau paula paz pili pilar rocio romi romina rosario sabri sabrina "
    "sami sara sofi sofia tami tamara vicky victoria yami yamila zoe barbara horacio irene "
    "lisa marco tadeo teresa colo cholo pocho chino turco marian marti"
)

# Real words that look like a keyword but are not one: never "corrected", never a name.
COMMON: frozenset[str] = words_of(
    "tarda tardo tardan corto norte barra barro clave calor dolor valor fechas fecha visto "
    "salio sali llamas llamo loca loco coche nueva nuevo nuevos rapido rapida cuanto cuanta "
    "cuantos cuantas cuando donde entra tener tengo tenga tenia tenemos buena bueno buenos "
    "todo toda pasa paso pase pasada lindo linda justo espero esperar media medio medias "
    "precio precios sale cuesta valen vale cobran cobras abren abierto cerrado cierran hora "
    "horas hoy ahora despues antes mucho mucha muchos muchas poco poca algo nada nadie alguno "
    "alguna para "
    "pero porque como cual cuales quien quienes este esta esto estos estas ese esa eso esos "
    "esas aqui aca alla ahi vos ustedes usted ellos ellas nosotros mismo tambien tampoco "
    "siempre nunca otro otra otros otras cliente clienta amigo amiga hermano hermana capo "
    "genio genia crack maestro master jefe viejo fiera idolo kpo rey loco boludo bro che "
    "dia dias semana mes meses anio ano vez veces rato momento solo sola bien mal mejor peor "
    "puedo podes puede pueden podria podrias quiero queres quiere quieren queria quisiera "
    "necesito tenes tiene tienen hay habia estoy estas esta estamos soy sos es son era fue "
    "voy vas va van vamos ir venir vengo viene vienen llego llegar hacer hago hace hacen "
    "decime dame pasame mandame mandar enviar perdon disculpa disculpas jaja jajaja jeje "
    "jsjs xd jaj jajaj ok dale si no gracias porfa favor hola chau bueno claro obvio eh ah "
    "uh mmm che boluda gente chicos chicas pibe piba seguro nomas listo nene nena buen "
    "cancela cancelo cancele cancelen cancelan cancelas cancelaron nombre apellido llamo "
    "gusto hijo hija nieto papa mama novio novia esposo esposa consulta pregunta saber "
    "decir dice dijo mira mirar ver veo vemos creo parece gracias lugar zona barrio cuadra "
    "cuadras calle casa trabajo laburo salgo salir tarjeta efectivo transferencia alias "
    "pagar pago sena abonar plata caro barato promo descuento semanas tiempo minutos "
    "esperando espera demora demoran atienden atendes abrir cerrar cierra abre feriado "
    "hecho desastre largo largos lacio rulos pelado canas holis holas saludos hey hi hello "
    "cash mp mercado facil debito credito qr cbu cvu transfiero transferir transfer ticket "
    "start principal reset resetear reinicio help instrucciones stop bye chao olvidalo olvidate "
    "dejalo terminar thanks thx agradezco agradecido agradecida joya buenisimo afirmativo "
    "negativo regresar volvamos operador operadora humano robot bot anotame anulalo anulame "
    "anularlo reagendar reprogramame posponer postergar yo "
    # everyday words of a longer story, each one letter or two from a keyword
    "comento cuento encima manzana muchas muchos ponelo ponela prefiero prima primo primos "
    "tenian tenias libre libres barberia peluqueria"
)

# Short words that glue a sentence together (never a name, never a typo).
FUNCTION_WORDS: frozenset[str] = words_of(
    "a al de del el la las lo los le les un una unos unas y o u e en con sin por para que "
    "se me te mi mis tu tus su sus ya si no es soy sos muy mas re tan ni nos hs"
)

# English words are known too: "yes" or "tomorrow" is nobody's name and nobody's typo.
KNOWN: frozenset[str] = (
    KEYWORDS
    | COMMON
    | FUNCTION_WORDS
    | set(WEEKDAYS)
    | set(MONTHS)
    | set(NUMBER_WORDS)
    | ENGLISH_WORDS
)
