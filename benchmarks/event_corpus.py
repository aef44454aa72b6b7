"""A made-up benchmark set for grouping news reports into events (issue #15).

An *event* is one real-world happening in India–Italy defence news: a meeting of ministers or service
chiefs, a minister's roundtable with industry, an MoU signed at an expo, a port call, a naval exercise,
a procurement contract, a court hearing in the AgustaWestland helicopter case or in the Enrica Lexie
(Italian marines) case. Each event is reported by 1–7 outlets, in English and in Italian, and every
outlet writes it in its own words: its own headline and lead, its own order of facts, its own choice of
which facts to give, quotes and background paragraphs or none, its house style (datelines, names,
"Raksha Mantri", "Nave Aurelio Saffi"). The paragraphs are drawn, without repetition inside an event,
from several phrasings per fact, and the facts (people, ships, ports, dates, figures, decisions) are
filled in consistently per event.

The hard part for a grouping is the **look-alikes**: pairs of *different* events with the same main
actors a few days apart (the same ministers meeting in two places, a ministers' meeting and the same
minister's roundtable with CEOs on the same day, successive hearings of one court case, a ship's port
call and its later exercise, two ships calling at one port in a week, two MoUs at one expo, two
contracts of the same ministry). There are also unrelated events on the same day and single-report
events.

Everything here is made up: all text is written for this benchmark, and although ministers, ships,
companies, courts and places carry real public names (as news would), the meetings, visits,
agreements, contracts, hearings, decisions, quotes and figures are invented. Nothing is copied from a
real article. Generation is deterministic (a seeded ``random.Random``), needs no network and only the
standard library.

``python -m benchmarks.event_corpus`` prints counts and two sample events for a human to read.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import combinations

Facts = dict[str, str | tuple[str, ...]]

START_DAY = date(2025, 1, 13)
SPAN_DAYS = 120
MIN_WORDS = 120
MAX_WORDS = 400


@dataclass(frozen=True)
class GeneratedReport:
    id: str  # "g0001"…, in publication order
    event: str  # truth slug of the event
    source: str  # outlet name
    language: str  # "en" or "it"
    title: str
    text: str  # 3–6 paragraphs separated by blank lines, 120–400 words
    published_at: datetime  # aware, UTC


@dataclass(frozen=True)
class LookalikePair:
    first: str  # event slug
    second: str  # event slug
    kind: str  # what makes them look alike


@dataclass(frozen=True)
class EventSet:
    reports: list[GeneratedReport]
    lookalikes: list[LookalikePair]
    events: dict[str, str]  # slug -> kind
    days: dict[str, date]  # slug -> local date of the happening


# --------------------------------------------------------------------------------------------------
# Calendar and numbers in both languages

WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_IT = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_IT = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)  # fmt: skip
NUM_EN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
NUM_IT = (
    "zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci",
    "undici", "dodici", "tredici", "quattordici", "quindici", "sedici", "diciassette", "diciotto",
    "diciannove", "venti",
)  # fmt: skip
ORD_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh")
ORD_IT_F = ("prima", "seconda", "terza", "quarta", "quinta", "sesta", "settima")
ORD_IT_M = ("primo", "secondo", "terzo", "quarto", "quinto", "sesto", "settimo")


def num_en(n: int) -> str:
    return NUM_EN[n] if 0 <= n < 10 else f"{n:,}"


def num_it(n: int) -> str:
    return NUM_IT[n] if 0 <= n <= 20 else f"{n:,}".replace(",", ".")


def date_en(d: date, style: str) -> str:
    return f"{MONTHS_EN[d.month - 1]} {d.day}" if style == "md" else f"{d.day} {MONTHS_EN[d.month - 1]}"


def date_it(d: date) -> str:
    return f"{'1°' if d.day == 1 else d.day} {MONTHS_IT[d.month - 1]}"


def crore_en(crore: int) -> str:
    return f"Rs {crore:,} crore"


def crore_it(crore: int) -> str:
    euros = round(crore * 10 / 95)  # million euro at about 95 rupees to the euro
    return f"{num_it(crore)} crore di rupie (circa {euros} milioni di euro)"


def join_en(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def join_it(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + (" ed " if items[-1][:1] in "eE" else " e ") + items[-1]


def italy_offset(d: date) -> float:
    return 2.0 if date(2025, 3, 30) <= d < date(2025, 10, 26) else 1.0


# --------------------------------------------------------------------------------------------------
# Outlets


@dataclass(frozen=True)
class Outlet:
    name: str
    language: str
    terse: bool  # gives only part of the facts
    background: float  # chance of background paragraphs
    quote: float  # chance of a quote
    date_style: str = "dm"  # English dates: "dm" (14 March) or "md" (March 14)


OUTLETS: dict[str, Outlet] = {
    o.name: o
    for o in (
        Outlet("pib", "en", terse=False, background=0.25, quote=0.5, date_style="dm"),
        Outlet("pti", "en", terse=True, background=0.3, quote=0.35, date_style="md"),
        Outlet("ians", "en", terse=False, background=0.45, quote=0.4, date_style="md"),
        Outlet("hindu", "en", terse=False, background=0.9, quote=0.55, date_style="md"),
        Outlet("menafn", "en", terse=True, background=0.45, quote=0.3, date_style="dm"),
        Outlet("economictimes", "en", terse=False, background=0.6, quote=0.5, date_style="dm"),
        Outlet("ansa", "it", terse=True, background=0.35, quote=0.4),
        Outlet("difesa", "it", terse=False, background=0.3, quote=0.35),
        Outlet("formiche", "it", terse=False, background=0.9, quote=0.6),
        Outlet("agenzianova", "it", terse=True, background=0.5, quote=0.3),
        Outlet("analisidifesa", "it", terse=False, background=0.7, quote=0.25),
    )
}
MENAFN_PARTNERS = ("Daily Pioneer", "Khaleej Times", "The Peninsula", "Asia Times", "Tribune News Network")
NOVA_DESKS = ("Res", "Fer", "Bus", "Gic", "Vig")


# --------------------------------------------------------------------------------------------------
# Kinds of event: headlines, leads, fact slots (several phrasings each), quotes, background


@dataclass(frozen=True)
class Slot:
    name: str
    pos: float  # where in a report it tends to go, 0 = early, 1 = late
    en: tuple[str, ...]
    it: tuple[str, ...]
    needs: str = ""  # a fact that must be non-empty for the slot to be used
    key: str = ""  # left out when the lead's template contains this text (the lead already says it)


@dataclass(frozen=True)
class Kind:
    titles_en: tuple[str, ...]
    titles_it: tuple[str, ...]
    leads_en: tuple[str, ...]
    leads_it: tuple[str, ...]
    slots: tuple[Slot, ...]
    quotes_en: tuple[str, ...]
    quotes_it: tuple[str, ...]
    background_en: Background
    background_it: Background

    def titles(self, lang: str) -> tuple[str, ...]:
        return self.titles_en if lang == "en" else self.titles_it

    def leads(self, lang: str) -> tuple[str, ...]:
        return self.leads_en if lang == "en" else self.leads_it

    def quotes(self, lang: str) -> tuple[str, ...]:
        return self.quotes_en if lang == "en" else self.quotes_it

    def background(self, lang: str) -> Background:
        return self.background_en if lang == "en" else self.background_it


# Background: each inner tuple is one fact in several phrasings; a report draws facts, and an event's
# reports use different phrasings of a fact before any repeats.
Background = tuple[tuple[str, ...], ...]

BG_RELATIONS_EN: Background = (
    (
        "India and Italy signed a memorandum of understanding on defence cooperation in 2023, covering industry, "
        "training, research and maritime security.",
        "A defence cooperation agreement signed in 2023 provides the framework for ties, from training and "
        "research to joint industrial projects.",
        "The 2023 memorandum of understanding on defence cooperation between the two countries covers everything "
        "from military training to research and industry.",
    ),
    (
        "Defence relations went through a difficult decade after the AgustaWestland helicopter scandal and the "
        "dispute over two Italian marines accused of killing fishermen off Kerala in 2012. Both matters have "
        "since been largely settled.",
        "For years, ties were overshadowed by the AgustaWestland bribery case and the Enrica Lexie affair, in "
        "which two Italian marines were accused of shooting dead two Indian fishermen. With both largely behind "
        "them, contacts between the two militaries have picked up.",
        "The relationship has recovered from a long chill caused by the VVIP helicopter scandal and the row over "
        "the Italian marines.",
    ),
    (
        "The two countries raised their ties to a strategic partnership in March 2023, during Prime Minister "
        "Giorgia Meloni's visit to New Delhi, and later adopted a Joint Strategic Action Plan for 2025-2029 that "
        "lists defence industrial cooperation among its priorities.",
        "Prime Minister Narendra Modi and his Italian counterpart Giorgia Meloni elevated relations to a strategic "
        "partnership in 2023; a joint action plan for 2025-2029 names defence as a priority.",
        "Since becoming strategic partners in 2023, India and Italy have stepped up high-level defence contacts "
        "under a five-year joint action plan.",
    ),
    (
        "Italy is among India's larger trading partners in the European Union, with two-way trade of around "
        "€14 billion a year.",
        "New Delhi has been courting European defence companies to manufacture in India under its Make in India "
        "policy rather than sell off the shelf.",
        "Bilateral trade is worth around €14 billion a year, and India is keen to draw Italian investment into "
        "defence manufacturing.",
    ),
    (
        "Italian groups such as Leonardo and Fincantieri have long been present in India, and several joint "
        "ventures with Indian companies are under discussion.",
        "Leonardo, Fincantieri and other Italian defence companies already have offices in India and are looking "
        "for local partners.",
    ),
)
BG_RELATIONS_IT: Background = (
    (
        "Italia e India hanno firmato nel 2023 un memorandum d'intesa sulla cooperazione nella difesa, che spazia "
        "dall'industria all'addestramento, dalla ricerca alla sicurezza marittima.",
        "Il quadro di riferimento è il memorandum d'intesa sulla difesa firmato nel 2023, che copre addestramento, "
        "ricerca e progetti industriali.",
    ),
    (
        "I rapporti nel settore della difesa hanno attraversato un decennio difficile, segnato dal caso degli "
        "elicotteri AgustaWestland e dalla vicenda dei due marò. Chiusi in larga parte entrambi i dossier, gli "
        "scambi tra le forze armate sono ripresi con regolarità.",
        "Archiviate le tensioni legate al caso AgustaWestland e alla vicenda dei marò, i rapporti militari tra Roma "
        "e Nuova Delhi hanno ripreso slancio.",
    ),
    (
        "Roma e Nuova Delhi hanno elevato i rapporti a partenariato strategico nel marzo 2023, con la visita della "
        "presidente del Consiglio Giorgia Meloni in India, e hanno poi adottato un Piano d'azione strategico "
        "congiunto 2025-2029.",
        "Dal 2023 i due Paesi sono legati da un partenariato strategico, rafforzato dal Piano d'azione congiunto "
        "2025-2029 che indica la difesa tra le priorità.",
    ),
    (
        "L'interscambio tra Italia e India vale circa 14 miliardi di euro l'anno e Nuova Delhi punta ad attrarre "
        "investimenti industriali nella difesa.",
        "Con la politica Make in India, Nuova Delhi chiede ai fornitori stranieri di produrre localmente anziché "
        "vendere sistemi già pronti.",
    ),
    ("Leonardo e Fincantieri sono presenti da tempo in India e cercano partner locali per nuovi progetti.",),
)
BG_NAVAL_EN: Background = (
    (
        "The Italian Navy has stepped up its presence in the Indian Ocean in recent years, with ships calling at "
        "Indian ports on their way to and from the Pacific.",
        "Italian warships have become more frequent visitors to the Indian Ocean as Rome extends its naval "
        "footprint towards the Indo-Pacific.",
        "Port calls by Italian ships in India have grown more frequent as Italy's navy extends its deployments "
        "east of Suez.",
    ),
    (
        "The navies of India and Italy hold regular staff talks, and Italian warships have taken part in Milan, "
        "the multinational exercise hosted by the Indian Navy at Visakhapatnam.",
        "The two navies meet regularly for staff talks, and Italy has sent ships to the Indian Navy's Milan exercise.",
    ),
    (
        "The Indian Navy regularly holds passage exercises with foreign warships transiting the Arabian Sea, a "
        "practice it says builds trust between maritime forces in the region.",
        "Passage exercises, or PASSEX, are short drills the Indian Navy conducts with visiting foreign warships "
        "to practise communicating and manoeuvring together.",
    ),
    (
        "Italian and Indian warships have operated in the same waters to protect merchant shipping from piracy "
        "off the Horn of Africa, and both navies now patrol the approaches to the Red Sea.",
        "Both navies have deployed ships to protect merchant traffic near the Gulf of Aden, where attacks on "
        "shipping have disrupted trade between Asia and Europe.",
    ),
)
BG_NAVAL_IT: Background = (
    (
        "Negli ultimi anni la Marina Militare ha intensificato la presenza nell'Oceano Indiano, con soste nei "
        "porti indiani durante i trasferimenti verso il Pacifico.",
        "Le soste di unità italiane in India sono sempre più frequenti, segno di una Marina Militare proiettata "
        "verso l'Indo-Pacifico.",
    ),
    (
        "Le due marine tengono colloqui periodici tra gli stati maggiori e unità italiane hanno partecipato a "
        "Milan, l'esercitazione multinazionale organizzata dalla Marina indiana a Visakhapatnam.",
        "Tra le due marine esistono colloqui regolari tra stati maggiori; l'Italia ha preso parte anche "
        "all'esercitazione multinazionale Milan.",
    ),
    (
        "Unità italiane e indiane hanno operato nelle stesse acque per proteggere il traffico mercantile dalla "
        "pirateria al largo del Corno d'Africa e oggi pattugliano entrambe gli accessi al Mar Rosso.",
        "Entrambe le marine sono impegnate nella protezione delle rotte commerciali tra Asia ed Europa, "
        "minacciate dagli attacchi nel Golfo di Aden.",
    ),
)
BG_AGUSTA_EN: Background = (
    (
        "The AgustaWestland affair strained relations between India and Italy for years. Finmeccanica, since "
        "renamed Leonardo, was kept out of new Indian defence contracts until the restrictions were eased in 2021.",
        "The scandal led New Delhi to freeze dealings with Finmeccanica, now Leonardo, for several years; the "
        "curbs were relaxed in 2021.",
    ),
    (
        "The case became a political flashpoint in India, with the government and the opposition trading "
        "charges over who was responsible for the deal and its cancellation.",
        "In India the helicopter deal has been a long-running political controversy between the ruling party "
        "and the opposition.",
    ),
    (
        "Investigators in India and Italy have long exchanged records through letters rogatory, and the "
        "translation of the Italian documents has repeatedly slowed the proceedings.",
        "Requests for evidence sent to Italy and other countries, and the translation of the Italian records, "
        "have been a recurring cause of delay in the trial.",
    ),
)
BG_AGUSTA_IT: Background = (
    (
        "La vicenda ha pesato a lungo sui rapporti tra Roma e Nuova Delhi: Finmeccanica, oggi Leonardo, è rimasta "
        "esclusa per anni dalle gare indiane, fino all'allentamento delle restrizioni nel 2021.",
        "Per anni il caso ha tenuto Finmeccanica, oggi Leonardo, fuori dalle commesse indiane; le restrizioni sono "
        "state allentate nel 2021.",
    ),
    (
        "In India il caso è diventato per anni terreno di scontro politico tra governo e opposizione.",
        "La commessa è stata a lungo al centro della polemica politica indiana.",
    ),
    (
        "Lo scambio di atti tra i due Paesi tramite rogatorie e la traduzione dei documenti italiani hanno "
        "rallentato più volte il procedimento a Nuova Delhi.",
    ),
)
BG_MARINES_EN: Background = (
    (
        "The Enrica Lexie case strained ties between New Delhi and Rome for nearly a decade. Latorre was allowed "
        "to return to Italy on health grounds in 2014, and Girone followed in 2016.",
        "For almost ten years the marines case soured relations between the two countries; both men eventually "
        "returned to Italy, Latorre in 2014 and Girone in 2016.",
    ),
    (
        "The dispute went to international arbitration after years of wrangling over whether India had "
        "jurisdiction over an incident that took place about 20.5 nautical miles off the coast.",
        "At the core of the dispute was jurisdiction: the shooting took place about 20.5 nautical miles off the "
        "Indian coast, outside territorial waters.",
    ),
    (
        "Italy argued throughout that the marines were state officials on duty and could be tried only by "
        "Italian courts, a position the arbitral tribunal largely accepted.",
        "Rome always maintained that the two men, as servicemen on official duty, were immune from Indian courts.",
    ),
)
BG_MARINES_IT: Background = (
    (
        "Il caso ha messo a dura prova per quasi un decennio i rapporti tra Roma e Nuova Delhi. Latorre rientrò "
        "in Italia per motivi di salute nel 2014, Girone nel 2016.",
        "Per quasi dieci anni la vicenda ha avvelenato i rapporti bilaterali; i due militari sono rientrati in "
        "Italia nel 2014 e nel 2016.",
    ),
    (
        "La controversia approdò all'arbitrato internazionale dopo anni di scontro sulla giurisdizione, dato che "
        "l'incidente avvenne a circa 20,5 miglia nautiche dalla costa indiana.",
        "Nodo centrale, la giurisdizione: gli spari avvennero a circa 20,5 miglia dalla costa, fuori dalle acque "
        "territoriali indiane.",
    ),
    (
        "L'Italia ha sempre sostenuto che i due militari, in servizio per conto dello Stato, potessero essere "
        "giudicati solo da tribunali italiani, tesi in larga parte accolta dal tribunale arbitrale.",
    ),
)

MEETING = Kind(
    titles_en=(
        "{in_title} holds talks with {it_title} {place}, {topic1} on agenda",
        "India, Italy agree to deepen defence ties at {level} talks in {city}",
        "{in_title}, {it_title} review defence cooperation {place}",
        "India-Italy {level} meeting {place} focuses on {topic1}",
        "{in_title} meets {it_title}; sides {outcome_head}",
        "India, Italy {outcome_head}",
        "{in_title} and {it_title} discuss {topic1} {place}",
    ),
    titles_it=(
        "Difesa, {it_title} incontra {in_title} {place}",
        "Italia-India, vertice {level} {place}: focus su {topic1}",
        "{it_title} e {in_title}, {outcome_head}",
        "Difesa, intesa Italia-India {place}: {outcome_head}",
        "{it_title} {place}, colloqui con {in_title} su {topic1}",
    ),
    leads_en=(
        "{in_full} held talks with {it_full} {venue} {on_day}, with {topics} high on the agenda.",
        "India and Italy reviewed their defence partnership {on_day} as {in_full} and {it_full} met {venue}.",
        "{it_full} and {in_full} met {venue} {on_day} and {outcome}.",
        "Defence ties between New Delhi and Rome were in focus {on_day} when {in_full} sat down with "
        "{it_full} {place}.",
        "{both} {outcome} at a meeting {venue} {on_day}.",
    ),
    leads_it=(
        "{in_full} e {it_full} si sono incontrati {il_giorno} {venue}: al centro dei colloqui {topics}.",
        "Incontro {il_giorno} {venue}, tra {it_full} e {in_full}, che hanno {outcome}.",
        "Italia e India rafforzano la cooperazione nella difesa: {il_giorno} {it_full} ha avuto un lungo "
        "colloquio con {in_full} {venue}.",
    ),
    slots=(
        Slot(
            "topics",
            0.2,
            key="{topics}",
            en=(
                "The talks covered {topics}, according to officials familiar with the discussions.",
                "{both} discussed {topics}.",
                "Officials said the agenda included {topics}, along with ways to speed up pending joint projects.",
                "Discussions ranged over {topics}, an official statement said.",
                "On the table were {topics}.",
            ),
            it=(
                "Sul tavolo {topics}.",
                "I colloqui hanno riguardato {topics}, secondo quanto riferito da fonti della Difesa.",
                "Tra i temi affrontati, {topics}.",
                "In agenda {topics}.",
            ),
        ),
        Slot(
            "outcome",
            0.3,
            key="{outcome}",
            en=(
                "The two sides {outcome}.",
                "At the end of the meeting, {both} {outcome}, officials said.",
                "According to a readout issued afterwards, the two sides {outcome}.",
                "In the most concrete result of the talks, New Delhi and Rome {outcome}.",
            ),
            it=(
                "Le due parti hanno {outcome}.",
                "Al termine dell'incontro {both} hanno {outcome}, si legge in una nota.",
                "Il risultato più concreto: Roma e Nuova Delhi hanno {outcome}.",
                "Sul piano operativo, i due hanno {outcome}.",
            ),
        ),
        Slot(
            "format",
            0.45,
            en=(
                "The one-on-one meeting, which lasted {duration}, was followed by delegation-level talks.",
                "{in_short} and {it_short} first spoke alone for {duration} before their delegations joined them.",
                "The meeting lasted {duration} and ended with a working lunch.",
                "Talks were held first in a restricted format, lasting {duration}, and then with full delegations.",
            ),
            it=(
                "Il colloquio a quattr'occhi, durato {duration}, è stato seguito da una sessione allargata alle "
                "delegazioni.",
                "Dopo un faccia a faccia di {duration}, i lavori sono proseguiti in formato allargato con le "
                "rispettive delegazioni.",
                "I colloqui, prima ristretti e poi allargati, sono durati complessivamente {duration}.",
            ),
        ),
        Slot(
            "ceremony",
            0.1,
            needs="memorial",
            en=(
                "Earlier, {visitor_short} was accorded a guard of honour and laid a wreath at {memorial}.",
                "{visitor_short} began the day by paying homage at {memorial}.",
                "Before the talks, the visiting {visitor_role} received a ceremonial guard of honour.",
                "{visitor_short} also laid a wreath at {memorial} during the day.",
            ),
            it=(
                "In mattinata {visitor_short} aveva reso omaggio ai caduti deponendo una corona {memorial}.",
                "Prima dei colloqui {visitor_short} è stato accolto con gli onori militari.",
                "Nel corso della giornata {visitor_short} ha anche deposto una corona {memorial}.",
            ),
        ),
        Slot(
            "visit",
            0.6,
            needs="visitor_short",
            en=(
                "{visitor_short} is on a {visit_len} visit to {host_country}.",
                "The meeting was part of {visitor_short}'s {visit_len} official visit to {host_country}, which "
                "will also take him to {next_stop}.",
                "From {city}, the visiting {visitor_role} is scheduled to travel to {next_stop}.",
                "{visitor_short} will leave for {next_city} on {leave}.",
            ),
            it=(
                "{visitor_short} è {host_country} per una visita ufficiale {visit_len}.",
                "La visita {visit_len} proseguirà {next_stop}.",
                "Da {city} {visitor_short} si sposterà il {leave} {next_stop}.",
            ),
        ),
        Slot(
            "context",
            0.7,
            en=(
                "The meeting comes months after the two countries adopted a Joint Strategic Action Plan for "
                "2025-2029, in which defence and security are among the main pillars.",
                "India and Italy raised their relationship to a strategic partnership in March 2023, and "
                "defence has since become one of its busiest strands.",
                "It was the {nth} meeting between {both} in less than a year.",
                "Contacts between the two defence establishments have become more frequent since 2023.",
            ),
            it=(
                "L'incontro segue l'adozione del Piano d'azione strategico congiunto 2025-2029, che individua "
                "nella difesa uno dei pilastri del rapporto.",
                "È il {nth} incontro tra {both} in meno di un anno.",
                "I contatti tra le due Difese si sono intensificati dal 2023.",
            ),
        ),
        Slot(
            "delegation",
            0.5,
            en=(
                "{in_short} was accompanied by senior officials of the defence ministry and the armed forces.",
                "The Indian delegation included officials of the Department of Defence Production and the "
                "Integrated Defence Staff.",
                "Senior officers and officials of both defence establishments attended the delegation-level talks.",
                "Both delegations included senior uniformed officers as well as civilian officials.",
            ),
            it=(
                "Della delegazione indiana facevano parte alti funzionari del ministero e delle forze armate.",
                "Ai colloqui allargati hanno preso parte alti ufficiali e funzionari delle due amministrazioni.",
                "Entrambe le delegazioni comprendevano alti ufficiali e funzionari civili.",
            ),
        ),
        Slot(
            "industry",
            0.55,
            en=(
                "Officials said both sides saw scope for Italian companies to partner Indian firms in shipbuilding, "
                "electronics and helicopters.",
                "Industrial cooperation featured prominently, with the Italian side keen to expand partnerships "
                "with Indian shipyards and electronics makers.",
                "The Indian side pressed for co-development and local production rather than outright purchases, "
                "officials said.",
                "Defence-industrial ties, including possible joint production in India, were a major theme.",
            ),
            it=(
                "Ampio spazio alla cooperazione industriale: l'Italia punta ad allargare le collaborazioni con "
                "cantieri e aziende elettroniche indiane.",
                "Da parte indiana è stata ribadita la preferenza per co-sviluppo e produzione locale rispetto "
                "all'acquisto di sistemi già pronti.",
                "Tema centrale anche la possibile produzione congiunta in India.",
            ),
        ),
        Slot(
            "region",
            0.65,
            en=(
                "The two sides also exchanged views on the war in Ukraine and the situation in West Asia.",
                "Regional security, including attacks on merchant shipping in the Red Sea, also came up.",
                "The conflict in West Asia and its effect on sea lanes between Europe and Asia were also discussed.",
                "The situation in Ukraine and West Asia also figured in the discussions.",
            ),
            it=(
                "Le parti hanno anche fatto il punto sulla guerra in Ucraina e sulla situazione in Medio Oriente.",
                "Si è parlato anche delle crisi regionali e della sicurezza delle rotte marittime tra Europa e Asia.",
                "Sul tavolo anche i principali dossier internazionali, dall'Ucraina al Medio Oriente.",
            ),
        ),
        Slot(
            "next",
            0.9,
            en=(
                "{both} agreed to meet again {next_meet}.",
                "A follow-up meeting is planned {next_meet}, officials said.",
                "The next round of talks is expected {next_meet}.",
                "The two sides will meet again {next_meet}, according to the ministry.",
            ),
            it=(
                "Il prossimo incontro è previsto {next_meet}.",
                "{both} hanno concordato di rivedersi {next_meet}.",
                "Nuovo appuntamento {next_meet}.",
            ),
        ),
    ),
    quotes_en=(
        "“India and Italy are natural partners for a free, open and rules-based Indo-Pacific,” {in_short} "
        "said after the talks.",
        "“We want our industries to design and build together, not only to buy and sell,” {it_short} told reporters.",
        "“Had a very productive meeting with {it_name}. We reviewed the entire range of our defence "
        "cooperation,” {in_short} said in a post on X.",
        "“The Mediterranean and the Indo-Pacific are one strategic space, and we intend to work in it "
        "together,” {it_short} said.",
    ),
    quotes_it=(
        "“L'India è un partner strategico per l'Italia e per l'Europa”, ha dichiarato {it_short} al termine "
        "dell'incontro.",
        "“Abbiamo concordato passi concreti, a partire dall'industria”, ha scritto {it_short} sui social.",
        "“Mediterraneo e Indo-Pacifico sono ormai un unico spazio strategico”, ha detto {it_short}.",
        "“Con l'Italia condividiamo l'impegno per un ordine internazionale fondato sulle regole”, ha "
        "affermato {in_short}.",
    ),
    background_en=BG_RELATIONS_EN,
    background_it=BG_RELATIONS_IT,
)

INDUSTRY = Kind(
    titles_en=(
        "{min_title} meets {host_nat} defence industry leaders in {city}",
        "{min_title} woos {host_nat} defence firms at {city} roundtable",
        "{min_title} holds interaction with CEOs of {host_nat} defence companies",
        "{min_title} to {host_nat} industry: {pitch_head}",
        "{min_title} pitches partnership to {host_nat} defence industry",
        "{host_nat} defence firms meet {min_title} in {city}",
    ),
    titles_it=(
        "Difesa, {min_title} incontra le aziende {host_nat} a {city}",
        "{min_title} e l'industria {host_nat_sg}: tavola rotonda a {city}",
        "Tavola rotonda a {city} tra {min_title} e le imprese {host_nat} della difesa",
        "{min_title} incontra l'industria {host_nat_sg} della difesa",
        "Imprese {host_nat} della difesa a confronto con {min_title}",
    ),
    leads_en=(
        "{min_full} met top executives of {n_firms} {host_nat} defence companies {place} {on_day} and {pitch}.",
        "{min_full} {pitch} {on_day}, addressing heads of {host_nat} defence firms {venue}.",
        "Chief executives from {firms} were among those who met {min_full} {venue} {on_day}.",
        "Industrial partnership took centre stage {on_day} as {min_full} held an interaction with "
        "{host_nat} defence industry leaders {venue}.",
    ),
    leads_it=(
        "{min_full} ha incontrato {il_giorno} {place} i vertici di {n_firms} aziende {host_nat} della difesa.",
        "Tavola rotonda con l'industria {venue} per {min_full}, che {il_giorno} ha {pitch}.",
        "{il_giorno} {min_full} ha {pitch}, nel corso di un incontro con i vertici delle imprese {host_nat} "
        "del settore {venue}.",
    ),
    slots=(
        Slot(
            "firms",
            0.3,
            key="{firms}",
            en=(
                "Those present included representatives of {firms}.",
                "Among the companies at the table were {firms}.",
                "The meeting brought together executives of {firms}, among others.",
                "{firms} were among the companies represented.",
            ),
            it=(
                "Presenti, tra gli altri, i rappresentanti di {firms}.",
                "Al tavolo sedevano tra gli altri {firms}.",
                "Tra le aziende rappresentate, {firms}.",
            ),
        ),
        Slot(
            "organiser",
            0.55,
            en=(
                "The interaction was organised by the embassy together with {organiser}.",
                "It was organised jointly with {organiser}.",
                "The roundtable was hosted with the support of {organiser}.",
                "{organiser} co-hosted the event.",
            ),
            it=(
                "L'incontro è stato organizzato insieme {organiser_con}.",
                "Tra gli organizzatori {organiser}.",
                "All'organizzazione ha contribuito {organiser}.",
            ),
        ),
        Slot(
            "pitch",
            0.25,
            key="{pitch}",
            en=(
                "{min_short} {pitch}.",
                "Speaking at the meeting, {min_short} {pitch}, officials said.",
                "According to a statement, {min_short} {pitch}.",
                "In his address, {min_short} {pitch}.",
            ),
            it=(
                "{min_short} ha {pitch}.",
                "Nel suo intervento {min_short} ha {pitch}.",
                "Nel corso dell'incontro {min_short} ha {pitch}.",
            ),
        ),
        Slot(
            "fig",
            0.5,
            en=(
                "{min_short} told the gathering that {fig}.",
                "{min_short} noted that {fig}.",
                "Officials pointed out that {fig}.",
                "{min_short} cited figures showing that {fig}.",
            ),
            it=(
                "{min_short} ha ricordato che {fig}.",
                "Nel corso dell'incontro è stato ricordato che {fig}.",
                "Secondo i dati citati da {min_short}, {fig}.",
            ),
        ),
        Slot(
            "time",
            0.1,
            needs="counterpart",
            en=(
                "The interaction took place {time}, hours after {min_short}'s formal talks with {counterpart}.",
                "{min_short} met the executives {time}, after concluding delegation-level talks with "
                "{counterpart} earlier in the day.",
                "The meeting with industry came {time}, following the official talks with {counterpart}.",
            ),
            it=(
                "L'incontro si è svolto {time}, dopo i colloqui ufficiali con {counterpart}.",
                "{min_short} ha visto gli imprenditori {time}, dopo il bilaterale con {counterpart}.",
                "L'appuntamento con le imprese è arrivato {time}, dopo l'incontro con {counterpart}.",
            ),
        ),
        Slot("policy", 0.75, en=("{policy}",), it=("{policy}",)),
        Slot(
            "followup",
            0.85,
            en=(
                "Officials said follow-up meetings between individual companies would be arranged over the coming "
                "weeks.",
                "The embassy will follow up with the companies that expressed interest, an official said.",
                "Officials expect the contacts made at the meeting to lead to company-level talks in the coming weeks.",
                "More detailed talks between individual companies are expected to follow.",
            ),
            it=(
                "Nelle prossime settimane sono previsti incontri di approfondimento tra le singole aziende.",
                "L'ambasciata seguirà da vicino i contatti avviati con le aziende interessate.",
                "Seguiranno incontri bilaterali tra le singole aziende.",
            ),
        ),
        Slot(
            "interest",
            0.65,
            en=(
                "Officials said several companies showed interest in {interest}.",
                "A number of firms were keen on {interest}, according to people present.",
                "Several executives raised the possibility of {interest}.",
                "Interest centred on {interest}, according to participants.",
            ),
            it=(
                "Diverse aziende hanno manifestato interesse per {interest}.",
                "Tra le ipotesi emerse, {interest}.",
                "Al centro dell'interesse, {interest}.",
            ),
        ),
    ),
    quotes_en=(
        "“Our doors are open to serious, long-term partners,” {min_short} told the gathering.",
        "“Industry is where this partnership will be judged,” {min_short} said.",
        "“We are not looking for buyers and sellers but for partners who build together,” {min_short} said.",
    ),
    quotes_it=(
        "“L'industria è il terreno su cui si misura questo partenariato”, ha detto {min_short}.",
        "“Le nostre porte sono aperte a partner seri e di lungo periodo”, ha affermato {min_short}.",
    ),
    background_en=BG_RELATIONS_EN,
    background_it=BG_RELATIONS_IT,
)

MOU = Kind(
    titles_en=(
        "{it_co}, {in_co} sign MoU for {subject_short} at {expo_title}",
        "{expo_title}: {in_co} ties up with Italy's {it_co}",
        "{in_co} inks pact with {it_co} on {subject_short}",
        "Italian firm {it_co} partners {in_co} for {subject_short}",
        "{in_co}, {it_co} to cooperate on {subject_short}",
        "MoU signed: {it_co} and {in_co} join hands on {subject_short}",
    ),
    titles_it=(
        "{expo_title}, intesa tra {it_co} e l'indiana {in_co} per {subject_short}",
        "{it_co} firma con {in_co}: accordo su {subject_short}",
        "India, memorandum {it_co}-{in_co} su {subject_short}",
        "Difesa, accordo tra {it_co} e {in_co} su {subject_short}",
        "{it_co} in India con {in_co}: intesa per {subject_short}",
    ),
    leads_en=(
        "Italy's {it_co} and India's {in_co} signed a memorandum of understanding for {subject} at {expo} "
        "{expo_place} {on_day}.",
        "{in_co} tied up with Italian defence company {it_co} {on_day} for {subject}, signing an MoU at {expo}.",
        "An agreement on {subject} between {in_co} and {it_co} was among the deals inked {on_day} at {expo} "
        "{expo_place}.",
        "{it_co} has signed an MoU with {in_co} covering {subject}, the two companies announced at {expo} {on_day}.",
    ),
    leads_it=(
        "{it_co} e l'indiana {in_co} hanno firmato {il_giorno} {expo_at} un memorandum d'intesa per {subject}.",
        "Intesa tra {it_co} e {in_co} per {subject}: l'accordo è stato siglato {il_giorno} {expo_at}.",
        "Nuovo accordo industriale tra Italia e India: {il_giorno} {expo_at} {it_co} ha siglato con {in_co} "
        "un memorandum d'intesa per {subject}.",
    ),
    slots=(
        Slot("detail", 0.15, en=("{detail}",), it=("{detail}",)),
        Slot(
            "signatories",
            0.45,
            en=(
                "The MoU was signed by {sign_it} of {it_co} and {sign_in} of {in_co}.",
                "{sign_in}, for {in_co}, and {sign_it}, for {it_co}, exchanged the signed documents.",
                "Senior executives of the two companies signed the agreement in the presence of {witness}.",
                "{sign_it} and {sign_in} put their names to the document.",
            ),
            it=(
                "Hanno firmato {sign_it} per {it_co} e {sign_in} per {in_co}.",
                "La firma è avvenuta alla presenza {witness}.",
                "A siglare l'intesa sono stati {sign_it} e {sign_in}.",
            ),
        ),
        Slot(
            "term",
            0.6,
            en=(
                "The agreement runs for {term} and can be extended.",
                "The MoU is valid for {term}.",
                "It has an initial term of {term}, the companies said.",
                "The MoU will initially remain in force for {term}.",
            ),
            it=(
                "L'accordo ha una durata di {term} ed è rinnovabile.",
                "Il memorandum resterà in vigore per {term}.",
                "L'intesa avrà una validità iniziale di {term}.",
            ),
        ),
        Slot(
            "expo",
            0.75,
            needs="expo_start",
            en=(
                "{expo} is being held {expo_place} from {expo_start} to {expo_end}.",
                "More than {n_exhib} exhibitors, {n_it_firms} of them from Italy, are taking part in this "
                "year's {expo_title}.",
                "The pact was one of {n_mous} agreements signed on the {expo_day} day of the show.",
                "The {expo_title} show runs until {expo_end}.",
            ),
            it=(
                "{expo} si svolge {expo_place} dal {expo_start} al {expo_end}.",
                "All'edizione di quest'anno partecipano oltre {n_exhib} espositori, {n_it_firms} dei quali italiani.",
                "L'intesa è una delle {n_mous} firmate nella {expo_day} giornata della manifestazione.",
                "La manifestazione si chiude il {expo_end}.",
            ),
        ),
        Slot("in_profile", 0.55, en=("{in_profile}",), it=("{in_profile}",)),
        Slot(
            "market",
            0.8,
            en=(
                "India wants to raise its defence exports and has been pushing foreign companies to form local "
                "partnerships.",
                "New Delhi's push for indigenous production has led several European defence companies to seek "
                "Indian partners.",
                "Under India's procurement rules, equipment designed and made in India gets preference in "
                "military orders.",
                "India's defence ministry has been pressing foreign suppliers to build more in the country.",
            ),
            it=(
                "L'India punta ad aumentare l'export militare e spinge i gruppi stranieri a stringere alleanze con "
                "aziende locali.",
                "Le regole indiane sugli appalti militari favoriscono i sistemi progettati e prodotti nel Paese.",
                "Nuova Delhi spinge da anni i produttori stranieri a investire nel Paese.",
            ),
        ),
        Slot(
            "next_steps",
            0.9,
            en=(
                "The two companies will now set up a joint team to draw up a business plan within six months.",
                "A definitive agreement is expected once the feasibility work is complete.",
                "Details of investment and work share are to be worked out over the coming months.",
                "The partners will form working groups to take the plan forward.",
            ),
            it=(
                "Le due aziende costituiranno ora un gruppo di lavoro per definire un piano industriale entro sei "
                "mesi.",
                "L'accordo definitivo è atteso al termine degli studi di fattibilità.",
                "I prossimi passi saranno definiti da gruppi di lavoro congiunti.",
            ),
        ),
        Slot("it_profile", 0.6, en=("{it_profile}",), it=("{it_profile}",)),
    ),
    quotes_en=(
        "“India is a strategic market for us, and we want to grow there with local partners,” said {sign_it_name}, "
        "{sign_it_role} of {it_co}.",
        "“This partnership is in line with the vision of Aatmanirbhar Bharat,” said {sign_in_name}, {sign_in_role} of "
        "{in_co}.",
        "“The agreement brings proven technology to India and gives both companies access to new "
        "markets,” {sign_it_name} of {it_co} said.",
    ),
    quotes_it=(
        "“L'India è un mercato strategico e vogliamo crescere insieme a partner locali”, ha dichiarato {sign_it_name}, "
        "{sign_it_role} di {it_co}.",
        "“Questo accordo porta in India una tecnologia collaudata”, ha spiegato {sign_it_name} di {it_co}.",
    ),
    background_en=BG_RELATIONS_EN,
    background_it=BG_RELATIONS_IT,
)

PORT_CALL = Kind(
    titles_en=(
        "Italian Navy's {ship} arrives in {port} on {days} visit",
        "Italian warship {ship} docks in {port}",
        "{ship} on port call at {port}",
        "Italian {type} {ship} makes port call in {port}",
        "Italian Navy ship {ship} calls at {port}",
        "{ship} in {port} for {days} port call",
    ),
    titles_it=(
        "Marina Militare, {ship_title} in sosta a {port}",
        "India, sosta a {port} per {ship}",
        "{ship_title} a {port} per {days} giorni",
        "{ship_title} in India, sosta a {port}",
        "Marina Militare in India: {ship_title} a {port}",
    ),
    leads_en=(
        "Italian Navy {type} {ship} arrived in {port} {on_day} for a {days} port call, the Indian Navy said.",
        "{ship}, {type_a} of the Italian Navy, berthed at {harbour} {on_day}.",
        "The Italian Navy's {ship} is in {port} on a {days} visit that began {on_day}.",
        "An Italian warship, {ship}, docked in {port} {on_day} and was welcomed by the Indian Navy band.",
        "{port} welcomed the Italian {type} {ship} {on_day}, as the ship continues {deployment}.",
    ),
    leads_it=(
        "{ship} ha raggiunto {il_giorno} il porto di {port}, dove resterà {days} giorni.",
        "Sosta in India per {ship}: l'unità della Marina Militare ha ormeggiato {il_giorno} {harbour}.",
        "{il_giorno} {ship} ha fatto il suo ingresso nel porto di {port}, nell'ambito di {deployment}.",
    ),
    slots=(
        Slot(
            "welcome",
            0.15,
            key="band",
            en=(
                "The ship was received by officials of the {command}, and the Indian Navy band played on the jetty.",
                "{ship} was welcomed with a traditional band performance on arrival.",
                "Officers of the {command} received the visiting ship.",
                "A ceremonial welcome was arranged at the jetty by the {command}.",
            ),
            it=(
                "Ad accogliere l'unità, rappresentanti del {command} e la banda della Marina indiana.",
                "All'arrivo l'equipaggio è stato accolto dalla banda della Marina indiana e da ufficiali del "
                "{command}.",
                "Il {command} ha organizzato la tradizionale cerimonia di benvenuto in banchina.",
            ),
        ),
        Slot(
            "crew",
            0.3,
            en=(
                "The ship, commanded by {commander}, has a crew of {crew}.",
                "{commander} commands the vessel, which has {crew} on board.",
                "It carries {crew} under the command of {commander}.",
                "{commander} is in command of the ship's company of {crew}.",
            ),
            it=(
                "L'unità, al comando del {commander}, ha un equipaggio di {crew}.",
                "A bordo {crew}, agli ordini del {commander}.",
                "Al comando dell'unità c'è il {commander}; l'equipaggio conta {crew}.",
            ),
        ),
        Slot(
            "activities",
            0.4,
            en=(
                "During the stay, the crew will take part in {activities}.",
                "Planned activities include {activities}.",
                "The programme for the visit includes {activities}, the Navy said.",
                "The crew's programme in port includes {activities}.",
            ),
            it=(
                "Il programma della sosta prevede {activities}.",
                "Durante la permanenza in porto sono in programma {activities}.",
                "Tra le attività in programma, {activities}.",
            ),
        ),
        Slot(
            "courtesy",
            0.5,
            en=(
                "{commander} is scheduled to call on {flag_officer}.",
                "The commanding officer will pay a courtesy call on {flag_officer}.",
                "Courtesy calls on {flag_officer} and on local civil authorities are also planned.",
            ),
            it=(
                "Il comandante renderà visita di cortesia {flag_officer}.",
                "In agenda anche la visita di cortesia {flag_officer}.",
                "Tra gli impegni del comandante, la visita di cortesia {flag_officer}.",
            ),
        ),
        Slot(
            "deployment",
            0.6,
            key="{deployment}",
            en=(
                "The visit is part of {deployment}, during which the ship has already called at {prev_port}.",
                "{ship} arrived from {prev_port} and will leave for {next_port} on {depart}.",
                "The port call comes as part of {deployment}.",
                "After leaving {port} on {depart}, the ship will head for {next_port}.",
            ),
            it=(
                "La sosta si inserisce nell'ambito di {deployment}.",
                "Proveniente da {prev_port}, l'unità ripartirà il {depart} diretta a {next_port}.",
                "L'unità è impegnata in {deployment}.",
            ),
        ),
        Slot(
            "reception",
            0.7,
            en=(
                "{reception} is also planned.",
                "The programme also includes {reception}.",
                "Also on the programme is {reception}.",
            ),
            it=(
                "È previsto anche {reception}.",
                "In programma anche {reception}.",
                "Tra gli appuntamenti, anche {reception}.",
            ),
        ),
        Slot(
            "public",
            0.8,
            en=(
                "The ship will be open to schoolchildren and members of the public on {open_day}.",
                "Local schoolchildren will be invited on board on {open_day}.",
                "On {open_day} the ship will welcome visitors, including students from local schools.",
            ),
            it=(
                "La nave sarà aperta alle visite di scolaresche e pubblico il {open_day}.",
                "Il {open_day} l'unità aprirà le porte alle scuole della città.",
                "Il {open_day} è prevista l'apertura al pubblico.",
            ),
        ),
        Slot(
            "embassy",
            0.2,
            en=(
                "Officials of the Italian embassy in New Delhi were present on arrival.",
                "Representatives of the Italian embassy joined the Indian Navy officers on the jetty.",
                "A delegation from the Italian embassy was at the jetty to receive the ship.",
            ),
            it=(
                "Presenti all'arrivo anche rappresentanti dell'ambasciata d'Italia a Nuova Delhi.",
                "Sulla banchina anche una rappresentanza dell'ambasciata d'Italia.",
                "All'arrivo era presente anche personale dell'ambasciata d'Italia.",
            ),
        ),
        Slot("history", 0.9, en=("{history}",), it=("{history}",)),
        Slot(
            "spec",
            0.85,
            en=(
                "Commissioned in {year}, {ship} is {length} metres long and displaces about {tons} tonnes.",
                "The {type}, in service since {year}, is {length} metres long.",
                "{ship} entered service in {year} and displaces some {tons} tonnes.",
                "The {type} is {length} metres long and was commissioned in {year}.",
            ),
            it=(
                "Entrata in servizio nel {year}, l'unità è lunga {length} metri e disloca circa {tons} tonnellate.",
                "In servizio dal {year}, l'unità ha una lunghezza di {length} metri.",
                "L'unità, consegnata nel {year}, ha un dislocamento di circa {tons} tonnellate.",
            ),
        ),
    ),
    quotes_en=(
        "“This visit reflects the strong bonds between our two navies and our shared interest in a safe "
        "Indian Ocean,” {commander} said.",
        "“Visits like this build trust between sailors, which is the basis of every operation at sea,” an "
        "Indian Navy spokesperson said.",
    ),
    quotes_it=(
        "“Questa sosta testimonia il legame tra le nostre marine e il comune interesse per la sicurezza "
        "dell'Oceano Indiano”, ha dichiarato il {commander}.",
        "“Sono occasioni preziose per conoscersi e lavorare insieme”, ha detto il comandante dell'unità.",
    ),
    background_en=BG_NAVAL_EN,
    background_it=BG_NAVAL_IT,
)

EXERCISE = Kind(
    titles_en=(
        "Indian, Italian navies hold {ex_short} {area}",
        "{in_ship_name} and Italy's {ship} exercise {area}",
        "Indian Navy conducts {ex_short} with Italian ship {ship}",
        "India, Italy warships sharpen interoperability {area}",
        "Italian ship {ship} drills with Indian Navy {area}",
        "{ex_short} {area}: {in_ship_name} sails with Italy's {ship}",
    ),
    titles_it=(
        "Marina Militare, esercitazione con la Marina indiana {area}",
        "{ship_title} e {in_ship_name} insieme {area}",
        "Esercitazione italo-indiana {area}",
        "Marina Militare e Marina indiana, attività congiunta {area}",
        "{ship_title} si addestra con la Marina indiana {area}",
    ),
    leads_en=(
        "The Indian Navy's {in_ship_name} and the Italian Navy's {ship} carried out {ex_name} {area} {on_day}.",
        "Indian and Italian warships exercised together {area} {on_day}, with {in_ship_name} and {ship} "
        "practising {serial1} among other drills.",
        "{ship} sailed with {in_ship_name} for {ex_name} {area} {on_day}, the Indian Navy said.",
        "A {duration} maritime partnership exercise between India and Italy got under way {area} {on_day}, "
        "involving {in_ship_name} and the visiting {ship}.",
    ),
    leads_it=(
        "{ship} ha condotto {il_giorno} {area} {ex_name} con {in_ship} della Marina indiana.",
        "Esercitazione congiunta {area} tra Marina Militare e Marina indiana: {il_giorno} {ship} ha operato "
        "con {in_ship}.",
        "{il_giorno} {area} {ship} e {in_ship} della Marina indiana hanno svolto {ex_name}.",
    ),
    slots=(
        Slot(
            "serials",
            0.3,
            en=(
                "The drills included {serials}.",
                "The two ships practised {serials}.",
                "According to the Navy, the exercise featured {serials}.",
                "Serials included {serials}.",
            ),
            it=(
                "Il programma ha incluso {serials}.",
                "Le unità hanno svolto {serials}.",
                "In programma {serials}.",
            ),
        ),
        Slot(
            "aircraft",
            0.45,
            en=(
                "{aircraft} also took part.",
                "The exercise also involved {aircraft}.",
                "{aircraft} joined the two ships for part of the exercise.",
            ),
            it=(
                "All'attività ha partecipato anche {aircraft}.",
                "Alla fase aerea ha preso parte {aircraft}.",
                "Alle attività si è unito anche {aircraft}.",
            ),
        ),
        Slot(
            "purpose",
            0.6,
            en=(
                "The exercise was aimed at improving interoperability and understanding between the two navies.",
                "Officials said such exercises help the two navies operate together in humanitarian or "
                "security contingencies.",
                "The aim was to strengthen interoperability and share best practices, the Navy said.",
                "The Navy said the drills were meant to build interoperability between the two fleets.",
            ),
            it=(
                "L'obiettivo è accrescere l'interoperabilità tra le due marine.",
                "Attività di questo tipo consentono alle due marine di operare insieme in caso di crisi o "
                "emergenze umanitarie.",
                "Scopo dell'attività, migliorare la capacità delle due marine di operare insieme.",
            ),
        ),
        Slot(
            "after_port",
            0.15,
            needs="after_port",
            en=(
                "The exercise followed {after_port}.",
                "{ship} put to sea for the drills at the end of {after_port}.",
                "It came soon after {after_port}.",
            ),
            it=(
                "L'esercitazione è seguita alla {after_port}.",
                "L'attività è arrivata al termine della {after_port}.",
                "L'esercitazione ha fatto seguito alla {after_port}.",
            ),
        ),
        Slot(
            "in_ship",
            0.5,
            en=(
                "{in_ship_name} is {in_desc} of the {fleet}.",
                "The Indian side was represented by {in_ship_name}, {in_desc} of the {fleet}.",
                "{in_ship_name}, {in_desc} based with the {fleet}, led the Indian side.",
            ),
            it=(
                "{in_ship_name} è {in_desc} in forza alla {fleet}.",
                "Per la Marina indiana ha partecipato {in_ship_name}, {in_desc} della {fleet}.",
                "Dalla parte indiana ha operato {in_ship_name}, {in_desc}.",
            ),
        ),
        Slot(
            "next",
            0.85,
            en=(
                "After the exercise, {ship} will continue to {next_port}.",
                "The Italian ship is next bound for {next_port}.",
                "{ship} will now resume its deployment, with {next_port} as the next port of call.",
            ),
            it=(
                "Al termine l'unità proseguirà verso {next_port}.",
                "La prossima tappa della nave italiana sarà {next_port}.",
                "L'unità italiana riprenderà ora la navigazione verso {next_port}.",
            ),
        ),
        Slot(
            "farewell",
            0.92,
            en=(
                "The exercise concluded with an exchange of greetings between the commanding officers over radio.",
                "The ships parted company in the evening after a customary exchange of greetings.",
                "At the end of the day the two ships exchanged greetings and went their separate ways.",
            ),
            it=(
                "L'attività si è chiusa con il saluto via radio tra i comandanti delle due unità.",
                "In serata le due navi si sono separate dopo il tradizionale scambio di saluti.",
                "A fine giornata le due unità si sono separate con il consueto saluto.",
            ),
        ),
        Slot(
            "conditions",
            0.4,
            en=(
                "The two ships operated in close formation for several hours in moderate seas.",
                "Despite a moderate swell, all planned serials were completed, officials said.",
                "Weather conditions allowed the full programme to be carried out.",
            ),
            it=(
                "Le unità hanno operato in formazione ravvicinata per diverse ore, con mare moderato.",
                "Nonostante il mare mosso, tutte le attività previste sono state completate.",
                "Le condizioni meteo hanno consentito di svolgere l'intero programma.",
            ),
        ),
        Slot(
            "command",
            0.7,
            en=(
                "The exercise was coordinated by the {command}.",
                "The {command} planned the exercise.",
                "Planning was handled by the headquarters of the {command}.",
            ),
            it=(
                "L'attività è stata coordinata dal {command}.",
                "A pianificare l'esercitazione è stato il {command}.",
                "Coordinamento affidato al {command}.",
            ),
        ),
    ),
    quotes_en=(
        "“Such exercises reinforce our shared commitment to maritime security in the region,” an Indian "
        "Navy spokesperson said.",
        "“Operating alongside the Indian Navy is always a valuable experience for our crew,” the Italian "
        "ship's commanding officer said.",
    ),
    quotes_it=(
        "“Operare con la Marina indiana è sempre un'esperienza preziosa per l'equipaggio”, ha detto il "
        "comandante dell'unità.",
        "“Sono attività che rafforzano la fiducia reciproca tra le due marine”, ha sottolineato la Marina "
        "Militare in una nota.",
    ),
    background_en=BG_NAVAL_EN,
    background_it=BG_NAVAL_IT,
)

PROCUREMENT = Kind(
    titles_en=(
        "MoD signs {value} contract with {supplier_short} for {item}",
        "{supplier_short} bags {value} defence ministry order for {qty_item}",
        "{service} to get {qty_item} in {value} deal",
        "Defence ministry inks {value} deal for {item} with Italian technology",
        "{supplier_short} wins {value} contract for {item}",
        "{value} order: {qty_item} from {supplier_short}, with Italian know-how",
    ),
    titles_it=(
        "India, commessa da {value_short} per {qty_item}",
        "{partner}, tecnologia italiana in un contratto indiano da {value_short}",
        "Nuova Delhi ordina {qty_item} a {supplier_short}",
        "{supplier_short} si aggiudica una commessa da {value_short} per {qty_item}",
        "Commessa indiana per {qty_item}, c'è anche {partner}",
    ),
    leads_en=(
        "The Ministry of Defence signed a contract worth {value} with {supplier} {on_day} for {qty_item}, "
        "{partner_role}.",
        "{supplier} has bagged a {value} order from the defence ministry for {qty_item}, the ministry said {on_day}.",
        "India placed an order for {qty_item} with {supplier} {on_day}, in a deal worth {value} that involves "
        "technology from Italy's {partner}.",
        "In a boost to indigenous manufacturing, the defence ministry {on_day} signed a {value} contract with "
        "{supplier} for {qty_item}.",
    ),
    leads_it=(
        "Il ministero della Difesa indiano ha firmato {il_giorno} un contratto da {value} con {supplier} per "
        "{qty_item}, con tecnologia dell'italiana {partner}.",
        "Commessa da {value} per {supplier}: Nuova Delhi ha ordinato {il_giorno} {qty_item}, su tecnologia {partner}.",
        "{partner} entra in una commessa indiana da {value}: {il_giorno} il ministero della Difesa di Nuova "
        "Delhi ha firmato con {supplier} un contratto per {qty_item}.",
    ),
    slots=(
        Slot(
            "platform",
            0.2,
            en=(
                "The {item_short} are meant for {platform}.",
                "They will be fitted on {platform}, the ministry said.",
                "The order covers requirements of {platform}.",
                "The {item_short} will go to {platform}.",
            ),
            it=(
                "La fornitura è destinata {platform_a}.",
                "Tra i destinatari della fornitura, {platform}.",
                "Le forniture andranno {platform_a}.",
            ),
        ),
        Slot("partner", 0.3, en=("{partner_note}",), it=("{partner_note}",)),
        Slot(
            "delivery",
            0.5,
            en=(
                "Deliveries are scheduled to be completed by {delivery}.",
                "The contract is to be executed over {years} years.",
                "The first units are due within two years, with the order completed by {delivery}.",
            ),
            it=(
                "Le consegne si concluderanno entro il {delivery}.",
                "Il contratto sarà eseguito nell'arco di {years} anni.",
                "Il completamento delle consegne è previsto per il {delivery}.",
            ),
        ),
        Slot(
            "content",
            0.6,
            en=(
                "The procurement falls under the Buy (Indian) category, with indigenous content of over "
                "{ind} per cent.",
                "Officials said over {ind} per cent of the content would be sourced within India.",
                "Much of the equipment will be made in India, with indigenous content of more than {ind} per cent.",
            ),
            it=(
                "La commessa rientra nella categoria Buy (Indian), con un contenuto nazionale superiore al "
                "{ind} per cento.",
                "Oltre il {ind} per cento delle componenti sarà prodotto in India.",
                "Il contenuto indigeno supererà il {ind} per cento.",
            ),
        ),
        Slot(
            "jobs",
            0.7,
            en=(
                "The project is expected to generate about {jobs} jobs, including in small and medium enterprises.",
                "The ministry said the order would sustain some {jobs} jobs over the contract period.",
                "Around {jobs} people are expected to work on the programme, the ministry said.",
            ),
            it=(
                "Il progetto dovrebbe generare circa {jobs} posti di lavoro, anche nelle piccole e medie imprese.",
                "Secondo il ministero la commessa sosterrà circa {jobs} posti di lavoro.",
                "Sono attesi circa {jobs} posti di lavoro.",
            ),
        ),
        Slot(
            "dap",
            0.75,
            en=(
                "The contract was signed under the Defence Acquisition Procedure 2020, which gives preference to "
                "equipment designed and made in India.",
                "The order follows approval by the Defence Acquisition Council last year.",
                "The procurement had been cleared by the Defence Acquisition Council, chaired by the defence minister.",
            ),
            it=(
                "Il contratto rientra nella procedura di acquisizione DAP 2020, che privilegia i sistemi progettati "
                "e prodotti in India.",
                "La commessa era stata approvata lo scorso anno dal Defence Acquisition Council.",
                "La commessa aveva già ottenuto il via libera del Defence Acquisition Council.",
            ),
        ),
        Slot(
            "signing",
            0.4,
            en=(
                "The contract was signed in New Delhi by senior officials of the ministry and representatives of "
                "{supplier_short}.",
                "Officials of the ministry's acquisition wing and of {supplier_short} signed the contract in South "
                "Block.",
                "Representatives of {supplier_short} and the defence ministry exchanged the contract documents in "
                "New Delhi.",
            ),
            it=(
                "La firma è avvenuta a Nuova Delhi tra alti funzionari del ministero e rappresentanti di "
                "{supplier_short}.",
                "Il contratto è stato firmato nella sede del ministero, a South Block.",
            ),
        ),
        Slot(
            "year_total",
            0.8,
            en=(
                "With this, the ministry has signed {n_contracts} capital acquisition contracts so far in the "
                "current financial year.",
                "It is the ministry's {n_contracts_ord} capital contract of the financial year.",
                "The ministry has now signed {n_contracts} capital contracts in the current financial year.",
            ),
            it=(
                "Con questo, il ministero ha firmato finora {n_contracts} contratti di acquisizione nell'anno "
                "finanziario in corso.",
                "Si tratta del {n_contracts_ord} contratto di acquisizione dell'anno finanziario.",
                "Dall'inizio dell'anno finanziario il ministero ha firmato {n_contracts} contratti di acquisizione.",
            ),
        ),
    ),
    quotes_en=(
        "“This contract will strengthen indigenous capability and reduce dependence on imports,” the ministry "
        "said in a statement.",
        "“We are proud to remain a long-term partner of the Indian Navy,” a spokesperson for {partner} said.",
    ),
    quotes_it=(
        "“La fornitura conferma la solidità della nostra presenza in India”, ha commentato un portavoce di {partner}.",
        "“È un segnale di fiducia nella tecnologia italiana”, ha detto una fonte del settore.",
    ),
    background_en=BG_RELATIONS_EN,
    background_it=BG_RELATIONS_IT,
)

AGUSTA = Kind(
    titles_en=(
        "AgustaWestland case: {court_head} {head}",
        "VVIP chopper case: {court_head} {head}",
        "{court_head} {head} in AgustaWestland case",
        "{court_head} {head}",
        "Chopper scam: {court_head} {head}",
    ),
    titles_it=(
        "AgustaWestland, {court_head} {head}",
        "Caso AgustaWestland: {head2}",
        "Elicotteri AgustaWestland, {head2}",
        "India, {court_head} {head}",
        "Tangenti AgustaWestland, {head2}",
    ),
    leads_en=(
        "Hearing the AgustaWestland VVIP helicopter {case_type} {on_day}, {court_full} {decision}.",
        "In the AgustaWestland chopper {case_type}, {court_full} {on_day} {decision}.",
        "The AgustaWestland case was back in court {on_day}, when {court_full} {decision}.",
        "{court_full} {on_day} {decision} in the {case_type} linked to the cancelled deal for 12 AW101 helicopters.",
    ),
    leads_it=(
        "Caso AgustaWestland: {court_full} {il_giorno} {decision}.",
        "{il_giorno} {court_full} {decision}, nell'ambito del {case_type} sulla fornitura di elicotteri "
        "AgustaWestland all'India.",
        "Nuova udienza in India sul caso degli elicotteri AgustaWestland: {court_full} {il_giorno} {decision}.",
    ),
    slots=(
        Slot("d1", 0.15, en=("{d1}",), it=("{d1}",)),
        Slot("d2", 0.3, en=("{d2}",), it=("{d2}",)),
        Slot(
            "next",
            0.9,
            needs="next",
            en=(
                "The matter will come up again on {next}.",
                "The court listed the case for further hearing on {next}.",
                "The next hearing is on {next}.",
                "Further proceedings are scheduled for {next}.",
            ),
            it=(
                "Prossima udienza il {next}.",
                "Il caso tornerà in aula il {next}.",
                "L'udienza è stata aggiornata al {next}.",
            ),
        ),
        Slot(
            "deal",
            0.6,
            en=(
                "The case relates to the 2010 contract for 12 AW101 helicopters for VIP transport, worth "
                "Rs 3,600 crore, which India cancelled in 2014 amid allegations of bribery.",
                "India signed the Rs 3,600 crore deal with AgustaWestland, then a unit of Italy's Finmeccanica, "
                "for 12 VVIP helicopters in 2010; it was scrapped four years later.",
                "At the heart of the case is the purchase of 12 AW101 helicopters meant to fly India's top "
                "leaders, a deal cancelled in 2014 after bribery allegations surfaced in Italy.",
                "The 2010 deal, for 12 helicopters to fly India's President, Prime Minister and other VIPs, was "
                "cancelled in 2014.",
            ),
            it=(
                "Il procedimento riguarda la fornitura di dodici elicotteri AW101 per il trasporto delle alte "
                "cariche dello Stato indiano, una commessa da circa 560 milioni di euro firmata nel 2010 e "
                "annullata da Nuova Delhi nel 2014 tra accuse di tangenti.",
                "Al centro del caso c'è il contratto da 3.600 crore di rupie per 12 elicotteri AgustaWestland, "
                "allora controllata di Finmeccanica, oggi Leonardo.",
                "La commessa, per dodici elicotteri destinati al trasporto di presidente e premier indiani, fu "
                "annullata nel 2014.",
            ),
        ),
        Slot("bio", 0.45, en=("{acc_bio}",), it=("{acc_bio}",)),
        Slot(
            "claims",
            0.55,
            en=(
                "{agency_short} alleges that bribes of about Rs 423 crore were paid to swing the contract.",
                "According to the investigators, kickbacks of around Rs 423 crore were routed through middlemen.",
                "Investigators claim that part of the money was paid to influence decision-makers in India.",
            ),
            it=(
                "Secondo l'accusa indiana sarebbero state pagate tangenti per circa 423 crore di rupie.",
                "Gli inquirenti indiani ipotizzano il pagamento di circa 423 crore di rupie attraverso intermediari.",
                "L'accusa sostiene che parte del denaro servì a orientare la scelta del fornitore.",
            ),
        ),
        Slot(
            "italy",
            0.75,
            en=(
                "In Italy, former Finmeccanica chief Giuseppe Orsi and former AgustaWestland CEO Bruno "
                "Spagnolini were eventually acquitted of corruption charges linked to the deal.",
                "The Italian trial over the same contract ended with the acquittal of the company's former "
                "top executives.",
                "The parallel Italian proceedings against the former heads of Finmeccanica and AgustaWestland ended "
                "in acquittals.",
            ),
            it=(
                "In Italia l'ex presidente di Finmeccanica Giuseppe Orsi e l'ex amministratore delegato di "
                "AgustaWestland Bruno Spagnolini sono stati alla fine assolti.",
                "Il filone italiano del caso si è chiuso con l'assoluzione degli ex vertici dell'azienda.",
                "In Italia, invece, il processo si è chiuso con le assoluzioni.",
            ),
        ),
        Slot(
            "presence",
            0.2,
            en=(
                "{acc_short} was produced before the court from Tihar jail.",
                "{acc_short} appeared through video conference from Tihar jail.",
                "{acc_short}, who is lodged in Tihar jail, was present in court.",
            ),
            it=(
                "{acc_short} è comparso in collegamento video dal carcere di Tihar.",
                "L'imputato ha seguito l'udienza dal carcere di Tihar.",
            ),
        ),
        Slot(
            "chargesheets",
            0.7,
            en=(
                "{agency_short} has filed a main chargesheet and several supplementary chargesheets in the case.",
                "Several supplementary chargesheets have been filed since the first one in 2017.",
                "The agency's case is laid out in a main chargesheet and several supplementary ones.",
            ),
            it=(
                "Nel procedimento l'accusa ha depositato un atto d'accusa principale e diversi supplementari.",
                "Agli atti ci sono un'imputazione principale e diverse integrazioni successive.",
            ),
        ),
        Slot(
            "judge",
            0.35,
            en=(
                "The matter was heard by {judge}.",
                "{judge} is hearing the case.",
                "Proceedings were conducted by {judge}.",
            ),
            it=(
                "A presiedere l'udienza il {judge}.",
                "Il procedimento è affidato al {judge}.",
            ),
        ),
    ),
    quotes_en=(
        "“My client has been in jail for years without trial. This is punishment before conviction,” "
        "{lawyer} told reporters outside the court.",
        "“We will place all the evidence before the court at the appropriate stage,” an official of "
        "{agency_short} said.",
    ),
    quotes_it=(
        "“Il mio assistito è in carcere da anni senza processo”, ha detto ai giornalisti {lawyer}.",
        "“Abbiamo fiducia nella giustizia indiana”, ha commentato una fonte vicina alla difesa.",
    ),
    background_en=BG_AGUSTA_EN,
    background_it=BG_AGUSTA_IT,
)

MARINES = Kind(
    titles_en=(
        "Enrica Lexie case: {court_head} {head}",
        "Italian marines case: {court_head} {head}",
        "{court_head} {head} in Italian marines case",
        "Kerala fishermen killing case: {court_head} {head}",
        "Enrica Lexie: {court_head} {head}",
    ),
    titles_it=(
        "Marò, {court_head} {head}",
        "Caso Enrica Lexie: {head2}",
        "Caso marò, {head2}",
        "Enrica Lexie, {court_head} {head}",
        "India, {head2}",
    ),
    leads_en=(
        "{court_full} {on_day} {decision} in the 2012 Enrica Lexie case, in which two Indian fishermen were "
        "shot dead off the Kerala coast.",
        "Thirteen years after the Enrica Lexie shooting, {court_full} {on_day} {decision}.",
        "In the Italian marines case, {court_full} {on_day} {decision}.",
    ),
    leads_it=(
        "Caso marò: {court_full} {il_giorno} {decision}.",
        "Torna in un'aula di giustizia indiana la vicenda dell'Enrica Lexie: {il_giorno} {court_full} {decision}.",
        "{il_giorno} {court_full} {decision}, nel procedimento nato dalla morte di due pescatori indiani al "
        "largo del Kerala nel febbraio 2012.",
    ),
    slots=(
        Slot("d1", 0.15, en=("{d1}",), it=("{d1}",)),
        Slot("d2", 0.3, en=("{d2}",), it=("{d2}",)),
        Slot(
            "next",
            0.9,
            needs="next",
            en=(
                "The matter will be taken up again on {next}.",
                "The case was posted for {next}.",
                "The next hearing is on {next}.",
                "Further hearing is set for {next}.",
            ),
            it=(
                "Prossima udienza il {next}.",
                "Il caso tornerà in aula il {next}.",
                "Udienza rinviata al {next}.",
            ),
        ),
        Slot(
            "incident",
            0.5,
            en=(
                "The two fishermen, Valentine Jelastine and Ajeesh Pink, were shot dead off the Kerala coast "
                "in February 2012 by {marines}, who were guarding the Italian oil tanker Enrica Lexie "
                "against pirates.",
                "The case goes back to 15 February 2012, when {marines}, on anti-piracy duty aboard the "
                "tanker Enrica Lexie, fired at the fishing boat St Antony, killing two of its crew.",
                "Two fishermen from Kerala were killed when {marines}, deployed on the Enrica Lexie, opened "
                "fire on their boat, apparently mistaking it for a pirate vessel.",
            ),
            it=(
                "Il 15 febbraio 2012 {marines}, imbarcati sulla petroliera Enrica Lexie con compiti "
                "antipirateria, aprirono il fuoco sul peschereccio St Antony uccidendo due pescatori.",
                "La vicenda risale al febbraio 2012, quando due pescatori indiani furono uccisi al largo del "
                "Kerala; dell'accaduto furono accusati {marines}.",
                "Tutto cominciò nel febbraio 2012, quando dalla petroliera Enrica Lexie partirono i colpi che "
                "uccisero due pescatori del Kerala; sotto accusa finirono {marines}.",
            ),
        ),
        Slot(
            "arbitration",
            0.65,
            en=(
                "In 2020 an arbitral tribunal at the Permanent Court of Arbitration in The Hague held that the "
                "marines enjoyed immunity from Indian jurisdiction but that India was entitled to compensation.",
                "An international arbitral tribunal ruled in 2020 that the marines were immune from trial in "
                "India, while upholding India's claim to compensation.",
                "The Hague tribunal found in 2020 that Italy had breached India's freedom of navigation but that the "
                "marines were immune from Indian courts.",
            ),
            it=(
                "Nel 2020 il tribunale arbitrale della Corte permanente di arbitrato dell'Aia ha riconosciuto "
                "l'immunità funzionale dei due militari, stabilendo però il diritto dell'India a un risarcimento.",
                "Il lodo arbitrale dell'Aia del 2020 ha dato ragione all'Italia sulla giurisdizione e all'India "
                "sul risarcimento.",
                "Nel 2020 il tribunale dell'Aia ha escluso la giurisdizione indiana sui due militari, riconoscendo "
                "però un risarcimento all'India.",
            ),
        ),
        Slot(
            "compensation",
            0.6,
            en=(
                "Italy deposited Rs 10 crore in 2021, of which Rs 4 crore each went to the heirs of the two "
                "fishermen and Rs 2 crore to the boat owner.",
                "The Supreme Court closed the criminal case in India in June 2021 after Italy paid Rs 10 crore "
                "as compensation.",
                "The Rs 10 crore paid by Italy was shared between the families of the two fishermen and the owner "
                "of the boat.",
            ),
            it=(
                "Nel 2021 l'Italia ha versato 10 crore di rupie (circa 1,1 milioni di euro): quattro crore agli "
                "eredi di ciascuno dei due pescatori e due all'armatore.",
                "Dopo il versamento del risarcimento, nel giugno 2021 la Corte Suprema indiana ha chiuso il "
                "procedimento penale in India.",
                "Il risarcimento italiano, 10 crore di rupie, è stato diviso tra le famiglie delle vittime e "
                "l'armatore.",
            ),
        ),
        Slot(
            "counsel",
            0.35,
            en=(
                "{lawyer} appeared for the petitioners.",
                "The petitioners were represented by {lawyer}.",
                "Counsel for the petitioners, {lawyer}, made the submissions.",
            ),
            it=(
                "Per i ricorrenti è intervenuto {lawyer}.",
                "A rappresentare i ricorrenti è {lawyer}.",
            ),
        ),
        Slot(
            "ties",
            0.95,
            en=(
                "Relations between India and Italy have since recovered, and the two countries now call each "
                "other strategic partners.",
                "The case, once a major irritant, no longer weighs on ties between New Delhi and Rome.",
                "New Delhi and Rome have since moved on, upgrading their relationship to a strategic partnership.",
            ),
            it=(
                "I rapporti tra i due Paesi si sono da allora normalizzati, fino al partenariato strategico del 2023.",
                "Il caso, a lungo una spina nei rapporti bilaterali, non pesa più sulle relazioni tra Roma e Nuova "
                "Delhi.",
            ),
        ),
        Slot(
            "italy",
            0.8,
            en=(
                "In Italy, the investigation against the two marines was closed by a Rome court in 2022.",
                "Prosecutors in Rome later dropped their own case against the two men.",
                "The two men no longer face charges in either country.",
            ),
            it=(
                "In Italia il procedimento a carico dei due fucilieri di Marina è stato archiviato dal "
                "tribunale di Roma nel 2022.",
                "Anche l'inchiesta della procura di Roma si è chiusa con l'archiviazione.",
                "Per i due militari la vicenda giudiziaria si è chiusa anche in Italia.",
            ),
        ),
    ),
    quotes_en=(
        "“The criminal case is closed. What remains is making sure the money reaches the right people,” a "
        "lawyer who has followed the case said.",
        "“It has been thirteen years. The families want this chapter to end,” a leader of a fishermen's union "
        "in Thiruvananthapuram said.",
    ),
    quotes_it=(
        "“Ormai è una partita che riguarda solo i risarcimenti”, ha commentato una fonte diplomatica a Roma.",
        "“La vicenda penale è chiusa da tempo”, ha ricordato un legale che ha seguito il caso.",
    ),
    background_en=BG_MARINES_EN,
    background_it=BG_MARINES_IT,
)

KINDS: dict[str, Kind] = {
    "meeting": MEETING,
    "industry": INDUSTRY,
    "mou": MOU,
    "port_call": PORT_CALL,
    "exercise": EXERCISE,
    "procurement": PROCUREMENT,
    "agusta": AGUSTA,
    "marines": MARINES,
}
KIND_OUTLETS: dict[str, tuple[str, ...]] = {
    "meeting": ("pib", "pti", "ians", "hindu", "menafn", "ansa", "difesa", "formiche", "agenzianova"),
    "industry": ("pib", "pti", "ians", "economictimes", "menafn", "ansa", "formiche", "agenzianova", "difesa"),
    "mou": ("pti", "ians", "economictimes", "menafn", "hindu", "ansa", "formiche", "analisidifesa", "agenzianova"),
    "port_call": ("pib", "pti", "ians", "hindu", "menafn", "difesa", "ansa", "analisidifesa"),
    "exercise": ("pib", "pti", "ians", "hindu", "difesa", "ansa", "analisidifesa"),
    "procurement": ("pib", "pti", "ians", "economictimes", "menafn", "ansa", "formiche", "analisidifesa"),
    "agusta": ("pti", "ians", "hindu", "menafn", "economictimes", "ansa", "agenzianova", "formiche"),
    "marines": ("pti", "ians", "hindu", "menafn", "ansa", "agenzianova", "formiche"),
}

# --------------------------------------------------------------------------------------------------
# Fact pools. Tags on topics and outcomes say which pairs of officials they suit: M ministers, N navy
# chiefs, S defence secretaries, A army chiefs.

ACTORS: dict[str, dict[str, Facts]] = {
    "ministers": {
        "en": {
            "in_full": ("Defence Minister Rajnath Singh", "Indian Defence Minister Rajnath Singh"),
            "in_short": "Singh",
            "in_name": "Rajnath Singh",
            "it_full": ("Italian Defence Minister Guido Crosetto", "Italy's Defence Minister Guido Crosetto"),
            "it_short": "Crosetto",
            "it_name": "Guido Crosetto",
            "both": ("the two ministers", "the two defence ministers"),
            "level": "defence ministers'",
            "in_title": ("Rajnath Singh", "Rajnath"),
            "it_title": ("Italy's Crosetto", "Italian counterpart Crosetto"),
            "in_role": "defence minister",
            "it_role": "defence minister",
        },
        "it": {
            "in_full": ("il ministro della Difesa indiano Rajnath Singh", "il ministro indiano Rajnath Singh"),
            "in_short": "Singh",
            "it_full": ("il ministro della Difesa Guido Crosetto", "il ministro Crosetto"),
            "it_short": "Crosetto",
            "both": ("i due ministri", "i due ministri della Difesa"),
            "level": "tra i ministri della Difesa",
            "in_title": "Singh",
            "it_title": "Crosetto",
        },
        "pib": {
            "in_full": "Raksha Mantri Shri Rajnath Singh",
            "in_short": "Raksha Mantri",
            "in_title": "Raksha Mantri",
            "it_full": "Italian Defence Minister Mr Guido Crosetto",
            "it_title": "Defence Minister of Italy",
        },
        "difesa": {
            "it_full": "il Ministro della Difesa Guido Crosetto",
            "in_full": "il Ministro della Difesa indiano Rajnath Singh",
        },
    },
    "navy": {
        "en": {
            "in_full": ("Navy chief Admiral Dinesh K Tripathi", "Chief of the Naval Staff Admiral Dinesh K Tripathi"),
            "in_short": "Admiral Tripathi",
            "in_name": "Admiral Dinesh K Tripathi",
            "it_full": (
                "Italian Navy chief Admiral Enrico Credendino",
                "Italian Navy Chief of Staff Admiral Enrico Credendino",
            ),
            "it_short": "Admiral Credendino",
            "it_name": "Admiral Enrico Credendino",
            "both": "the two navy chiefs",
            "level": "navy chiefs'",
            "in_title": ("Navy chief Tripathi", "Admiral Tripathi"),
            "it_title": ("Italian Navy chief", "Italian counterpart Credendino"),
            "in_role": "navy chief",
            "it_role": "navy chief",
        },
        "it": {
            "in_full": (
                "il capo di Stato maggiore della Marina indiana Dinesh K. Tripathi",
                "l'ammiraglio indiano Dinesh K. Tripathi",
            ),
            "in_short": "Tripathi",
            "it_full": (
                "il Capo di Stato Maggiore della Marina Militare Enrico Credendino",
                "l'ammiraglio Enrico Credendino",
            ),
            "it_short": "Credendino",
            "both": "i due capi di Stato maggiore",
            "level": "tra i capi delle marine",
            "in_title": "Tripathi",
            "it_title": "Credendino",
        },
        "pib": {
            "in_full": "Chief of the Naval Staff Admiral Dinesh K Tripathi",
            "in_short": "the CNS",
            "in_title": "CNS",
        },
        "difesa": {"it_full": "l'Ammiraglio di Squadra Enrico Credendino"},
    },
    "secretaries": {
        "en": {
            "in_full": "Defence Secretary Rajesh Kumar Singh",
            "in_short": "the Defence Secretary",
            "in_name": "Rajesh Kumar Singh",
            "it_full": (
                "Italian Secretary General of Defence Luciano Portolano",
                "Italy's armaments director General Luciano Portolano",
            ),
            "it_short": "General Portolano",
            "it_name": "General Luciano Portolano",
            "both": "the two officials",
            "level": "defence secretary-level",
            "in_title": "Defence Secretary",
            "it_title": "Italy's armaments chief",
            "in_role": "defence secretary",
            "it_role": "secretary general",
        },
        "it": {
            "in_full": "il segretario alla Difesa indiano Rajesh Kumar Singh",
            "in_short": "Rajesh Kumar Singh",
            "it_full": ("il Segretario generale della Difesa Luciano Portolano", "il generale Luciano Portolano"),
            "it_short": "Portolano",
            "both": "i due",
            "level": "tra i vertici amministrativi della Difesa",
            "in_title": "Rajesh Kumar Singh",
            "it_title": "Portolano",
        },
        "pib": {"in_full": "Defence Secretary Shri Rajesh Kumar Singh"},
    },
    "army": {
        "en": {
            "in_full": ("Army chief General Upendra Dwivedi", "Chief of the Army Staff General Upendra Dwivedi"),
            "in_short": "General Dwivedi",
            "in_name": "General Upendra Dwivedi",
            "it_full": "Italian Army chief General Carmine Masiello",
            "it_short": "General Masiello",
            "it_name": "General Carmine Masiello",
            "both": "the two army chiefs",
            "level": "army chiefs'",
            "in_title": "Army chief Dwivedi",
            "it_title": "Italian Army chief Masiello",
            "in_role": "army chief",
            "it_role": "army chief",
        },
        "it": {
            "in_full": (
                "il capo di Stato maggiore dell'Esercito indiano Upendra Dwivedi",
                "il generale indiano Upendra Dwivedi",
            ),
            "in_short": "Dwivedi",
            "it_full": ("il Capo di Stato Maggiore dell'Esercito Carmine Masiello", "il generale Carmine Masiello"),
            "it_short": "Masiello",
            "both": "i due capi di Stato maggiore",
            "level": "tra i capi degli eserciti",
            "in_title": "Dwivedi",
            "it_title": "Masiello",
        },
        "pib": {
            "in_full": "Chief of the Army Staff General Upendra Dwivedi",
            "in_short": "the COAS",
            "in_title": "COAS",
        },
    },
}
# (en venue, it venue) per pair of officials and place; "sidelines" venues are (city en, city it, event en, event it)
VENUES: dict[str, dict[str, tuple[str, str]]] = {
    "ministers": {
        "rome": ("at Palazzo Baracchini in Rome", "a Roma, a Palazzo Baracchini"),
        "delhi": ("at South Block in New Delhi", "a Nuova Delhi, nella sede del ministero della Difesa"),
    },
    "navy": {
        "rome": ("at the Italian Navy headquarters in Rome", "a Roma, a Palazzo Marina"),
        "delhi": ("at Naval Headquarters in New Delhi", "a Nuova Delhi, al quartier generale della Marina indiana"),
    },
    "secretaries": {
        "rome": ("at Palazzo Baracchini in Rome", "a Roma, a Palazzo Baracchini"),
        "delhi": ("at South Block in New Delhi", "a Nuova Delhi, nella sede del ministero della Difesa"),
    },
    "army": {
        "rome": ("at Palazzo Esercito in Rome", "a Roma, a Palazzo Esercito"),
        "delhi": ("at Army Headquarters in New Delhi", "a Nuova Delhi, al quartier generale dell'Esercito indiano"),
    },
}
SIDELINES: dict[str, tuple[tuple[str, str, str, str, float], ...]] = {
    "ministers": (
        ("Singapore", "Singapore", "the Shangri-La Dialogue", "dello Shangri-La Dialogue", 8.0),
        ("Muscat", "Mascate", "the Indian Ocean Conference", "della Indian Ocean Conference", 4.0),
    ),
    "navy": (
        ("Venice", "Venezia", "the Regional Seapower Symposium", "del Regional Seapower Symposium", -1.0),
        ("Goa", "Goa", "the Goa Maritime Conclave", "del Goa Maritime Conclave", 5.5),
    ),
}
TOPICS = (  # (tags, en, it with article, en headline, it headline)
    ("MNS", "maritime security in the Indian Ocean", "la sicurezza marittima nell'Oceano Indiano",
     "Indian Ocean security", "sicurezza marittima nell'Oceano Indiano"),
    ("MSA", "co-development and co-production of defence equipment",
     "il co-sviluppo e la co-produzione di equipaggiamenti per la difesa", "co-production",
     "co-produzione di equipaggiamenti"),
    ("MNA", "joint exercises", "le esercitazioni congiunte", "joint exercises", "esercitazioni congiunte"),
    ("MNSA", "training exchanges for officers", "gli scambi nella formazione degli ufficiali", "officer training",
     "formazione degli ufficiali"),
    ("MN", "the security of shipping in the Red Sea", "la sicurezza della navigazione nel Mar Rosso",
     "Red Sea shipping", "sicurezza nel Mar Rosso"),
    ("MS", "cooperation in defence research and technology",
     "la cooperazione nella ricerca e nella tecnologia per la difesa", "defence research", "ricerca e tecnologia"),
    ("MS", "the India-Middle East-Europe Economic Corridor", "il corridoio economico India-Medio Oriente-Europa (IMEC)",
     "IMEC corridor", "corridoio IMEC"),
    ("MNSA", "the situation in the Indo-Pacific", "la situazione nell'Indo-Pacifico", "Indo-Pacific",
     "Indo-Pacifico"),
    ("NS", "shipbuilding and naval systems", "la cantieristica e i sistemi navali", "shipbuilding",
     "cantieristica navale"),
    ("MS", "space and cyber security", "lo spazio e la sicurezza cibernetica", "space and cyber", "spazio e cyber"),
    ("A", "the experience of both armies in UN peacekeeping in Lebanon",
     "l'esperienza dei due eserciti nella missione Onu in Libano", "UN peacekeeping", "missioni di pace Onu"),
    ("A", "high-altitude and mountain warfare training", "l'addestramento al combattimento in montagna e in alta quota",
     "mountain warfare training", "addestramento in montagna"),
)  # fmt: skip
OUTCOMES = (  # (tags, en, it after "hanno", en headline, it headline)
    ("MS", "agreed to set up a joint working group on defence industrial cooperation",
     "concordato la creazione di un gruppo di lavoro congiunto sulla cooperazione industriale",
     "agree on joint working group for defence industry", "nasce un gruppo di lavoro sull'industria"),
    ("MS", "agreed on a five-year roadmap for defence cooperation",
     "concordato una tabella di marcia quinquennale per la cooperazione nella difesa",
     "agree on five-year defence roadmap", "intesa su una tabella di marcia quinquennale"),
    ("MN", "agreed to make staff talks between their navies an annual fixture",
     "deciso di rendere annuali i colloqui tra gli stati maggiori delle due marine",
     "navy staff talks to become annual", "colloqui tra le marine ogni anno"),
    ("MS", "decided to start negotiating an agreement on the protection of classified information",
     "deciso di avviare il negoziato per un accordo sulla protezione delle informazioni classificate",
     "to negotiate pact on classified information", "al via il negoziato sulle informazioni classificate"),
    ("N", "agreed to step up information sharing through the Information Fusion Centre for the Indian Ocean Region "
     "in Gurugram", "concordato di rafforzare lo scambio di informazioni attraverso il centro IFC-IOR di Gurugram",
     "to boost maritime information sharing", "più scambio di informazioni marittime"),
    ("MNSA", "agreed to double the number of Indian officers training at Italian military schools",
     "concordato di raddoppiare il numero di ufficiali indiani nelle scuole militari italiane",
     "to double officer training exchanges", "raddoppiano gli ufficiali indiani nelle scuole italiane"),
    ("MN", "agreed to hold a bilateral naval exercise in the Arabian Sea later this year",
     "concordato di svolgere entro l'anno un'esercitazione navale bilaterale nel Mar Arabico",
     "plan bilateral naval drill in Arabian Sea", "esercitazione navale bilaterale entro l'anno"),
    ("A", "agreed to hold a joint army exercise in Italy next year",
     "concordato di svolgere il prossimo anno un'esercitazione congiunta tra i due eserciti in Italia",
     "plan joint army exercise in Italy", "esercitazione congiunta in Italia nel 2026"),
    ("A", "agreed to exchange instructors between their mountain warfare schools",
     "concordato lo scambio di istruttori tra le rispettive scuole di guerra in montagna",
     "to swap mountain warfare instructors", "scambio di istruttori tra le scuole di montagna"),
)  # fmt: skip
NEXT_STOPS = {  # (en, it, city en)
    "rome": (
        ("Naples, where he will visit Fincantieri's shipyard at Castellammare di Stabia",
         "a Napoli, dove visiterà il cantiere Fincantieri di Castellammare di Stabia", "Naples"),
        ("La Spezia, home of the Italian Navy's main base",
         "alla Spezia, sede della principale base della Marina Militare", "La Spezia"),
        ("Turin, to see Leonardo's aircraft division", "a Torino, per visitare la divisione velivoli di Leonardo",
         "Turin"),
    ),
    "delhi": (
        ("Mumbai, where he is expected to visit the Mazagon Dock shipyard",
         "a Mumbai, dove è attesa una visita al cantiere Mazagon Dock", "Mumbai"),
        ("Bengaluru, to meet the leadership of Hindustan Aeronautics Limited",
         "a Bengaluru, per incontrare i vertici di Hindustan Aeronautics", "Bengaluru"),
        ("Visakhapatnam, headquarters of the Eastern Naval Command",
         "a Visakhapatnam, sede del Comando navale orientale", "Visakhapatnam"),
    ),
}  # fmt: skip
NEXT_MEET = (
    ("in New Delhi before the end of the year", "entro la fine dell'anno a Nuova Delhi"),
    ("in Rome in the autumn", "in autunno a Roma"),
    (
        "on the margins of a multilateral meeting later this year",
        "a margine di un appuntamento multilaterale entro l'anno",
    ),
)
DURATIONS = (
    ("more than an hour", "oltre un'ora"),
    ("about 45 minutes", "circa 45 minuti"),
    ("nearly two hours", "quasi due ore"),
)

ITALIAN_FIRMS = ("Leonardo", "Fincantieri", "MBDA Italia", "Elettronica", "Iveco Defence Vehicles", "Avio Aero")
INDIAN_FIRMS = (
    "Hindustan Aeronautics Limited",
    "Bharat Electronics",
    "Larsen & Toubro",
    "Tata Advanced Systems",
    "Mazagon Dock Shipbuilders",
    "Bharat Forge",
)
PITCHES = {  # (en past tense, it participle, en headline)
    "in": (
        ("invited Italian defence companies to manufacture in India's defence industrial corridors in Uttar Pradesh "
         "and Tamil Nadu", "invitato le aziende italiane a produrre nei corridoi industriali della difesa "
         "dell'Uttar Pradesh e del Tamil Nadu", "come and make in India's defence corridors"),
        ("urged Italian firms to make India a production base for global supply chains",
         "esortato le imprese italiane a fare dell'India una base produttiva per le catene di fornitura globali",
         "make India your production base"),
        ("asked Italian companies to co-develop and co-produce with Indian partners",
         "chiesto alle aziende italiane di sviluppare e produrre insieme a partner indiani",
         "co-develop and co-produce with us"),
    ),
    "it": (
        ("invited Indian companies to team up with Italian suppliers and take part in European defence programmes",
         "invitato le imprese indiane a collaborare con i fornitori italiani e a partecipare ai programmi europei "
         "della difesa", "team up with Italian suppliers"),
        ("proposed joint production lines for naval systems serving both Indian and European customers",
         "proposto linee produttive comuni per sistemi navali destinati a clienti indiani ed europei",
         "let's build naval systems together"),
        ("said Italian companies were ready to transfer technology to Indian partners for long-term programmes",
         "assicurato che le aziende italiane sono pronte a trasferire tecnologia ai partner indiani per programmi "
         "di lungo periodo", "Italy ready to share technology"),
    ),
}  # fmt: skip
INTERESTS = (
    ("joint production of naval guns and sensors", "la produzione congiunta di cannoni navali e sensori"),
    (
        "setting up maintenance hubs for helicopters in India",
        "la creazione di centri di manutenzione per elicotteri in India",
    ),
    ("co-developing electronic warfare systems", "lo sviluppo comune di sistemi di guerra elettronica"),
    ("shipbuilding partnerships with Indian yards", "partnership con i cantieri navali indiani"),
)


@dataclass(frozen=True)
class Subject:
    it_co: str
    in_co: str
    en: str
    it: str
    short_en: str
    short_it: str
    detail_en: tuple[str, ...]
    detail_it: tuple[str, ...]


SUBJECTS = (
    Subject(
        "Fincantieri",
        "Cochin Shipyard",
        "design and construction of naval auxiliary ships",
        "la progettazione e la costruzione di navi ausiliarie",
        "naval auxiliary ships",
        "navi ausiliarie",
        (
            "Under the agreement, Cochin Shipyard would build the hulls in India while Fincantieri provides "
            "design and integration support.",
            "The two yards will bid together for fleet support and training ships, with construction in Kochi.",
            "Cochin Shipyard would handle construction and outfitting, with Fincantieri supplying designs and key "
            "systems.",
        ),
        (
            "L'intesa prevede che Cochin Shipyard costruisca gli scafi in India, mentre Fincantieri fornirà "
            "progettazione e supporto all'integrazione.",
            "I due cantieri parteciperanno insieme alle gare per navi di supporto logistico e addestramento, con "
            "costruzione a Kochi.",
        ),
    ),
    Subject(
        "Leonardo",
        "Tata Advanced Systems",
        "maintenance, repair and overhaul of helicopters",
        "la manutenzione, la revisione e la riparazione di elicotteri",
        "helicopter MRO",
        "manutenzione di elicotteri",
        (
            "The companies plan to set up a facility in India to service Leonardo helicopters operated in South Asia.",
            "A joint MRO centre is to be set up near Hyderabad to support civil and military helicopters in the "
            "region.",
            "The planned facility would also train technicians to service helicopters of the Indian armed forces.",
        ),
        (
            "Le due aziende prevedono di aprire in India un centro di assistenza per gli elicotteri Leonardo in "
            "servizio nell'Asia meridionale.",
            "È prevista l'apertura di un centro di manutenzione vicino a Hyderabad per elicotteri civili e "
            "militari della regione.",
        ),
    ),
    Subject(
        "Elettronica",
        "Bharat Electronics",
        "electronic warfare systems for naval platforms",
        "i sistemi di guerra elettronica per piattaforme navali",
        "naval electronic warfare",
        "guerra elettronica navale",
        (
            "BEL would manufacture sub-systems in India, with Elettronica transferring technology for receivers "
            "and jammers.",
            "The partners will offer an electronic warfare suite for future Indian Navy frigates, to be built "
            "largely in India.",
            "Technology transfer from Elettronica would allow BEL to make key electronic warfare components in "
            "Bengaluru.",
        ),
        (
            "BEL produrrà in India alcuni sottosistemi, con trasferimento di tecnologia da parte di Elettronica "
            "per ricevitori e disturbatori.",
            "I partner proporranno un sistema di guerra elettronica per le future fregate della Marina indiana, "
            "da realizzare in gran parte in India.",
        ),
    ),
    Subject(
        "MBDA Italia",
        "Bharat Dynamics",
        "co-production of short-range naval air defence missiles",
        "la co-produzione di missili navali per la difesa aerea a corto raggio",
        "naval air defence missiles",
        "missili navali",
        (
            "The MoU covers a feasibility study for producing the missiles and their launchers at Bharat Dynamics "
            "facilities in Telangana.",
            "The first step is a joint study on producing the missile and its launcher in India, for the Navy and "
            "for export.",
            "If the study is positive, production of the missiles would move to India under licence.",
        ),
        (
            "Il memorandum prevede uno studio di fattibilità per produrre i missili e i lanciatori negli "
            "stabilimenti di Bharat Dynamics in Telangana.",
            "In caso di esito positivo, la produzione dei missili verrebbe trasferita in India su licenza.",
        ),
    ),
    Subject(
        "Iveco Defence Vehicles",
        "Bharat Forge",
        "light multirole armoured vehicles",
        "i veicoli blindati leggeri multiruolo",
        "armoured vehicles",
        "veicoli blindati",
        (
            "Bharat Forge would assemble the vehicles at its Pune plant, starting with an indigenous content of "
            "40 per cent.",
            "The vehicles would be offered to the Indian Army and paramilitary forces, with final assembly in Pune.",
            "Under the MoU, the Indian partner would gradually raise local content in the vehicles built at Pune.",
        ),
        (
            "Bharat Forge assemblerebbe i mezzi nello stabilimento di Pune, partendo da un contenuto locale del "
            "40 per cento.",
            "I mezzi sarebbero proposti all'Esercito indiano e ai corpi paramilitari, con assemblaggio finale a Pune.",
        ),
    ),
    Subject(
        "Fincantieri",
        "Mazagon Dock Shipbuilders",
        "design support for next-generation corvettes",
        "il supporto alla progettazione di corvette di nuova generazione",
        "next-generation corvettes",
        "corvette di nuova generazione",
        (
            "Fincantieri's design office would work with Mazagon Dock engineers on the hull form and propulsion "
            "layout.",
            "Under the MoU, Fincantieri will lend design expertise to Mazagon Dock for a new class of corvettes.",
            "Fincantieri engineers would support Mazagon Dock during the design phase of the new corvettes.",
        ),
        (
            "L'ufficio tecnico di Fincantieri lavorerà con gli ingegneri di Mazagon Dock su carena e apparato "
            "propulsivo.",
            "Fincantieri affiancherà Mazagon Dock nella fase di progettazione delle nuove corvette.",
        ),
    ),
    Subject(
        "Avio Aero",
        "Hindustan Aeronautics Limited",
        "maintenance of marine gas turbines",
        "la manutenzione delle turbine navali a gas",
        "marine gas turbines",
        "turbine navali",
        (
            "HAL's industrial and marine gas turbine division in Bengaluru would take on overhaul work with Avio "
            "Aero's support.",
            "The agreement would let HAL overhaul the turbines that power several Indian Navy frigates.",
            "With Avio Aero's know-how, HAL expects to cut the time needed to overhaul the Navy's gas turbines.",
        ),
        (
            "La divisione turbine industriali e navali di Hal a Bengaluru si occuperà delle revisioni con il "
            "supporto di Avio Aero.",
            "Con il supporto di Avio Aero, Hal punta a ridurre i tempi di revisione delle turbine della Marina "
            "indiana.",
        ),
    ),
    Subject(
        "Leonardo",
        "Adani Defence & Aerospace",
        "training and simulation systems",
        "i sistemi di addestramento e simulazione",
        "simulators",
        "simulatori",
        (
            "The partners intend to build flight and mission simulators in India for domestic and export customers.",
            "Adani would host production of Leonardo-designed simulators at its Hyderabad facility.",
            "The simulators would be built in India with Leonardo technology, the companies said.",
        ),
        (
            "I partner intendono produrre in India simulatori di volo e di missione per il mercato interno e l'export.",
            "I simulatori sarebbero costruiti in India su tecnologia Leonardo.",
        ),
    ),
)
IN_PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Cochin Shipyard": (
        (
            "Cochin Shipyard, a public sector shipbuilder, built India's first indigenous aircraft carrier, INS "
            "Vikrant.",
            "State-owned Cochin Shipyard is one of India's largest shipbuilding and repair yards.",
            "Cochin Shipyard, based in Kochi, also builds commercial ships and offshore vessels.",
        ),
        (
            "Cochin Shipyard, cantiere pubblico, ha costruito la prima portaerei indigena indiana, la Vikrant.",
            "Il cantiere di Kochi costruisce anche navi commerciali e mezzi per l'offshore.",
        ),
    ),
    "Tata Advanced Systems": (
        (
            "Tata Advanced Systems, the defence arm of the Tata group, already makes aerostructures for global "
            "manufacturers.",
            "The Tata group's defence unit has built up a large aerospace business in Hyderabad.",
            "Tata Advanced Systems has several joint ventures with foreign aerospace companies.",
        ),
        (
            "Tata Advanced Systems è la controllata per la difesa del gruppo Tata.",
            "La società è il braccio aerospaziale e della difesa del gruppo Tata.",
        ),
    ),
    "Bharat Electronics": (
        (
            "Bharat Electronics, a navratna defence public sector undertaking, is India's largest defence "
            "electronics company.",
            "State-run BEL supplies radars, sonars and communication systems to all three services.",
            "BEL, based in Bengaluru, is one of India's largest defence public sector undertakings.",
        ),
        (
            "Bharat Electronics è la principale azienda pubblica indiana dell'elettronica per la difesa.",
            "Bel fornisce radar, sonar e sistemi di comunicazione a tutte le forze armate indiane.",
        ),
    ),
    "Bharat Dynamics": (
        (
            "Hyderabad-based Bharat Dynamics is India's main state-owned missile manufacturer.",
            "State-run Bharat Dynamics makes most of the Indian armed forces' guided missiles.",
            "Bharat Dynamics produces the Akash and Astra missiles among others.",
        ),
        (
            "Bharat Dynamics, con sede a Hyderabad, è il principale produttore pubblico indiano di missili.",
            "Bdl produce tra l'altro i missili Akash e Astra.",
        ),
    ),
    "Bharat Forge": (
        (
            "Pune-based Bharat Forge, part of the Kalyani group, has expanded into artillery and armoured vehicles.",
            "Bharat Forge, better known as an auto parts maker, has built a defence business around artillery guns.",
            "The Kalyani group company already exports artillery shells and guns.",
        ),
        (
            "Bharat Forge, del gruppo Kalyani, si è espansa negli ultimi anni nell'artiglieria e nei blindati.",
            "L'azienda del gruppo Kalyani esporta già proiettili e cannoni.",
        ),
    ),
    "Mazagon Dock Shipbuilders": (
        (
            "Mumbai-based Mazagon Dock Shipbuilders builds destroyers, frigates and submarines for the Indian Navy.",
            "State-owned Mazagon Dock is the country's leading builder of warships and submarines.",
            "Mazagon Dock built the Indian Navy's latest destroyers and Scorpene submarines.",
        ),
        (
            "Mazagon Dock Shipbuilders, con sede a Mumbai, costruisce cacciatorpediniere, fregate e sottomarini "
            "per la Marina indiana.",
            "Dal cantiere sono usciti gli ultimi cacciatorpediniere e i sottomarini Scorpene della Marina indiana.",
        ),
    ),
    "Hindustan Aeronautics Limited": (
        (
            "Hindustan Aeronautics Limited is India's state-owned aerospace major.",
            "Bengaluru-based HAL builds the Tejas fighter and several helicopter types for the armed forces.",
            "HAL, India's largest aerospace company, also overhauls engines for the armed forces.",
        ),
        (
            "Hindustan Aeronautics è il gruppo aerospaziale pubblico indiano.",
            "Hal è anche il principale centro di revisione dei motori delle forze armate indiane.",
        ),
    ),
    "Adani Defence & Aerospace": (
        (
            "Adani Defence & Aerospace, part of the Adani group, has been expanding into drones, small arms and "
            "ammunition.",
            "The Adani group entered defence manufacturing less than a decade ago.",
            "Adani Defence & Aerospace runs a drone and aerostructures plant in Hyderabad.",
        ),
        (
            "Adani Defence & Aerospace, del gruppo Adani, è attiva nei droni, nelle armi leggere e nelle munizioni.",
            "Adani Defence & Aerospace ha uno stabilimento per droni e aerostrutture a Hyderabad.",
        ),
    ),
}
IT_PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Fincantieri": (
        (
            "Fincantieri, controlled by the Italian state, is one of the world's largest shipbuilders.",
            "Trieste-based Fincantieri builds frigates and submarines for the Italian Navy as well as cruise ships.",
            "State-controlled Fincantieri has built warships for several foreign navies, including the US Navy.",
        ),
        (
            "Fincantieri, controllata dallo Stato, è tra i maggiori gruppi cantieristici al mondo.",
            "Il gruppo triestino costruisce fregate e sottomarini per la Marina Militare oltre a navi da crociera.",
        ),
    ),
    "Leonardo": (
        (
            "Leonardo, Italy's largest defence group, is partly owned by the Italian state.",
            "Leonardo, formerly Finmeccanica, makes helicopters, aircraft, electronics and naval guns.",
            "State-controlled Leonardo employs more than 50,000 people worldwide.",
        ),
        (
            "Leonardo è il principale gruppo italiano della difesa e dell'aerospazio.",
            "Il gruppo di piazza Monte Grappa produce elicotteri, velivoli, elettronica e cannoni navali.",
        ),
    ),
    "Elettronica": (
        (
            "Rome-based Elettronica specialises in electronic warfare systems.",
            "Elettronica, a privately held Italian company, supplies electronic warfare equipment to several NATO "
            "navies.",
            "Elettronica, founded in 1951, is a family-controlled electronic defence company.",
        ),
        (
            "Elettronica, con sede a Roma, è specializzata nella guerra elettronica.",
            "L'azienda romana fornisce sistemi di guerra elettronica a diverse marine della Nato.",
        ),
    ),
    "MBDA Italia": (
        (
            "MBDA Italia is the Italian arm of the European missile maker MBDA.",
            "MBDA Italia, with plants near Rome and La Spezia, is part of the pan-European MBDA group.",
            "MBDA Italia makes the Aster and Teseo missiles used by the Italian Navy.",
        ),
        (
            "MBDA Italia è la componente italiana del consorzio missilistico europeo MBDA.",
            "MBDA Italia produce tra l'altro i missili Aster e Teseo in uso alla Marina Militare.",
        ),
    ),
    "Iveco Defence Vehicles": (
        (
            "Iveco Defence Vehicles, based in Bolzano, builds military trucks and armoured vehicles.",
            "Bolzano-based IDV supplies trucks and light armoured vehicles to the Italian Army.",
            "IDV builds the Lince light multirole vehicle used by the Italian Army.",
        ),
        (
            "Iveco Defence Vehicles, con sede a Bolzano, produce veicoli militari e blindati.",
            "Idv produce tra l'altro il veicolo leggero Lince in dotazione all'Esercito.",
        ),
    ),
    "Avio Aero": (
        (
            "Turin-based Avio Aero, a GE Aerospace company, makes engine components and marine gas turbine packages.",
            "Avio Aero, owned by GE Aerospace, has long packaged the LM2500 turbines used on Italian warships.",
            "Avio Aero employs several thousand people in Italy and Poland.",
        ),
        (
            "Avio Aero, società di GE Aerospace con sede a Torino, produce componenti di motori e sistemi di "
            "propulsione navale.",
            "Avio Aero, controllata da GE Aerospace, ha sede a Rivalta di Torino.",
        ),
    ),
}


@dataclass(frozen=True)
class Expo:
    key: str
    name_en: str  # in running text
    title_en: str  # in headlines
    place_en: str
    name_it: str
    place_it: str
    at_it: str
    start: date
    days: int
    tz: float
    dateline: tuple[str, str]
    subjects: tuple[int, ...]  # indexes into SUBJECTS
    exhibitors: int
    italian_firms: int


EXPOS = (
    Expo("aero-india", "Aero India 2025", "Aero India", "in Bengaluru", "Aero India", "a Bengaluru",
         "al salone Aero India di Bengaluru", date(2025, 2, 10), 5, 5.5, ("Bengaluru", "Bengaluru"), (1, 2, 6, 7),
         900, 18),
    Expo("defexpo", "DefExpo 2025", "DefExpo", "in Gandhinagar", "DefExpo", "a Gandhinagar",
         "alla DefExpo di Gandhinagar", date(2025, 3, 24), 5, 5.5, ("Gandhinagar", "Gandhinagar"),
         (0, 1, 2, 3, 4, 5, 6, 7), 1100, 24),
    Expo("seafuture", "Seafuture 2025", "Seafuture", "in La Spezia", "Seafuture", "alla Spezia",
         "al salone Seafuture della Spezia", date(2025, 4, 14), 4, 2.0, ("La Spezia", "La Spezia"), (0, 2, 3, 5, 6),
         250, 160),
)  # fmt: skip
FORUMS = (  # one-day venues for MoUs outside the expos
    # (en, en headline, place en, it, it headline, place it, "at" it, dateline en, dateline it, tz)
    ("the India-Italy Defence Industry Forum", "India-Italy industry forum", "in New Delhi",
     "il Forum industriale della difesa Italia-India", "Forum Italia-India", "a Nuova Delhi",
     "al Forum industriale della difesa Italia-India di Nuova Delhi", "New Delhi", "Nuova Delhi", 5.5),
    ("a business conference of the Italian Trade Agency", "ITA business meet", "in Mumbai",
     "una conferenza d'affari dell'Agenzia ICE", "Agenzia ICE", "a Mumbai",
     "a una conferenza d'affari dell'Agenzia ICE a Mumbai", "Mumbai", "Mumbai", 5.5),
    ("the Italy-India Business Forum", "Italy-India Business Forum", "in Milan",
     "il Business Forum Italia-India", "Business Forum Italia-India", "a Milano",
     "al Business Forum Italia-India di Milano", "Milan", "Milano", 1.0),
)  # fmt: skip
# made-up executives: (name, 0 = man, 1 = woman); roles: (English, Italian for a man, Italian for a woman)
SIGNATORIES_IT = (("Marco Ferretti", 0), ("Giulia Santoro", 1), ("Paolo De Luca", 0), ("Alessandra Moretti", 1))
SIGNATORIES_IN = (
    ("Anil Deshpande", 0),
    ("Kavita Rao", 1),
    ("Sunil Menon", 0),
    ("Rohit Bhargava", 0),
    ("Meera Iyer", 1),
)
ROLES_IT_CO = (
    ("senior vice president", "il vicepresidente", "la vicepresidente"),
    ("head of international business", "il responsabile per lo sviluppo internazionale",
     "la responsabile per lo sviluppo internazionale"),
)  # fmt: skip
ROLES_IN_CO = (
    ("chief executive", "l'amministratore delegato", "l'amministratrice delegata"),
    ("director for business development", "il direttore commerciale", "la direttrice commerciale"),
)


@dataclass(frozen=True)
class Ship:
    name: str
    short: str
    type_en: str
    type_a: str
    noun_it: str  # with article
    year: int
    length: int
    tons: int
    crew: int
    rank_en: str
    rank_it: str


SHIPS = (
    Ship("Aurelio Saffi", "Saffi", "offshore patrol vessel", "an offshore patrol vessel",
         "il pattugliatore d'altura", 2024, 95, 2300, 80, "Commander", "capitano di fregata"),
    Ship("Raimondo Montecuccoli", "Montecuccoli", "multipurpose offshore patrol ship",
         "a multipurpose offshore patrol ship", "il pattugliatore polivalente d'altura", 2023, 143, 6000, 170,
         "Captain", "capitano di vascello"),
    Ship("Francesco Morosini", "Morosini", "multipurpose offshore patrol ship", "a multipurpose offshore patrol ship",
         "il pattugliatore polivalente d'altura", 2022, 143, 6000, 170, "Captain", "capitano di vascello"),
    Ship("Virginio Fasan", "Fasan", "FREMM frigate", "a FREMM multi-mission frigate", "la fregata FREMM", 2013, 144,
         6700, 180, "Captain", "capitano di vascello"),
    Ship("Carabiniere", "Carabiniere", "FREMM frigate", "a FREMM multi-mission frigate", "la fregata FREMM", 2015,
         144, 6700, 180, "Captain", "capitano di vascello"),
    Ship("Alpino", "Alpino", "FREMM frigate", "a FREMM multi-mission frigate", "la fregata FREMM", 2016, 144, 6700,
         180, "Captain", "capitano di vascello"),
    Ship("Luigi Rizzo", "Rizzo", "FREMM frigate", "a FREMM multi-mission frigate", "la fregata FREMM", 2017, 144,
         6700, 180, "Captain", "capitano di vascello"),
    Ship("Federico Martinengo", "Martinengo", "FREMM frigate", "a FREMM multi-mission frigate", "la fregata FREMM",
         2018, 144, 6700, 180, "Captain", "capitano di vascello"),
    Ship("Antonio Marceglia", "Marceglia", "FREMM frigate", "a FREMM multi-mission frigate", "la fregata FREMM",
         2019, 144, 6700, 180, "Captain", "capitano di vascello"),
    Ship("Emilio Bianchi", "Bianchi", "FREMM frigate", "a FREMM multi-mission frigate", "la fregata FREMM",
         2019, 144, 6700, 180, "Captain", "capitano di vascello"),
    Ship("Spartaco Schergat", "Schergat", "FREMM frigate", "a FREMM multi-mission frigate", "la fregata FREMM",
         2020, 144, 6700, 180, "Captain", "capitano di vascello"),
    Ship("Paolo Thaon di Revel", "Thaon di Revel", "multipurpose offshore patrol ship",
         "a multipurpose offshore patrol ship", "il pattugliatore polivalente d'altura", 2022, 143, 6000, 170,
         "Captain", "capitano di vascello"),
    Ship("Cavour", "Cavour", "aircraft carrier", "an aircraft carrier", "la portaerei", 2009, 244, 30000, 600,
         "Captain", "capitano di vascello"),
)  # fmt: skip
COMMANDERS = ("Luca Ferraro", "Andrea Conti", "Stefano Galli", "Matteo Rinaldi", "Davide Marino", "Francesco Greco",
              "Giorgio Lombardi", "Marco Bellini", "Alessandro Ricci", "Fabio Colombo", "Riccardo Fontana",
              "Enrico Barbieri", "Paolo Caruso")  # fmt: skip


@dataclass(frozen=True)
class Port:
    name: str
    harbour_en: str
    harbour_it: str
    command_en: str
    command_it: str
    fleet_en: str
    fleet_it: str
    area_en: str
    area_it: str
    consulate: bool


PORTS = {
    p.name: p
    for p in (
        Port("Mumbai", "the Naval Dockyard in Mumbai", "nell'arsenale della Marina indiana a Mumbai",
             "Western Naval Command", "Comando navale occidentale", "Western Fleet", "Flotta occidentale",
             "in the Arabian Sea off Mumbai", "nel Mar Arabico, al largo di Mumbai", True),
        Port("Goa", "Mormugao port in Goa", "nel porto di Mormugao, a Goa", "Western Naval Command",
             "Comando navale occidentale", "Western Fleet", "Flotta occidentale", "off Goa", "al largo di Goa", False),
        Port("Kochi", "Naval Base Kochi", "nella base navale di Kochi", "Southern Naval Command",
             "Comando navale meridionale", "Western Fleet", "Flotta occidentale", "off Kochi", "al largo di Kochi",
             False),
        Port("Visakhapatnam", "the naval base in Visakhapatnam", "nella base navale di Visakhapatnam",
             "Eastern Naval Command", "Comando navale orientale", "Eastern Fleet", "Flotta orientale",
             "in the Bay of Bengal off Visakhapatnam", "nel Golfo del Bengala, al largo di Visakhapatnam", False),
        Port("Chennai", "Chennai port", "nel porto di Chennai", "Eastern Naval Command", "Comando navale orientale",
             "Eastern Fleet", "Flotta orientale", "off Chennai", "al largo di Chennai", False),
    )
}  # fmt: skip
INDIAN_SHIPS = {  # fleet -> (name, en description, it description, it name with noun)
    "Western Fleet": (
        ("INS Tabar", "a Talwar-class stealth frigate", "una fregata stealth classe Talwar", "la fregata INS Tabar"),
        ("INS Teg", "a Talwar-class stealth frigate", "una fregata stealth classe Talwar", "la fregata INS Teg"),
        ("INS Trikand", "a Talwar-class stealth frigate", "una fregata stealth classe Talwar",
         "la fregata INS Trikand"),
        ("INS Mormugao", "a Visakhapatnam-class guided-missile destroyer",
         "un cacciatorpediniere lanciamissili classe Visakhapatnam", "il cacciatorpediniere INS Mormugao"),
        ("INS Kolkata", "a Kolkata-class guided-missile destroyer",
         "un cacciatorpediniere lanciamissili classe Kolkata", "il cacciatorpediniere INS Kolkata"),
    ),
    "Eastern Fleet": (
        ("INS Shivalik", "a Shivalik-class stealth frigate", "una fregata stealth classe Shivalik",
         "la fregata INS Shivalik"),
        ("INS Kadmatt", "an anti-submarine warfare corvette", "una corvetta antisommergibile",
         "la corvetta INS Kadmatt"),
    ),
}  # fmt: skip
DEPLOYMENTS = (
    ("a five-month deployment to the Indo-Pacific", "una campagna di cinque mesi nell'Indo-Pacifico"),
    ("a long-range training cruise in the Indian Ocean",
     "una campagna addestrativa a lungo raggio nell'Oceano Indiano"),
    ("a four-month deployment to the Indian Ocean and the Far East",
     "una campagna di quattro mesi tra Oceano Indiano ed Estremo Oriente"),
)  # fmt: skip
PREV_PORTS = (
    ("Salalah in Oman", "Salalah, in Oman"),
    ("Jeddah", "Gedda"),
    ("Djibouti", "Gibuti"),
    ("Muscat", "Mascate"),
)
NEXT_PORTS = (("Colombo", "Colombo"), ("Singapore", "Singapore"), ("Jakarta", "Giacarta"), ("Chittagong", "Chittagong"))
ACTIVITIES = (
    ("professional exchanges with Indian Navy personnel", "scambi professionali con il personale della Marina indiana"),
    ("friendly sports fixtures", "incontri sportivi"),
    ("a yoga session with Indian sailors", "una sessione di yoga con i marinai indiani"),
    ("meetings with the Italian business community", "incontri con la comunità d'affari italiana"),
    ("cross-deck visits", "visite reciproche a bordo"),
    ("a joint beach clean-up", "la pulizia congiunta di una spiaggia"),
    ("training on damage control and firefighting", "addestramento congiunto alla sicurezza e all'antincendio"),
)
SERIALS = (
    ("communication drills", "esercizi di comunicazione"),
    ("tactical manoeuvres", "manovre tattiche"),
    ("cross-deck helicopter landings", "appontaggi incrociati di elicotteri"),
    ("a simulated replenishment-at-sea approach", "una simulazione di rifornimento in mare"),
    ("visit, board, search and seizure drills", "esercitazioni di abbordaggio e ispezione"),
    ("air defence serials", "esercizi di difesa aerea"),
    ("search-and-rescue drills", "esercitazioni di ricerca e soccorso"),
    ("a ceremonial steam-past", "il tradizionale passaggio in formazione"),
)
AIRCRAFT = (
    (
        "a Dornier maritime patrol aircraft of the Indian Navy",
        "un velivolo da pattugliamento marittimo Dornier della Marina indiana",
    ),
    ("a P-8I long-range maritime patrol aircraft", "un pattugliatore marittimo a lungo raggio P-8I"),
    ("an Indian Navy MH-60R helicopter", "un elicottero MH-60R della Marina indiana"),
)


@dataclass(frozen=True)
class Item:
    supplier_en: str
    supplier_short: str
    supplier_it: str
    partner: str
    item_en: str
    item_short: str
    item_it: str
    crore_per_unit: tuple[int, int]
    qty: tuple[int, int]
    platform_en: str
    platform_it: str
    platform_it_a: str  # with "a" and the article
    role_en: str
    note_en: tuple[str, ...]
    note_it: tuple[str, ...]
    service_en: str = "Navy"  # who gets it, for headlines


ITEMS = (
    Item(
        "Bharat Heavy Electricals Limited (BHEL)",
        "BHEL",
        "Bharat Heavy Electricals (BHEL)",
        "Leonardo",
        "Super Rapid Gun Mounts",
        "gun mounts",
        "cannoni navali Super Rapido da 76 mm",
        (150, 190),
        (8, 18),
        "frontline warships of the Indian Navy",
        "le unità di prima linea della Marina indiana",
        "alle unità di prima linea della Marina indiana",
        "to be manufactured under licence from Italy's Leonardo",
        (
            "The 76 mm guns are built by BHEL at its Haridwar plant under a licence from Leonardo, which designed "
            "the system.",
            "Leonardo, the Italian defence group, designed the gun, which BHEL has produced under licence for years.",
            "The gun, designed by Leonardo, arms most of the Indian Navy's frontline ships.",
        ),
        (
            "I cannoni sono prodotti da BHEL nello stabilimento di Haridwar su licenza di Leonardo, che ha "
            "progettato il sistema.",
            "Il cannone è un progetto Leonardo, che BHEL produce su licenza da anni.",
        ),
    ),
    Item(
        "Bharat Electronics Limited (BEL)",
        "BEL",
        "Bharat Electronics (BEL)",
        "Elettronica",
        "electronic warfare suites",
        "suites",
        "sistemi di guerra elettronica",
        (80, 120),
        (6, 14),
        "the Navy's new-generation frigates and destroyers",
        "le nuove fregate e i cacciatorpediniere della Marina indiana",
        "alle nuove fregate e ai cacciatorpediniere della Marina indiana",
        "with technology from Italy's Elettronica",
        (
            "BEL will build the suites with technology transferred by Elettronica of Rome.",
            "Elettronica, a Rome-based specialist, is BEL's technology partner on the programme.",
            "The suites draw on electronic warfare technology licensed from Elettronica.",
        ),
        (
            "BEL realizzerà i sistemi con tecnologia trasferita da Elettronica, azienda romana specializzata "
            "nella guerra elettronica.",
            "I sistemi si basano su tecnologia di guerra elettronica concessa in licenza da Elettronica.",
        ),
    ),
    Item(
        "Goa Shipyard Limited",
        "Goa Shipyard",
        "Goa Shipyard",
        "Fincantieri",
        "fast patrol vessels",
        "vessels",
        "pattugliatori veloci",
        (120, 170),
        (4, 8),
        "the Indian Coast Guard",
        "la Guardia costiera indiana",
        "alla Guardia costiera indiana",
        "based on a design developed with Italy's Fincantieri",
        (
            "The vessels are based on a hull design developed with Fincantieri, which will also provide technical "
            "assistance during construction.",
            "Fincantieri contributed to the design of the vessels and will support the yard during construction.",
            "The design was developed with help from Italy's Fincantieri.",
        ),
        (
            "Le unità si basano su un progetto di carena sviluppato con Fincantieri, che fornirà anche assistenza "
            "tecnica durante la costruzione.",
            "Il progetto delle unità è stato sviluppato con il contributo di Fincantieri.",
        ),
        service_en="Coast Guard",
    ),
    Item(
        "Hindustan Aeronautics Limited (HAL)",
        "HAL",
        "Hindustan Aeronautics (HAL)",
        "Avio Aero",
        "LM2500 marine gas turbines",
        "turbines",
        "turbine navali LM2500",
        (45, 70),
        (10, 16),
        "the Navy's frigates",
        "le fregate della Marina indiana",
        "alle fregate della Marina indiana",
        "with packaging support from Italy's Avio Aero",
        (
            "HAL will assemble and test the turbines in Bengaluru, with Avio Aero supplying the packaging and "
            "control systems.",
            "Avio Aero will provide packaging and control systems for the turbines, which HAL will assemble.",
            "The work involves Italy's Avio Aero, which packages the LM2500 for naval use.",
        ),
        (
            "Hal assemblerà e collauderà le turbine a Bengaluru, con Avio Aero che fornirà l'allestimento e i "
            "sistemi di controllo.",
            "Avio Aero fornirà i sistemi di allestimento e controllo delle turbine.",
        ),
    ),
    Item(
        supplier_en="Bharat Electronics Limited (BEL)",
        supplier_short="BEL",
        supplier_it="Bharat Electronics (BEL)",
        partner="Leonardo",
        item_en="coastal surveillance radars",
        item_short="radars",
        item_it="radar di sorveglianza costiera",
        crore_per_unit=(25, 40),
        qty=(12, 20),
        platform_en="the coastal radar chain along India's western seaboard",
        platform_it="la catena di radar costieri lungo la costa occidentale indiana",
        platform_it_a="alla catena di radar costieri lungo la costa occidentale indiana",
        role_en="built with technology from Italy's Leonardo",
        note_en=(
            "The radars are derived from a Leonardo design, with BEL handling production and integration.",
            "Leonardo is providing the radar technology, while BEL will build and install the stations.",
            "BEL and Leonardo have worked together on naval radars for more than a decade.",
        ),
        note_it=(
            "I radar derivano da un progetto Leonardo; produzione e integrazione sono affidate a BEL.",
            "Leonardo fornisce la tecnologia radar, mentre BEL costruirà e installerà le stazioni.",
        ),
    ),
    Item(
        supplier_en="Garden Reach Shipbuilders & Engineers (GRSE)",
        supplier_short="GRSE",
        supplier_it="Garden Reach Shipbuilders & Engineers (GRSE)",
        partner="Fincantieri",
        item_en="ocean-going tugs",
        item_short="tugs",
        item_it="rimorchiatori d'altura",
        crore_per_unit=(40, 60),
        qty=(4, 8),
        platform_en="the Navy's main bases on both coasts",
        platform_it="le principali basi della Marina indiana sulle due coste",
        platform_it_a="alle principali basi della Marina indiana sulle due coste",
        role_en="to a design developed with Italy's Fincantieri",
        note_en=(
            "The tugs will be built in Kolkata to a design prepared with Fincantieri.",
            "Fincantieri's engineering arm developed the basic design, which GRSE will adapt for Indian needs.",
            "GRSE is working with Fincantieri on the design, while construction will be entirely in India.",
        ),
        note_it=(
            "I rimorchiatori saranno costruiti a Calcutta su un progetto elaborato con Fincantieri.",
            "Il progetto di base è di Fincantieri, la costruzione avverrà interamente in India.",
        ),
    ),
    Item(
        supplier_en="Bharat Forge Limited",
        supplier_short="Bharat Forge",
        supplier_it="Bharat Forge",
        partner="Iveco Defence Vehicles",
        item_en="light armoured multirole vehicles",
        item_short="vehicles",
        item_it="veicoli blindati leggeri multiruolo",
        crore_per_unit=(3, 5),
        qty=(150, 400),
        platform_en="mechanised and reconnaissance units of the Army",
        platform_it="i reparti meccanizzati e da ricognizione dell'Esercito indiano",
        platform_it_a="ai reparti meccanizzati e da ricognizione dell'Esercito indiano",
        role_en="with technology from Italy's Iveco Defence Vehicles",
        note_en=(
            "The vehicles will be assembled in Pune with technology from Iveco Defence Vehicles.",
            "Iveco Defence Vehicles of Bolzano is the technology partner for the vehicle.",
            "Bharat Forge's partner on the programme is the Italian maker Iveco Defence Vehicles.",
        ),
        note_it=(
            "I mezzi saranno assemblati a Pune con tecnologia di Iveco Defence Vehicles.",
            "Partner tecnologico del programma è l'azienda di Bolzano Iveco Defence Vehicles.",
        ),
        service_en="Army",
    ),
    Item(
        supplier_en="Larsen & Toubro (L&T)",
        supplier_short="L&T",
        supplier_it="Larsen & Toubro (L&T)",
        partner="MBDA Italia",
        item_en="vertical launch systems",
        item_short="launchers",
        item_it="sistemi di lancio verticale",
        crore_per_unit=(60, 90),
        qty=(6, 12),
        platform_en="the Navy's next-generation corvettes",
        platform_it="le corvette di nuova generazione della Marina indiana",
        platform_it_a="alle corvette di nuova generazione della Marina indiana",
        role_en="with design inputs from Italy's MBDA Italia",
        note_en=(
            "L&T will build the launchers at its Talegaon facility with design inputs from MBDA Italia.",
            "MBDA Italia is supporting L&T on the launcher design under an earlier agreement.",
            "The launchers draw on MBDA Italia's experience with naval missile systems.",
        ),
        note_it=(
            "L&T costruirà i lanciatori nello stabilimento di Talegaon con il supporto progettuale di MBDA Italia.",
            "MBDA Italia affianca L&T nella progettazione dei lanciatori.",
        ),
    ),
)

AGUSTA_STAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "bail_reserved": {
        "decision_en": ("reserved its order on the bail plea of {acc_full}",),
        "decision_it": ("ha riservato la decisione sulla richiesta di libertà su cauzione presentata {acc_da}",),
        "d1_en": (
            "Counsel for {acc_short}, {lawyer}, argued that he had spent more than six years in custody and that the "
            "trial had not even begun.",
            "{lawyer} told the court that his client had been in jail since his extradition in 2018 and that the "
            "trial was nowhere near completion.",
            "The defence argued that the trial was unlikely to end soon and that {acc_short} had already spent "
            "more than six years behind bars.",
        ),
        "d1_it": (
            "Il difensore di {acc_short}, {lawyer}, ha sostenuto che il suo assistito è in carcere da oltre sei anni "
            "senza che il processo sia entrato nel vivo.",
            "Secondo la difesa, {acc_short} è detenuto dall'estradizione del 2018 e il dibattimento non è ancora "
            "cominciato.",
        ),
        "d2_en": (
            "{agency_short} opposed the plea, saying {acc_short} was a foreign national with no roots in India and "
            "might leave the country.",
            "The prosecution opposed bail, arguing that important witnesses were yet to be examined.",
            "Opposing the plea, the agency said the accused could influence witnesses if released.",
        ),
        "d2_it": (
            "L'accusa si è opposta, sostenendo che l'imputato, cittadino straniero senza legami con l'India, "
            "potrebbe lasciare il Paese.",
            "Contraria l'accusa, secondo cui testimoni importanti devono ancora essere sentiti.",
        ),
        "head_en": ("reserves order on Michel's bail plea",),
        "head_it": ("rinvia la decisione sulla cauzione per Michel",),
        "head2_it": ("decisione rinviata sulla cauzione per Michel",),
    },
    "bail_dismissed": {
        "decision_en": ("dismissed the bail plea of {acc_full}",),
        "decision_it": ("ha respinto la richiesta di libertà su cauzione {acc_di}",),
        "d1_en": (
            "The judge noted that the investigation into the alleged money trail abroad was still pending and that "
            "the charges were grave.",
            "In its order, the court said the gravity of the allegations and the risk of the accused fleeing weighed "
            "against his release.",
            "The court found no change in circumstances that would justify release at this stage.",
        ),
        "d1_it": (
            "Il giudice ha osservato che le indagini sui flussi di denaro all'estero non sono concluse e che le "
            "accuse sono gravi.",
            "Nell'ordinanza il tribunale cita la gravità delle accuse e il rischio di fuga.",
        ),
        "d2_en": (
            "{acc_short}'s lawyers said they would challenge the order before a higher court.",
            "The defence is expected to appeal against the order.",
            "The order can be challenged before the High Court.",
        ),
        "d2_it": (
            "La difesa ha annunciato che impugnerà il provvedimento.",
            "I legali di {acc_short} hanno già fatto sapere che presenteranno ricorso.",
        ),
        "head_en": ("rejects Christian Michel's bail plea",),
        "head_it": ("respinge la richiesta di cauzione di Michel",),
        "head2_it": ("no alla libertà su cauzione per Christian Michel",),
    },
    "docs_notice": {
        "decision_en": (
            "sought the response of {agency_short} on a plea by {acc_full} for copies of documents received from Italy",
        ),
        "decision_it": (
            "ha chiesto {agency_a} di rispondere all'istanza con cui {acc_full} chiede copia dei documenti "
            "arrivati dall'Italia",
        ),
        "d1_en": (
            "{acc_short} wants the papers the agency obtained through letters rogatory sent to Italian authorities, "
            "saying they are essential to his defence.",
            "The application seeks records of the Milan trial of former Finmeccanica executives, which the defence "
            "says were never placed on record in India.",
            "According to the defence, the documents could show who was actually paid and why.",
        ),
        "d1_it": (
            "{acc_short} chiede gli atti ottenuti tramite rogatoria dalle autorità italiane, ritenuti essenziali per "
            "la difesa.",
            "L'istanza riguarda in particolare gli atti del processo di Milano agli ex vertici di Finmeccanica, che "
            "secondo la difesa non sono mai stati depositati in India.",
        ),
        "d2_en": (
            "The judge asked the agency to file its reply {reply_by}.",
            "The agency was asked to respond {reply_by}.",
            "{agency_short} has been told to place its stand on record {reply_by}.",
        ),
        "d2_it": (
            "Il giudice ha chiesto all'accusa di depositare la risposta {reply_by}.",
            "L'accusa dovrà prendere posizione {reply_by}.",
        ),
        "head_en": ("seeks {agency_abbr} reply on Michel's plea for Italian documents",),
        "head_it": ("chiede all'accusa di rispondere all'istanza di Michel",),
        "head2_it": ("Michel chiede gli atti arrivati dall'Italia",),
    },
    "docs_order": {
        "decision_en": (
            "directed {agency_short} to give {acc_full} copies of the documents received from Italy within {n_days}",
        ),
        "decision_it": (
            "ha ordinato {agency_a} di consegnare entro {n_days} {acc_a} copia dei documenti arrivati dall'Italia",
        ),
        "d1_en": (
            "The agency had told the court that some of the papers were still being translated from Italian.",
            "In its reply, the agency said it had no objection to sharing documents already relied upon in the "
            "chargesheet.",
            "Prosecutors had said they had no objection in principle but needed time to finish the translations.",
        ),
        "d1_it": (
            "L'agenzia aveva fatto sapere che parte degli atti è ancora in traduzione dall'italiano.",
            "Nella sua risposta l'accusa non si era opposta alla consegna degli atti già citati nel capo "
            "d'imputazione.",
        ),
        "d2_en": (
            "The court rejected the defence's request for other, unrelated documents from the Italian proceedings.",
            "The judge, however, declined to order production of the investigators' internal notes.",
            "Papers not relied upon by the prosecution need not be supplied, the court said.",
        ),
        "d2_it": (
            "Respinta invece la richiesta di acquisire altri atti dei procedimenti italiani.",
            "Non ammessa, invece, l'acquisizione degli appunti interni degli investigatori.",
        ),
        "head_en": ("directs {agency_abbr} to give Michel documents received from Italy",),
        "head_it": ("ordina di consegnare a Michel gli atti italiani",),
        "head2_it": ("a Michel gli atti arrivati dall'Italia",),
    },
    "charge_pros": {
        "decision_en": ("began hearing arguments on the framing of charges against {acc_full}",),
        "decision_it": ("ha avviato la discussione sulla formulazione dei capi d'imputazione a carico {acc_di}",),
        "d1_en": (
            "Opening the arguments, {prosecutor} said the evidence showed that kickbacks were routed through "
            "consultancy contracts to influence the deal.",
            "The prosecution told the court that money was paid through a web of companies in Tunisia, Mauritius "
            "and the UAE.",
            "{prosecutor} took the court through the money trail the agency says it has traced from Europe to India.",
        ),
        "d1_it": (
            "Per l'accusa, {prosecutor} ha sostenuto che le tangenti sarebbero passate attraverso contratti di "
            "consulenza.",
            "Secondo la pubblica accusa il denaro sarebbe transitato attraverso una rete di società in Tunisia, "
            "Mauritius ed Emirati.",
        ),
        "d2_en": (
            "The prosecution is expected to conclude its submissions at the next hearing.",
            "Defence counsel will respond once the agency completes its arguments.",
            "The special public prosecutor is yet to finish his submissions.",
        ),
        "d2_it": (
            "La difesa replicherà al termine degli interventi dell'accusa.",
            "L'accusa completerà la sua esposizione nella prossima udienza.",
        ),
        "head_en": ("begins hearing arguments on charges against Michel",),
        "head_it": ("avvia la discussione sui capi d'imputazione",),
        "head2_it": ("al via la discussione sulle accuse a Michel",),
    },
    "charge_def": {
        "decision_en": ("heard the defence's arguments on charge, with counsel for {acc_full} seeking his discharge",),
        "decision_it": (
            "ha ascoltato le arringhe della difesa sui capi d'imputazione, con i legali {acc_di} che ne "
            "chiedono il proscioglimento",
        ),
        "d1_en": (
            "{lawyer} argued that the agency had failed to show any payment to a public servant.",
            "The defence said the chargesheets relied on documents from Italian proceedings that had ended in "
            "acquittals.",
            "Counsel for {acc_short} said there was no evidence linking his client to any Indian official.",
        ),
        "d1_it": (
            "Secondo {lawyer}, l'accusa non ha dimostrato alcun pagamento a pubblici ufficiali.",
            "La difesa sostiene che le accuse si basano su atti di procedimenti italiani conclusi con assoluzioni.",
        ),
        "d2_en": (
            "The prosecution will reply to the defence arguments on the next date.",
            "The judge asked both sides to file written submissions.",
            "The court will hear the prosecution's rejoinder before deciding on the charges.",
        ),
        "d2_it": (
            "Il giudice ha chiesto alle parti di depositare memorie scritte.",
            "L'accusa replicherà nella prossima udienza.",
        ),
        "head_en": ("hears Michel's plea for discharge",),
        "head_it": ("ascolta la difesa di Michel",),
        "head2_it": ("la difesa di Michel chiede il proscioglimento",),
    },
}
MARINES_STAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "crew_notice": {
        "decision_en": (
            "issued notice to the Centre and the state government on a petition by {n_crew} crew members of the "
            "fishing boat St Antony seeking a share of the compensation paid by Italy",
        ),
        "decision_it": (
            "ha chiesto al governo centrale e a quello del Kerala di rispondere al ricorso di {n_crew} membri "
            "dell'equipaggio del peschereccio St Antony, che reclamano una parte del risarcimento pagato dall'Italia",
        ),
        "d1_en": (
            "The petitioners said they were on board when the marines opened fire and had suffered trauma and loss "
            "of livelihood.",
            "The fishermen told the court they had been left out when the compensation was distributed in 2021.",
            "According to the plea, the crew members were never considered when the compensation was shared out.",
        ),
        "d1_it": (
            "I ricorrenti affermano di essere stati a bordo al momento degli spari e di aver subito traumi e perdita "
            "di reddito.",
            "I pescatori lamentano di essere stati esclusi dalla ripartizione del risarcimento nel 2021.",
        ),
        "d2_en": (
            "The state government was asked to file its response {reply_by}.",
            "The court asked the government to respond {reply_by}.",
            "Both governments have been asked for their response {reply_by}.",
        ),
        "d2_it": (
            "Il governo del Kerala dovrà rispondere {reply_by}.",
            "La corte attende le osservazioni dei due governi {reply_by}.",
        ),
        "head_en": ("issues notice on St Antony crew's plea for compensation share",),
        "head_it": ("chiede chiarimenti sul ricorso dei pescatori del St Antony",),
        "head2_it": ("i pescatori del St Antony chiedono una parte del risarcimento",),
    },
    "crew_verify": {
        "decision_en": (
            "directed the Kollam district collector to verify the claims of {n_crew} crew members of the St Antony "
            "and report back {reply_by}",
        ),
        "decision_it": (
            "ha incaricato l'amministrazione del distretto di Kollam di verificare {reply_by} le richieste di "
            "{n_crew} membri dell'equipaggio del St Antony",
        ),
        "d1_en": (
            "The state government told the court it had no objection to the claims being examined.",
            "In its response, the state said the crew members' names did appear in the original police records.",
            "The state did not oppose a verification of the claims.",
        ),
        "d1_it": (
            "Il governo del Kerala non si è opposto all'esame delle richieste.",
            "Nella sua risposta lo Stato ha confermato che i nomi dei ricorrenti compaiono negli atti originari "
            "della polizia.",
        ),
        "d2_en": (
            "The court made it clear that any payment would come from the interest earned on the compensation fund.",
            "The court said it would decide on the amount only after the verification report.",
            "The bench indicated that any payout would be limited to the interest that has accumulated.",
        ),
        "d2_it": (
            "La corte ha precisato che eventuali pagamenti saranno attinti dagli interessi maturati sul fondo.",
            "L'importo sarà deciso solo dopo la relazione dell'amministrazione distrettuale.",
        ),
        "head_en": ("orders verification of St Antony crew's compensation claims",),
        "head_it": ("dispone verifiche sulle richieste dei pescatori",),
        "head2_it": ("verifiche sulle richieste dell'equipaggio del St Antony",),
    },
    "interest_notice": {
        "decision_en": (
            "sought the Kerala government's response on how the interest earned on the Rs 10 crore deposited by "
            "Italy should be distributed",
        ),
        "decision_it": (
            "ha chiesto al governo del Kerala come ripartire gli interessi maturati sui 10 crore di rupie versati "
            "dall'Italia",
        ),
        "d1_en": (
            "The interest has grown to about {interest} since the amount was deposited in 2021, the court was told.",
            "According to the court registry, the fund has earned interest of about {interest}.",
            "The amount lying in the fund has grown by about {interest} in interest since 2021.",
        ),
        "d1_it": (
            "Dal 2021 gli interessi hanno raggiunto circa {interest}, è stato riferito in aula.",
            "Il fondo ha fruttato finora interessi per circa {interest}.",
        ),
        "d2_en": (
            "Counsel for the heirs of the fishermen asked that the interest be paid to them in the same proportion "
            "as the principal.",
            "The bench also asked the Centre to place on record the terms of the deposit.",
            "The heirs want the interest split the same way as the original compensation.",
        ),
        "d2_it": (
            "I legali degli eredi dei pescatori chiedono che gli interessi siano divisi nella stessa proporzione del "
            "capitale.",
            "La corte ha chiesto al governo centrale di chiarire le condizioni del deposito.",
        ),
        "head_en": ("seeks Kerala's reply on sharing interest on Italy's compensation",),
        "head_it": ("chiede al Kerala come ripartire gli interessi del risarcimento",),
        "head2_it": ("chi avrà gli interessi del risarcimento italiano",),
    },
    "interest_order": {
        "decision_en": (
            "ordered that the interest of about {interest} earned on the compensation fund be paid to the heirs of "
            "the two fishermen and the boat owner in the same ratio as the principal",
        ),
        "decision_it": (
            "ha disposto che gli interessi maturati sul fondo di risarcimento, circa {interest}, siano versati agli "
            "eredi dei due pescatori e all'armatore nella stessa proporzione del capitale",
        ),
        "d1_en": (
            "Disbursal will be overseen by the Kerala High Court, the bench said.",
            "The bench said the Kerala High Court would oversee the disbursal.",
            "The amount will be released through the Kerala High Court, which handled the original payout.",
        ),
        "d1_it": (
            "L'erogazione avverrà sotto il controllo dell'Alta Corte del Kerala.",
            "A gestire i pagamenti sarà l'Alta Corte del Kerala.",
        ),
        "d2_en": (
            "The state government had told the court it had no objection to the proposal.",
            "Neither the Centre nor the state opposed the plea of the heirs.",
            "The order was passed with the consent of the Centre and the state.",
        ),
        "d2_it": (
            "Il governo del Kerala non si era opposto.",
            "Nessuna delle parti si era opposta.",
        ),
        "head_en": ("orders interest on compensation to go to fishermen's families",),
        "head_it": ("dispone il pagamento degli interessi alle famiglie",),
        "head2_it": ("gli interessi del risarcimento alle famiglie dei pescatori",),
    },
    "boat_owner": {
        "decision_en": (
            "heard a plea by the owner of the St Antony seeking more compensation for damage to the boat and the "
            "fishing days lost while it was held as evidence",
        ),
        "decision_it": (
            "ha esaminato il ricorso dell'armatore del St Antony, che chiede un ulteriore risarcimento per i danni "
            "al peschereccio e le giornate di pesca perse mentre era sotto sequestro",
        ),
        "d1_en": (
            "The owner told the court that the Rs 2 crore he received did not cover repairs and the months the boat "
            "stayed idle.",
            "According to the petition, the boat was held as evidence for months after the shooting.",
            "The petitioner said he had to borrow money to put the boat back to sea.",
        ),
        "d1_it": (
            "L'armatore sostiene che i due crore ricevuti non coprono le riparazioni e i mesi di fermo.",
            "Secondo il ricorso, il peschereccio rimase sotto sequestro per mesi dopo la sparatoria.",
        ),
        "d2_en": (
            "The court sought the state government's views {reply_by}.",
            "The government has been asked to respond {reply_by}.",
            "The state was told to place its stand on record {reply_by}.",
        ),
        "d2_it": (
            "La corte ha chiesto il parere del governo del Kerala {reply_by}.",
            "Il governo dovrà prendere posizione {reply_by}.",
        ),
        "head_en": ("hears boat owner's plea for more compensation",),
        "head_it": ("esamina il ricorso dell'armatore del St Antony",),
        "head2_it": ("l'armatore del St Antony chiede un nuovo risarcimento",),
    },
    "reopen_plea": {
        "decision_en": (
            "refused to entertain a plea seeking to reopen criminal proceedings against the two Italian marines",
        ),
        "decision_it": (
            "ha dichiarato inammissibile un ricorso che chiedeva di riaprire il procedimento penale contro i due marò",
        ),
        "d1_en": (
            "The bench noted that it had closed all proceedings in India in June 2021 after Italy paid compensation.",
            "The judges said the matter had been settled by the court's own order of 2021.",
            "The case had been closed for good and could not be reopened, the court said.",
        ),
        "d1_it": (
            "La corte ha ricordato di aver chiuso ogni procedimento in India nel giugno 2021, dopo il pagamento del "
            "risarcimento da parte dell'Italia.",
            "Per i giudici il caso è definitivamente chiuso.",
        ),
        "d2_en": (
            "The petition had been filed by a fishermen's association from Thiruvananthapuram.",
            "A fishermen's association from the state capital had moved the plea.",
            "The plea was moved by a fishermen's group from Kerala.",
        ),
        "d2_it": (
            "Il ricorso era stato presentato da un'associazione di pescatori di Thiruvananthapuram.",
            "A presentare il ricorso era stata un'associazione di pescatori del Kerala.",
        ),
        "head_en": ("refuses to reopen criminal proceedings",),
        "head_it": ("respinge il ricorso per riaprire il caso",),
        "head2_it": ("no alla riapertura del processo",),
    },
}


# --------------------------------------------------------------------------------------------------
# Events


@dataclass
class Event:
    slug: str
    kind: str
    day: date  # local date of the happening
    hour: float  # local hour of the happening
    tz: float  # hours east of UTC at the place of the happening
    facts: dict[str, Facts]  # "en" / "it"
    overrides: dict[str, Facts] = field(default_factory=dict)  # outlet -> facts in its house style
    dates: dict[str, date] = field(default_factory=dict)  # rendered per language and outlet
    outlets: tuple[str, ...] = ()
    dateline: tuple[str, str] = ("New Delhi", "Nuova Delhi")
    max_delay: float = 60.0  # hours from the happening to the last report
    keys: tuple[str, ...] = ()  # main actors, for finding look-alikes
    aliases: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # lang -> (first mention, later)
    n_reports: int = 0  # 0 = chosen at random

    @property
    def happened_at(self) -> datetime:
        local = datetime(self.day.year, self.day.month, self.day.day, tzinfo=UTC) + timedelta(hours=self.hour)
        return local - timedelta(hours=self.tz)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _tags(actor: str) -> str:
    return {"ministers": "M", "navy": "N", "secretaries": "S", "army": "A"}[actor]


def _ord_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _pick_other(rng: random.Random, n: int, avoid: int | None) -> int:
    choices = [i for i in range(n) if i != avoid]
    return rng.choice(choices)


def build_meeting(
    rng: random.Random, day: date, actor: str, venue: str, nth: int, avoid_outcome: int | None = None
) -> tuple[Event, int]:
    a = ACTORS[actor]
    en: Facts = dict(a["en"])
    it: Facts = dict(a["it"])
    overrides = {k: dict(v) for k, v in a.items() if k not in ("en", "it")}
    visitor = ""
    if venue in ("rome", "delhi"):
        city_en, city_it = ("Rome", "Roma") if venue == "rome" else ("New Delhi", "Nuova Delhi")
        tz = italy_offset(day) if venue == "rome" else 5.5
        en["venue"], it["venue"] = VENUES[actor][venue]
        visitor = "in" if venue == "rome" else "it"
    else:
        side = SIDELINES[actor][int(venue[-1])]
        city_en, city_it = side[0], side[1]
        tz = side[4] if side[4] > 0 else italy_offset(day)
        en["venue"] = f"on the sidelines of {side[2]} in {side[0]}"
        it["venue"] = f"a {side[1]}, a margine {side[3]}"
    en["city"], it["city"] = city_en, city_it
    en["place"], it["place"] = f"in {city_en}", f"a {city_it}"
    if visitor:
        stop = rng.choice(NEXT_STOPS[venue])
        en["visitor_short"] = a["en"][f"{visitor}_short"]
        it["visitor_short"] = a["it"][f"{visitor}_short"]
        en["visitor_role"] = a["en"][f"{visitor}_role"]
        n_days = rng.choice((2, 3))
        en["visit_len"], it["visit_len"] = f"{num_en(n_days)}-day", f"di {num_it(n_days)} giorni"
        en["host_country"], it["host_country"] = ("Italy", "in Italia") if visitor == "in" else ("India", "in India")
        en["memorial"], it["memorial"] = (
            ("the Altare della Patria", "all'Altare della Patria")
            if visitor == "in"
            else ("the National War Memorial", "al National War Memorial")
        )
        en["next_stop"], it["next_stop"], en["next_city"] = stop
        if visitor == "in" and "in_short" in overrides.get("pib", {}):
            overrides["pib"]["visitor_short"] = overrides["pib"]["in_short"]
    else:
        en["visitor_short"] = it["visitor_short"] = en["memorial"] = it["memorial"] = ""
    tag = _tags(actor)
    topics = rng.sample([t for t in TOPICS if tag in t[0]], 3)
    en["topics"], it["topics"] = join_en([t[1] for t in topics]), join_it([t[2] for t in topics])
    en["topic1"], it["topic1"] = topics[0][3], topics[0][4]
    outcomes = [o for o in OUTCOMES if tag in o[0]]
    oi = _pick_other(rng, len(outcomes), avoid_outcome)
    o = outcomes[oi]
    en["outcome"], it["outcome"], en["outcome_head"], it["outcome_head"] = o[1], o[2], o[3], o[4]
    en["duration"], it["duration"] = rng.choice(DURATIONS)
    en["nth"], it["nth"] = ORD_EN[nth - 1], ORD_IT_M[nth - 1]
    en["next_meet"], it["next_meet"] = rng.choice(NEXT_MEET)
    keys = [f"officials:{actor}"] + (["minister:in", "minister:it"] if actor == "ministers" else [])
    ev = Event(
        slug=f"meeting-{actor}-{_slug(city_en)}-{day:%m%d}",
        kind="meeting",
        day=day,
        hour=rng.uniform(9.5, 12.5),
        tz=tz,
        facts={"en": en, "it": it},
        overrides=overrides,
        dates={"leave": day + timedelta(days=1)},
        outlets=KIND_OUTLETS["meeting"],
        dateline=(city_en, city_it),
        keys=tuple(keys),
    )
    return ev, oi


def build_industry(rng: random.Random, day: date, side: str, with_counterpart: bool) -> Event:
    if side == "in":
        en: Facts = {
            "min_full": ("Defence Minister Rajnath Singh", "Indian Defence Minister Rajnath Singh"),
            "min_short": "Singh",
            "min_title": ("Rajnath Singh", "Rajnath"),
            "city": "Rome",
            "place": "in Rome",
            "venue": "at the Indian embassy in Rome",
            "host_nat": "Italian",
            "organiser": "the Italian defence industry federation AIAD",
            "fig": "India's defence production crossed Rs 1.27 lakh crore in 2023-24, with exports growing every year",
            "counterpart": "Italian Defence Minister Guido Crosetto" if with_counterpart else "",
            "policy": (
                "India has eased foreign investment rules in defence, allowing up to 74 per cent through the "
                "automatic route.",
                "India's defence industrial corridors offer land and incentives to investors in Uttar Pradesh and "
                "Tamil Nadu.",
                "Foreign companies can now own up to 74 per cent of an Indian defence venture without prior "
                "government approval.",
            ),
        }
        it: Facts = {
            "min_full": ("il ministro della Difesa indiano Rajnath Singh", "il ministro indiano Rajnath Singh"),
            "min_short": "Singh",
            "min_title": "Singh",
            "city": "Roma",
            "place": "a Roma",
            "venue": "presso l'ambasciata dell'India a Roma",
            "host_nat": "italiane",
            "host_nat_sg": "italiana",
            "organiser": "la federazione AIAD",
            "organiser_con": "alla federazione delle industrie dell'aerospazio e della difesa AIAD",
            "fig": "la produzione indiana per la difesa ha superato nel 2023-24 i 14 miliardi di euro, con "
            "esportazioni in crescita ogni anno",
            "counterpart": "il ministro Guido Crosetto" if with_counterpart else "",
            "policy": (
                "L'India ha allentato le regole sugli investimenti esteri nella difesa, consentendo quote fino al 74 "
                "per cento senza autorizzazione preventiva.",
                "I corridoi industriali della difesa offrono terreni e incentivi a chi investe in Uttar Pradesh e "
                "Tamil Nadu.",
            ),
        }
        firms = rng.sample(ITALIAN_FIRMS, rng.randint(3, 4))
        overrides: dict[str, Facts] = {
            "pib": {
                "min_full": "Raksha Mantri Shri Rajnath Singh",
                "min_short": "Raksha Mantri",
                "min_title": "Raksha Mantri",
            }
        }
        tz, dateline, outlets = (
            italy_offset(day),
            ("Rome", "Roma"),
            tuple(o for o in KIND_OUTLETS["industry"] if o != "difesa"),
        )
    else:
        en = {
            "min_full": ("Italian Defence Minister Guido Crosetto", "Italy's Defence Minister Guido Crosetto"),
            "min_short": "Crosetto",
            "min_title": ("Crosetto", "Italy's Crosetto"),
            "city": "New Delhi",
            "place": "in New Delhi",
            "venue": "at the Italian embassy in New Delhi",
            "host_nat": "Indian",
            "organiser": "the Society of Indian Defence Manufacturers (SIDM)",
            "fig": "Italian defence companies have more than 30 cooperation projects under way in India",
            "counterpart": "Defence Minister Rajnath Singh" if with_counterpart else "",
            "policy": (
                "Italy has recently strengthened the defence section of its embassy in New Delhi to support "
                "industrial ties.",
                "Rome counts India among its priority markets outside Europe for defence and aerospace.",
                "Italy wants its companies to be part of India's drive for local defence production.",
            ),
        }
        it = {
            "min_full": ("il ministro della Difesa Guido Crosetto", "il ministro Crosetto"),
            "min_short": "Crosetto",
            "min_title": "Crosetto",
            "city": "Nuova Delhi",
            "place": "a Nuova Delhi",
            "venue": "presso l'ambasciata d'Italia a Nuova Delhi",
            "host_nat": "indiane",
            "host_nat_sg": "indiana",
            "organiser": "la SIDM, l'associazione dei produttori indiani della difesa",
            "organiser_con": "alla SIDM, l'associazione dei produttori indiani della difesa",
            "fig": "le aziende italiane della difesa hanno oltre 30 progetti di cooperazione in corso in India",
            "counterpart": "il ministro indiano Rajnath Singh" if with_counterpart else "",
            "policy": (
                "Roma ha recentemente rafforzato l'ufficio dell'addetto per la difesa presso l'ambasciata a Nuova "
                "Delhi.",
                "L'India è per Roma uno dei mercati prioritari fuori dall'Europa per difesa e aerospazio.",
            ),
        }
        firms = rng.sample(INDIAN_FIRMS, rng.randint(3, 4))
        overrides = {"difesa": {"min_full": "il Ministro della Difesa Guido Crosetto"}}
        tz, dateline, outlets = (
            5.5,
            ("New Delhi", "Nuova Delhi"),
            tuple(o for o in KIND_OUTLETS["industry"] if o != "pib"),
        )
    en["firms"], it["firms"] = join_en(firms), join_it(firms)
    n_firms = rng.choice((("about 20", "una ventina di"), ("over a dozen", "oltre una dozzina di"), ("15", "15")))
    en["n_firms"], it["n_firms"] = n_firms
    pitch = rng.choice(PITCHES[side])
    en["pitch"], it["pitch"], en["pitch_head"] = pitch
    en["interest"], it["interest"] = rng.choice(INTERESTS)
    en["time"], it["time"] = rng.choice((("in the afternoon", "nel pomeriggio"), ("in the evening", "in serata")))
    return Event(
        slug=f"industry-{'singh-rome' if side == 'in' else 'crosetto-delhi'}-{day:%m%d}",
        kind="industry",
        day=day,
        hour=rng.uniform(16.0, 19.0),
        tz=tz,
        facts={"en": en, "it": it},
        overrides=overrides,
        outlets=outlets,
        dateline=dateline,
        keys=(f"minister:{side}",),
    )


def build_mou(rng: random.Random, day: date, subject: Subject, expo: Expo | None, forum: int = 0) -> Event:
    (sign_it, she_it), (sign_in, she_in) = rng.choice(SIGNATORIES_IT), rng.choice(SIGNATORIES_IN)
    role_it_co, role_in_co = rng.choice(ROLES_IT_CO), rng.choice(ROLES_IN_CO)
    term = rng.choice((3, 5))
    en: Facts = {
        "it_co": subject.it_co,
        "in_co": subject.in_co,
        "subject": subject.en,
        "subject_short": subject.short_en,
        "detail": subject.detail_en,
        "sign_it": f"{role_it_co[0]} {sign_it}",
        "sign_in": f"{role_in_co[0]} {sign_in}",
        "sign_it_name": sign_it,
        "sign_in_name": sign_in,
        "sign_it_role": role_it_co[0],
        "sign_in_role": role_in_co[0],
        "term": f"{num_en(term)} years",
        "in_profile": IN_PROFILES[subject.in_co][0],
        "it_profile": IT_PROFILES[subject.it_co][0],
    }
    it: Facts = {
        "it_co": subject.it_co,
        "in_co": subject.in_co,
        "subject": subject.it,
        "subject_short": subject.short_it,
        "detail": subject.detail_it,
        "sign_it": f"{role_it_co[1 + she_it]} {sign_it}",
        "sign_in": f"{role_in_co[1 + she_in]} {sign_in}",
        "sign_it_name": sign_it,
        "sign_it_role": re.sub(r"^(il |la |l')", "", role_it_co[1 + she_it]),
        "term": f"{num_it(term)} anni",
        "in_profile": IN_PROFILES[subject.in_co][1],
        "it_profile": IT_PROFILES[subject.it_co][1],
    }
    dates: dict[str, date] = {}
    if expo is not None:
        en.update(expo=expo.name_en, expo_title=expo.title_en, expo_place=expo.place_en)
        it.update(expo=expo.name_it, expo_title=expo.name_it, expo_place=expo.place_it, expo_at=expo.at_it)
        nth_day = (day - expo.start).days
        en["expo_day"], it["expo_day"] = ORD_EN[nth_day], ORD_IT_F[nth_day]
        en["n_exhib"], it["n_exhib"] = f"{expo.exhibitors:,}", num_it(expo.exhibitors)
        en["n_it_firms"], it["n_it_firms"] = num_en(expo.italian_firms), num_it(expo.italian_firms)
        n_mous = rng.choice((12, 18, 25, 40, 60))
        en["n_mous"], it["n_mous"] = f"more than {n_mous}", f"oltre {n_mous}"
        dates = {"expo_start": expo.start, "expo_end": expo.start + timedelta(days=expo.days - 1)}
        tz, dateline, where = expo.tz, expo.dateline, expo.key
        en["witness"], it["witness"] = rng.choice(
            (("senior officials of both governments", "di rappresentanti dei due governi"),
             ("the Italian ambassador to India", "dell'ambasciatore d'Italia in India"))
        )  # fmt: skip
        keys: tuple[str, ...] = (f"expo:{expo.key}",)
    else:
        f = FORUMS[forum]
        en.update(expo=f[0], expo_title=f[1], expo_place=f[2])
        it.update(expo=f[3], expo_title=f[4], expo_place=f[5], expo_at=f[6])
        en["witness"], it["witness"] = "senior officials of both governments", "di rappresentanti dei due governi"
        tz, dateline, where, keys = f[9], (f[7], f[8]), f"forum{forum}", ()
    slug_co = f"{_slug(subject.it_co.split()[0])}-{_slug(subject.in_co.split()[0])}"
    return Event(
        slug=f"mou-{slug_co}-{where}-{day:%m%d}",
        kind="mou",
        day=day,
        hour=rng.uniform(10.0, 17.0),
        tz=tz,
        facts={"en": en, "it": it},
        dates=dates,
        outlets=KIND_OUTLETS["mou"],
        dateline=dateline,
        keys=keys,
    )


def _ship_facts(ship: Ship) -> tuple[Facts, Facts, dict[str, Facts]]:
    en: Facts = {"ship": f"ITS {ship.name}", "type": ship.type_en, "type_a": ship.type_a}
    it: Facts = {"ship": (f"la nave {ship.name}", f"la nave {ship.short}"), "ship_title": f"nave {ship.name}"}
    marina: Facts = {"ship": f"Nave {ship.name}", "ship_title": f"Nave {ship.name}"}
    typed: Facts = {"ship": f"{ship.noun_it} {ship.name}", "ship_title": f"{ship.noun_it} {ship.name}"}
    return en, it, {"difesa": marina, "analisidifesa": marina, "formiche": typed, "agenzianova": typed}


@dataclass
class Campaign:
    """One ship's deployment: the same facts in every event about it."""

    ship: Ship
    commander: str
    deployment: tuple[str, str]
    prev_port: tuple[str, str]
    next_port: tuple[str, str]


def new_campaign(rng: random.Random, ship: Ship, commander: str) -> Campaign:
    return Campaign(ship, commander, rng.choice(DEPLOYMENTS), rng.choice(PREV_PORTS), rng.choice(NEXT_PORTS))


def build_port_call(
    rng: random.Random, day: date, c: Campaign, port: Port, days: int, exercise_port: str = ""
) -> Event:
    ship = c.ship
    en, it, overrides = _ship_facts(ship)
    en.update(
        port=port.name, harbour=port.harbour_en, command=port.command_en,
        flag_officer=f"the Flag Officer Commanding-in-Chief of the {port.command_en}",
        days=f"{num_en(days)}-day", crew=f"about {ship.crew} personnel", commander=f"{ship.rank_en} {c.commander}",
        deployment=c.deployment[0], prev_port=c.prev_port[0], year=str(ship.year), length=str(ship.length),
        tons=f"{ship.tons:,}",
        history=("Italian warships last called at {port} in 2023.",
                 "The two navies last exercised together in the Arabian Sea in 2023.",
                 "Italian Navy ships have called at {port} regularly in recent years."),
    )  # fmt: skip
    it.update(
        port=port.name, harbour=port.harbour_it, command=port.command_it,
        flag_officer=f"al comandante in capo del {port.command_it}", days=num_it(days),
        crew=f"circa {ship.crew} militari", commander=f"{ship.rank_it} {c.commander}", deployment=c.deployment[1],
        prev_port=c.prev_port[1], year=str(ship.year), length=str(ship.length), tons=num_it(ship.tons),
        history=("L'ultima sosta di una nave della Marina Militare a {port} risale al 2023.",
                 "Le due marine si erano addestrate insieme nel Mar Arabico nel 2023."),
    )  # fmt: skip
    if exercise_port:
        en["next_port"] = f"{exercise_port}, where it is due to exercise with the Indian Navy"
        it["next_port"] = f"{exercise_port}, per un'esercitazione con la Marina indiana"
    else:
        en["next_port"], it["next_port"] = c.next_port
    acts = rng.sample(ACTIVITIES, 3)
    en["activities"], it["activities"] = join_en([a[0] for a in acts]), join_it([a[1] for a in acts])
    if port.consulate:
        en["reception"] = "a reception on board hosted by the Consul General of Italy in Mumbai"
        it["reception"] = "un ricevimento a bordo offerto dal Console generale d'Italia a Mumbai"
    else:
        en["reception"] = "a reception on board hosted by the Italian Ambassador to India"
        it["reception"] = "un ricevimento a bordo offerto dall'ambasciatore d'Italia in India"
    surname = c.commander.split()[-1]
    aliases = {
        "en": ((f"{ship.rank_en} {c.commander}", f"{ship.rank_en} {surname}"),),
        "it": ((f"{ship.rank_it} {c.commander}", f"comandante {surname}"),),
    }
    return Event(
        aliases=aliases,
        slug=f"portcall-{_slug(ship.short)}-{_slug(port.name)}-{day:%m%d}",
        kind="port_call",
        day=day,
        hour=rng.uniform(8.0, 11.0),
        tz=5.5,
        facts={"en": en, "it": it},
        overrides=overrides,
        dates={"depart": day + timedelta(days=days - 1), "open_day": day + timedelta(days=1)},
        outlets=KIND_OUTLETS["port_call"],
        dateline=(port.name, port.name),
        keys=(f"port:{port.name}", f"ship:{ship.name}"),
    )


def build_exercise(rng: random.Random, day: date, c: Campaign, port: Port, after: tuple[str, str] | None) -> Event:
    ship = c.ship
    en, it, overrides = _ship_facts(ship)
    if ship.name == "Cavour":
        ins = ("INS Vikrant", "India's indigenously built aircraft carrier", "la portaerei costruita in India",
               "la portaerei INS Vikrant")  # fmt: skip
    else:
        ins = rng.choice(INDIAN_SHIPS[port.fleet_en])
    serials = sorted(rng.sample(SERIALS, 3), key=lambda x: "steam-past" in x[0])
    ex = rng.choice(
        (("a Passage Exercise (PASSEX)", "PASSEX", "un'esercitazione di tipo PASSEX"),
         ("a maritime partnership exercise", "maritime partnership exercise",
          "un'esercitazione di partenariato marittimo"))
    )  # fmt: skip
    aircraft = rng.choice(AIRCRAFT)
    en.update(
        in_ship_name=ins[0], in_desc=ins[1], fleet=port.fleet_en, area=port.area_en, ex_name=ex[0], ex_short=ex[1],
        serials=join_en([s[0] for s in serials]), serial1=serials[0][0], aircraft=aircraft[0],
        duration=rng.choice(("one-day", "two-day")), after_port=after[0] if after else "", next_port=c.next_port[0],
        command=port.command_en,
    )  # fmt: skip
    it.update(
        in_ship=ins[3], in_ship_name=ins[0], in_desc=ins[2], fleet=port.fleet_it, area=port.area_it, ex_name=ex[2],
        serials=join_it([s[1] for s in serials]), aircraft=aircraft[1], after_port=after[1] if after else "",
        next_port=c.next_port[1], command=port.command_it,
    )  # fmt: skip
    return Event(
        slug=f"exercise-{_slug(ship.short)}-{_slug(port.name)}-{day:%m%d}",
        kind="exercise",
        day=day,
        hour=rng.uniform(7.0, 15.0),
        tz=5.5,
        facts={"en": en, "it": it},
        overrides=overrides,
        outlets=KIND_OUTLETS["exercise"],
        dateline=(port.name, port.name),
        keys=(f"ship:{ship.name}",),
    )


def _contracts_so_far(day: date) -> int:
    if day < date(2025, 4, 1):  # the Indian financial year ends on 31 March
        return 150 + (day - date(2025, 1, 1)).days // 3
    return 2 + (day - date(2025, 4, 1)).days // 6


def build_procurement(rng: random.Random, day: date, item: Item) -> Event:
    qty = rng.randint(*item.qty)
    crore = round(qty * rng.randint(*item.crore_per_unit), -1)
    delivery = day.year + rng.randint(3, 6)
    ind, jobs, n_contracts = rng.choice((60, 65, 70, 75)), rng.choice((800, 1200, 1500, 2500)), _contracts_so_far(day)
    en: Facts = {
        "supplier": item.supplier_en, "supplier_short": item.supplier_short, "partner": item.partner,
        "item": item.item_en, "item_short": item.item_short,
        "service": item.service_en, "qty_item": f"{num_en(qty)} {item.item_en}",
        "value": crore_en(crore), "platform": item.platform_en, "partner_role": item.role_en,
        "partner_note": item.note_en, "delivery": str(delivery), "years": num_en(delivery - day.year),
        "ind": str(ind), "jobs": f"{jobs:,}", "n_contracts": str(n_contracts), "n_contracts_ord": _ord_en(n_contracts),
    }  # fmt: skip
    it: Facts = {
        "supplier": item.supplier_it, "supplier_short": item.supplier_short, "partner": item.partner,
        "qty_item": f"{num_it(qty)} {item.item_it}", "value": crore_it(crore),
        "value_short": f"{num_it(crore)} crore di rupie", "platform": item.platform_it,
        "platform_a": item.platform_it_a, "partner_note": item.note_it,
        "delivery": str(delivery), "years": num_it(delivery - day.year), "ind": str(ind), "jobs": num_it(jobs),
        "n_contracts": str(n_contracts), "n_contracts_ord": f"{n_contracts}°",
    }  # fmt: skip
    return Event(
        slug=f"procurement-{_slug(item.supplier_short)}-{day:%m%d}",
        kind="procurement",
        day=day,
        hour=rng.uniform(11.0, 18.0),
        tz=5.5,
        facts={"en": en, "it": it},
        outlets=tuple(o for o in KIND_OUTLETS["procurement"] if o != "difesa"),
        keys=("procurement:mod",),
    )


def _stage_facts(stage: dict[str, tuple[str, ...]], en: Facts, it: Facts) -> None:
    for key in ("decision", "d1", "d2", "head"):
        en[key] = stage[f"{key}_en"]
        it[key] = stage[f"{key}_it"]
    it["head2"] = stage["head2_it"]


def _reply_by(rng: random.Random, gap: int | None) -> tuple[str, str]:
    """A time limit set by a court: the next hearing when it is ``gap`` days away, else some weeks."""
    if gap is not None:
        return "by the next hearing", "entro la prossima udienza"
    weeks = rng.choice((2, 3, 4))
    return f"within {num_en(weeks)} weeks", f"entro {num_it(weeks)} settimane"


def build_agusta(
    rng: random.Random, day: date, stage: str, court: str, agency: str, next_day: date | None, reply_days: int | None
) -> Event:
    cbi = agency == "cbi"
    en: Facts = {
        "acc_full": ("alleged middleman Christian Michel James", "British national Christian Michel James"),
        "acc_short": "Michel",
        "acc_bio": (
            "Michel was extradited from the United Arab Emirates in December 2018 and has been in custody since.",
            "A British national, Michel is alleged by investigators to have been one of three middlemen in the deal.",
            "Michel, who denies any wrongdoing, has been in judicial custody for more than six years.",
        ),
        "agency_short": "the CBI" if cbi else "the Enforcement Directorate",
        "agency_abbr": "CBI" if cbi else "ED",
        "case_type": "corruption case" if cbi else "money laundering case",
        "lawyer": "advocate Sanjay Bhatnagar",
        "prosecutor": "special public prosecutor D.K. Malhotra",
        "n_days": rng.choice(("ten days", "two weeks")),
    }
    it: Facts = {
        "acc_full": (
            "il presunto intermediario britannico Christian Michel",
            "il consulente britannico Christian Michel",
        ),
        "acc_di": (
            "del presunto intermediario britannico Christian Michel",
            "del consulente britannico Christian Michel",
        ),
        "acc_da": (
            "dal presunto intermediario britannico Christian Michel",
            "dal consulente britannico Christian Michel",
        ),
        "acc_a": ("al presunto intermediario britannico Christian Michel", "al consulente britannico Christian Michel"),
        "acc_short": "Michel",
        "acc_bio": (
            "Michel era stato estradato dagli Emirati Arabi Uniti nel dicembre 2018 e da allora è detenuto.",
            "Cittadino britannico, Michel è ritenuto dagli inquirenti indiani uno dei tre intermediari dell'affare.",
        ),
        "agency_a": "alla Cbi" if cbi else "all'Enforcement Directorate",
        "case_type": "procedimento per corruzione" if cbi else "procedimento per riciclaggio",
        "lawyer": "l'avvocato Sanjay Bhatnagar",
        "prosecutor": "il pubblico ministero D.K. Malhotra",
        "n_days": "dieci giorni" if en["n_days"] == "ten days" else "due settimane",
    }
    en["reply_by"], it["reply_by"] = _reply_by(rng, reply_days)
    if court == "special":
        kind = "CBI" if cbi else "PMLA"
        en["court_full"] = (f"a special {kind} court at Delhi's Rouse Avenue complex", "a special court in Delhi")
        en["court_head"], en["judge"] = "Delhi court", "Special Judge Rakesh Sethi"
        it["court_full"] = (
            "un tribunale speciale di Nuova Delhi",
            "il tribunale speciale della Rouse Avenue di Nuova Delhi",
        )
        it["court_head"], it["judge"] = "tribunale di Nuova Delhi", "giudice Rakesh Sethi"
    else:
        en["court_full"], en["court_head"], en["judge"] = "the Delhi High Court", "Delhi HC", "Justice Anand Varma"
        it["court_full"], it["court_head"], it["judge"] = (
            "l'Alta Corte di Delhi",
            "Alta Corte di Delhi",
            "giudice Anand Varma",
        )
    _stage_facts(AGUSTA_STAGES[stage], en, it)
    aliases = {
        "en": (("advocate Sanjay Bhatnagar", "Bhatnagar"), ("Special Judge Rakesh Sethi", "Judge Sethi"),
               ("special public prosecutor D.K. Malhotra", "Malhotra")),
        "it": (("l'avvocato Sanjay Bhatnagar", "Bhatnagar"), ("il pubblico ministero D.K. Malhotra", "Malhotra")),
    }  # fmt: skip
    return Event(
        aliases=aliases,
        slug=f"agusta-{stage.replace('_', '')}-{court}-{day:%m%d}",
        kind="agusta",
        day=day,
        hour=rng.uniform(10.5, 16.5),
        tz=5.5,
        facts={"en": en, "it": it},
        dates={"next": next_day} if next_day else {},
        outlets=KIND_OUTLETS["agusta"],
        max_delay=96.0,
        keys=("court:agusta", f"case:agusta:{agency}"),  # the CBI's corruption case, the ED's money laundering case
    )


def build_marines(
    rng: random.Random, day: date, stage: str, next_day: date | None, reply_days: int | None, n_crew: int, interest: str
) -> Event:
    kerala = stage.startswith("crew") or stage == "boat_owner"
    en: Facts = {
        "marines": ("Italian marines Massimiliano Latorre and Salvatore Girone",
                    "the two Italian marines Massimiliano Latorre and Salvatore Girone"),
        "n_crew": num_en(n_crew),
        "interest": f"Rs {interest} crore",
        "court_full": "the Kerala High Court" if kerala else ("the Supreme Court", "a Supreme Court bench"),
        "court_head": "Kerala HC" if kerala else "SC",
        "lawyer": "advocate Thomas Varghese",
    }  # fmt: skip
    it: Facts = {
        "marines": ("i fucilieri di Marina Massimiliano Latorre e Salvatore Girone",
                    "i due marò Massimiliano Latorre e Salvatore Girone"),
        "n_crew": num_it(n_crew),
        "interest": f"{interest.replace('.', ',')} crore di rupie",
        "court_full": "l'Alta Corte del Kerala" if kerala else "la Corte Suprema indiana",
        "court_head": "Alta Corte del Kerala" if kerala else "Corte Suprema indiana",
        "lawyer": "l'avvocato Thomas Varghese",
    }  # fmt: skip
    en["reply_by"], it["reply_by"] = _reply_by(rng, reply_days)
    _stage_facts(MARINES_STAGES[stage], en, it)
    return Event(
        aliases={
            "en": (("advocate Thomas Varghese", "Varghese"),),
            "it": (("l'avvocato Thomas Varghese", "Varghese"),),
        },
        slug=f"marines-{stage.replace('_', '')}-{day:%m%d}",
        kind="marines",
        day=day,
        hour=rng.uniform(10.5, 16.5),
        tz=5.5,
        facts={"en": en, "it": it},
        dates={"next": next_day} if next_day else {},
        outlets=KIND_OUTLETS["marines"],
        dateline=("Kochi", "Kochi") if kerala else ("New Delhi", "Nuova Delhi"),
        max_delay=96.0,
        keys=("court:marines", "case:marines:kerala" if kerala else "case:marines:sc"),
    )


# --------------------------------------------------------------------------------------------------
# Planning: look-alike pairs first, then other events (some on the same day as another, some reported once)

PAIR_PLAN = (  # the first round(events / 4) are used
    "ministers_venue", "minister_industry", "agusta", "marines", "port_exercise", "two_ships", "two_mous",
    "navy_venue", "agusta", "marines", "port_exercise", "two_ships", "two_mous", "minister_industry",
    "secretaries_venue", "procurement", "army_venue", "agusta", "two_ships",
)  # fmt: skip
SINGLE_KINDS = ("meeting", "industry", "mou", "port_call", "exercise", "procurement", "agusta", "marines")
SINGLE_WEIGHTS = (4, 1, 2, 3, 2, 3, 2, 1)
AGUSTA_PAIRS = (("bail_reserved", "bail_dismissed"), ("docs_notice", "docs_order"), ("charge_pros", "charge_def"))
MARINES_PAIRS = (("crew_notice", "crew_verify"), ("interest_notice", "interest_order"))


def _weekday(d: date) -> date:
    """Courts and ministries sit on weekdays: a Saturday or Sunday moves to Monday."""
    return d + timedelta(days=(7 - d.weekday()) % 7) if d.weekday() >= 5 else d


class Planner:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.campaigns: dict[str, Campaign] = {}
        self.visited: dict[str, list[str]] = {}  # ship -> ports of its single port calls
        self.used_stages: set[str] = set()  # stages of court cases already heard
        self.decks: dict[str, list[int]] = {}

    def draw(self, name: str, n: int) -> int:
        """Indexes 0…n-1 without repetition until all are used."""
        deck = self.decks.setdefault(name, [])
        if not deck:
            deck.extend(range(n))
            self.rng.shuffle(deck)
        return deck.pop()

    def fresh_stage(self, stages: tuple[str, ...]) -> str:
        """A stage of a case not yet heard in the set, while there is one (a court seldom repeats a step)."""
        stage = self.rng.choice([s for s in stages if s not in self.used_stages] or list(stages))
        self.used_stages.add(stage)
        return stage

    def campaign(self, ship: Ship) -> Campaign:
        if ship.name not in self.campaigns:
            commander = COMMANDERS[self.draw("commander", len(COMMANDERS))]  # one ship, one commander
            self.campaigns[ship.name] = new_campaign(self.rng, ship, commander)
        return self.campaigns[ship.name]

    def ship(self) -> Campaign:
        return self.campaign(SHIPS[self.draw("ship", len(SHIPS))])

    def day(self, room: int = 7) -> date:
        return START_DAY + timedelta(days=self.rng.randint(0, SPAN_DAYS - 1 - room))

    def court_days(self) -> tuple[date, date, int]:
        first = _weekday(self.day())
        while True:
            gap = self.rng.randint(2, 6)
            if (first + timedelta(days=gap)).weekday() < 5:
                return first, first + timedelta(days=gap), gap

    def pair(self, plan: str, variant: int) -> list[Event]:
        """Two look-alike events; ``variant`` counts earlier pairs of the same plan (which court stages, which expo)."""
        rng = self.rng
        if plan.endswith("_venue"):
            actor = plan.removesuffix("_venue")
            venues = ["rome", "delhi"] + [f"side{i}" for i in range(len(SIDELINES.get(actor, ())))]
            v1, v2 = rng.sample(venues, 2)
            day, nth = self.day(), rng.randint(2, 3)
            a, outcome = build_meeting(rng, day, actor, v1, nth)
            b, _ = build_meeting(
                rng, day + timedelta(days=rng.randint(2, 6)), actor, v2, nth + 1, avoid_outcome=outcome
            )
            return [a, b]
        if plan == "minister_industry":
            venue, day = rng.choice(("rome", "delhi")), _weekday(self.day())
            a, _ = build_meeting(rng, day, "ministers", venue, rng.randint(2, 4))
            return [a, build_industry(rng, day, "in" if venue == "rome" else "it", with_counterpart=True)]
        if plan == "agusta":
            s1, s2 = AGUSTA_PAIRS[variant % len(AGUSTA_PAIRS)]
            self.used_stages.update((s1, s2))
            court = rng.choice(("special", "hc")) if s1.startswith("bail") else "special"
            agency = "cbi" if s1.startswith("docs") else rng.choice(("cbi", "ed"))
            d1, d2, gap = self.court_days()
            later = _weekday(d2 + timedelta(days=rng.randint(14, 45)))
            return [
                build_agusta(rng, d1, s1, court, agency, d2, gap),
                build_agusta(rng, d2, s2, court, agency, later, None),
            ]
        if plan == "marines":
            s1, s2 = MARINES_PAIRS[variant % len(MARINES_PAIRS)]
            self.used_stages.update((s1, s2))
            n_crew, interest = rng.randint(5, 9), rng.choice(("1.4", "1.6", "1.7", "1.9"))
            d1, d2, gap = self.court_days()
            later = _weekday(d2 + timedelta(days=rng.randint(14, 45)))
            return [
                build_marines(rng, d1, s1, d2, gap, n_crew, interest),
                build_marines(rng, d2, s2, later, None, n_crew, interest),
            ]
        if plan == "port_exercise":
            c = self.ship()
            call_port, ex_port = rng.choice((("Mumbai", "Goa"), ("Mumbai", "Goa"), ("Kochi", "Goa")))
            stay, day = rng.randint(3, 4), self.day()
            ex_day = day + timedelta(days=stay - 1 + rng.randint(0, 1))
            after = (f"a {num_en(stay)}-day port call in {call_port}", f"sosta di {num_it(stay)} giorni a {call_port}")
            return [
                build_port_call(rng, day, c, PORTS[call_port], stay, exercise_port=ex_port),
                build_exercise(rng, ex_day, c, PORTS[ex_port], after),
            ]
        if plan == "two_ships":
            port = PORTS[rng.choice(tuple(PORTS))]
            c1, c2 = self.ship(), self.ship()
            day = self.day()
            return [
                build_port_call(rng, day, c1, port, rng.randint(3, 5)),
                build_port_call(rng, day + timedelta(days=rng.randint(1, 6)), c2, port, rng.randint(3, 5)),
            ]
        if plan == "two_mous":
            expo = EXPOS[variant % len(EXPOS)]
            while True:
                i, j = rng.sample(expo.subjects, 2)
                a_s, b_s = SUBJECTS[i], SUBJECTS[j]
                if a_s.it_co != b_s.it_co and a_s.in_co != b_s.in_co:
                    break
            d1 = expo.start + timedelta(days=rng.randint(0, expo.days - 2))
            d2 = d1 + timedelta(days=rng.randint(1, (expo.start + timedelta(days=expo.days - 1) - d1).days))
            return [build_mou(rng, d1, a_s, expo), build_mou(rng, d2, b_s, expo)]
        if plan == "procurement":
            i = j = self.draw("item", len(ITEMS))
            while j == i:
                j = self.draw("item", len(ITEMS))
            d1, d2, _ = self.court_days()
            return [build_procurement(rng, d1, ITEMS[i]), build_procurement(rng, d2, ITEMS[j])]
        raise ValueError(plan)

    def single(self, kind: str, day: date) -> Event:
        rng = self.rng
        if kind == "meeting":
            actor = rng.choices(("ministers", "navy", "secretaries", "army"), weights=(4, 3, 2, 2))[0]
            venue = rng.choice(["rome", "delhi"] + [f"side{i}" for i in range(len(SIDELINES.get(actor, ())))])
            return build_meeting(rng, day, actor, venue, rng.randint(2, 4))[0]
        if kind == "industry":
            return build_industry(rng, day, rng.choice(("in", "it")), with_counterpart=False)
        if kind == "mou":
            subject = SUBJECTS[self.draw("subject", len(SUBJECTS))]
            if len(self.decks.get("forum", [0])) > 0:
                return build_mou(rng, day, subject, None, self.draw("forum", len(FORUMS)))
            expo = rng.choice([e for e in EXPOS if subject_index(subject) in e.subjects])
            return build_mou(rng, expo.start + timedelta(days=rng.randint(0, expo.days - 1)), subject, expo)
        if kind == "port_call":
            c = self.ship()
            port = rng.choice([name for name in PORTS if name not in self.visited.get(c.ship.name, ())])
            self.visited.setdefault(c.ship.name, []).append(port)
            return build_port_call(rng, day, c, PORTS[port], rng.randint(3, 5))
        if kind == "exercise":
            return build_exercise(rng, day, self.ship(), PORTS[rng.choice(tuple(PORTS))], None)
        if kind == "procurement":
            return build_procurement(rng, _weekday(day), ITEMS[self.draw("item", len(ITEMS))])
        day = _weekday(day)
        later = _weekday(day + timedelta(days=rng.randint(14, 45)))
        if kind == "agusta":
            stage = self.fresh_stage(tuple(AGUSTA_STAGES))
            court = rng.choice(("special", "hc")) if stage.startswith("bail") else "special"
            agency = "cbi" if stage.startswith("docs") else rng.choice(("cbi", "ed"))
            return build_agusta(rng, day, stage, court, agency, later, None)
        stage = self.fresh_stage(tuple(MARINES_STAGES))
        return build_marines(
            rng,
            day,
            stage,
            None if stage == "reopen_plea" else later,
            None,
            rng.randint(5, 9),
            rng.choice(("1.5", "1.8")),
        )


def subject_index(subject: Subject) -> int:
    return SUBJECTS.index(subject)


# The fewest days between two events with a main actor in common that were not planned as a pair: officials do
# not visit each other every week, a ship does not come back at once, a court does not hear a case every other day.
MIN_GAP = {"officials": 20, "minister": 20, "ship": 25, "case": 7, "court": 0, "procurement": 1, "port": 0, "expo": 0}


def _clashes(ev: Event, placed: list[Event]) -> bool:
    for other in placed:
        gap = abs((ev.day - other.day).days)
        for key in ev.keys:
            if key in other.keys and gap < MIN_GAP[key.split(":")[0]]:
                return True
    return False


def plan_events(rng: random.Random, events: int) -> list[Event]:
    planner = Planner(rng)
    n_pairs = min(round(events / 4), len(PAIR_PLAN))
    out: list[Event] = []
    for i, plan in enumerate(PAIR_PLAN[:n_pairs]):
        for _ in range(50):
            pair = planner.pair(plan, PAIR_PLAN[:i].count(plan))
            if not any(_clashes(ev, out) for ev in pair):
                break
        out.extend(pair)
    n_singles = max(0, events - len(out))
    n_same_day = max(1, events // 12) if n_singles else 0
    n_one_report = max(1, events // 20) if n_singles > n_same_day else 0
    for i in range(n_singles):
        for _ in range(50):
            weekdays = [e for e in out if e.day.weekday() < 5]
            if i < n_same_day and weekdays:
                other = rng.choice(weekdays)
                kinds = [k for k in SINGLE_KINDS if k not in (other.kind, "mou")]
                weights = [w for k, w in zip(SINGLE_KINDS, SINGLE_WEIGHTS, strict=True) if k in kinds]
                ev = planner.single(rng.choices(kinds, weights=weights)[0], other.day)
            else:
                ev = planner.single(rng.choices(SINGLE_KINDS, weights=SINGLE_WEIGHTS)[0], planner.day())
            if not _clashes(ev, out):
                break
        if n_same_day <= i < n_same_day + n_one_report:
            ev.n_reports = 1
        out.append(ev)
    seen: Counter[str] = Counter()
    for ev in out:
        seen[ev.slug] += 1
        if seen[ev.slug] > 1:
            ev.slug = f"{ev.slug}-{seen[ev.slug]}"
    return out


def _lookalike_kind(shared: list[str], a: Event, b: Event) -> str:
    kinds = {a.kind, b.kind}
    prefixes = [k.split(":")[0] for k in shared]
    if "case" in prefixes:
        return "successive hearings of one case"
    if "court" in prefixes:
        return "hearings in related cases"
    if "officials" in prefixes:
        return "same officials, another meeting"
    if "minister" in prefixes:
        return (
            "ministers' talks vs the minister's industry meeting"
            if kinds == {"meeting", "industry"}
            else ("same minister, another meeting")
        )
    if "ship" in prefixes:
        return "same ship: port call and exercise" if kinds == {"port_call", "exercise"} else "same ship, another event"
    if "port" in prefixes:
        return "two ships at one port"
    if "expo" in prefixes:
        return "two MoUs at one expo"
    return "two contracts of the ministry"


def find_lookalikes(events: list[Event]) -> list[LookalikePair]:
    """Pairs of different events with a main actor in common, at most 6 days apart."""
    out = []
    for a, b in combinations(sorted(events, key=lambda e: (e.day, e.slug)), 2):
        shared = [k for k in a.keys if k in b.keys]
        if shared and abs((b.day - a.day).days) <= 6:
            out.append(LookalikePair(a.slug, b.slug, _lookalike_kind(shared, a, b)))
    return out


# --------------------------------------------------------------------------------------------------
# Writing one outlet's report of one event

SPEED = {
    "pti": 0, "ians": 0, "ansa": 0, "agenzianova": 0, "pib": 0,
    "difesa": 1, "menafn": 1, "economictimes": 1,
    "hindu": 2, "formiche": 2, "analisidifesa": 2,
}  # fmt: skip
MONTH_ABBR_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _draw(rng: random.Random, decks: dict[tuple[str, ...], list[int]], key: tuple[str, ...], n: int) -> int:
    """An index 0…n-1; within one event, every index is used once before any repeats."""
    deck = decks.setdefault(key, [])
    if not deck:
        deck.extend(range(n))
        rng.shuffle(deck)
    return deck.pop()


def _context(rng: random.Random, ev: Event, outlet: Outlet, decks: dict[tuple[str, ...], list[int]]) -> dict[str, str]:
    lang = outlet.language
    ctx: dict[str, str] = {}

    def resolve(key: str, value: str | tuple[str, ...]) -> str:
        if isinstance(value, tuple):
            return value[_draw(rng, decks, ("var", lang, key), len(value))]
        return value

    for source in (ev.facts[lang], ev.overrides.get(outlet.name, {})):
        for key, value in source.items():
            ctx[key] = resolve(key, value)
    for name, d in ev.dates.items():
        ctx[name] = date_en(d, outlet.date_style) if lang == "en" else date_it(d)
    if lang == "en":
        weekday, dm = WEEKDAYS_EN[ev.day.weekday()], date_en(ev.day, outlet.date_style)
        ctx["on_day"] = rng.choice((f"on {weekday}", f"on {weekday}", f"on {dm}"))
    else:
        weekday, dm = WEEKDAYS_IT[ev.day.weekday()], date_it(ev.day)
        ctx["il_giorno"] = rng.choice((weekday, f"il {dm}", f"{weekday} {dm}"))
    return ctx


_SENTENCE_START = re.compile(r"([.!?][”\"]?\s+)([a-zàèéìòù])")
_ELISION = re.compile(r"\b(il|del|al|dal|nel) (8|11)\b")
_ELIDED = {"il": "l'", "del": "dell'", "al": "all'", "dal": "dall'", "nel": "nell'"}


def _capitalise(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            text = text[:i] + ch.upper() + text[i + 1 :]
            break
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def _fill(template: str, ctx: dict[str, str]) -> str:
    text = template
    for _ in range(3):  # facts may hold placeholders of their own ("{acc_full}" in a decision)
        if "{" not in text:
            break
        text = text.format_map(ctx)
    text = re.sub(r"\s+", " ", text).replace(" ,", ",").replace(" .", ".").strip()
    text = _ELISION.sub(lambda m: f"{_ELIDED[m.group(1)]}{m.group(2)}", text)
    return _capitalise(text)


def _words(parts: list[str]) -> int:
    return sum(len(p.split()) for p in parts)


def _later_mentions(paragraphs: list[str], aliases: tuple[tuple[str, str], ...]) -> list[str]:
    """The first mention of a person in full, the later ones short ("Captain Davide Marino", "Captain Marino")."""
    text = "\n\n".join(paragraphs)
    for full, short in aliases:
        pattern = re.compile(f"[{full[0].lower()}{full[0].upper()}]{re.escape(full[1:])}")
        first = pattern.search(text)
        if first:
            text = text[: first.end()] + pattern.sub(short, text[first.end() :])
    return [_capitalise(p) for p in text.split("\n\n")]


def _decorate(outlet: Outlet, ev: Event, paragraphs: list[str], published: datetime, rng: random.Random) -> None:
    """The outlet's dateline and trailer, in its own local time."""
    local = published + timedelta(hours=ev.tz)  # the date at the dateline
    city_en, city_it = ev.dateline
    if outlet.name == "pti":
        paragraphs[0] = f"{city_en}, {MONTH_ABBR_EN[local.month - 1]} {local.day} (PTI) {paragraphs[0]}"
    elif outlet.name == "ians":
        paragraphs[0] = f"{city_en}, {MONTHS_EN[local.month - 1]} {local.day} (IANS) {paragraphs[0]}"
    elif outlet.name == "menafn":
        paragraphs[0] = f"(MENAFN- {rng.choice(MENAFN_PARTNERS)}) {paragraphs[0]}"
    elif outlet.name == "ansa":
        month = MONTHS_IT[local.month - 1][:3].upper()
        paragraphs[0] = f"(ANSA) - {city_it.upper()}, {local.day} {month} - {paragraphs[0]}"
        paragraphs[-1] += " (ANSA)."
    elif outlet.name == "agenzianova":
        rome = published + timedelta(hours=italy_offset(published.date()))
        stamp = f"{local.day} {MONTHS_IT[local.month - 1][:3]} {rome:%H:%M}"
        paragraphs[0] = f"{city_it}, {stamp} - (Agenzia Nova) - {paragraphs[0]}"
        paragraphs[-1] += f" ({rng.choice(NOVA_DESKS)})"


def compose(
    rng: random.Random, ev: Event, outlet: Outlet, decks: dict[tuple[str, ...], list[int]], published: datetime
) -> tuple[str, str]:
    """One outlet's headline and text: its own lead, choice and order of facts, quote and background."""
    lang, kind = outlet.language, KINDS[ev.kind]
    ctx = _context(rng, ev, outlet, decks)

    def pick(name: str, options: tuple[str, ...]) -> str:
        return _fill(options[_draw(rng, decks, (name, lang), len(options))], ctx)

    title = pick("title", kind.titles(lang))
    leads = kind.leads(lang)
    lead_template = leads[_draw(rng, decks, ("lead", lang), len(leads))]
    lead = _fill(lead_template, ctx)
    usable = [s for s in kind.slots if (not s.needs or ctx.get(s.needs)) and not (s.key and s.key in lead_template)]
    rng.shuffle(usable)
    target = rng.uniform(125, 200) if outlet.terse else rng.uniform(170, 350)
    n_body = rng.randint(2, 3) if outlet.terse else rng.randint(3, 5)
    spare = usable[n_body:]
    body = [
        (s.pos + rng.uniform(-0.35, 0.35), pick(f"slot:{s.name}", s.en if lang == "en" else s.it))
        for s in usable[:n_body]
    ]
    quote = pick("quote", kind.quotes(lang)) if rng.random() < outlet.quote else ""
    backgrounds = kind.background(lang)
    max_bg = 3 if outlet.name in ("hindu", "formiche", "analisidifesa") else 2
    bg: dict[int, str] = {}

    def add_background() -> None:
        i = _draw(rng, decks, ("bg", lang), len(backgrounds))
        if i not in bg:
            phrasings = backgrounds[i]
            bg[i] = _fill(phrasings[_draw(rng, decks, ("bg", lang, str(i)), len(phrasings))], ctx)

    if rng.random() < outlet.background:
        for _ in range(2 if rng.random() < 0.3 else 1):
            add_background()

    def count() -> int:
        return _words([lead, quote, *bg.values(), *(t for _, t in body)]) + 8  # and a dateline

    while count() < target:
        if spare:
            s = spare.pop(0)
            body.append((s.pos + rng.uniform(-0.35, 0.35), pick(f"slot:{s.name}", s.en if lang == "en" else s.it)))
        elif not quote:
            quote = pick("quote", kind.quotes(lang))
        elif len(bg) < min(max_bg, len(backgrounds)):
            add_background()
        else:
            break
    while count() > MAX_WORDS - 10 and (bg or len(body) > 2):
        if bg:
            bg.popitem()
        else:
            body.pop(rng.randrange(len(body)))

    texts = [t for _, t in sorted(body)]
    paras: list[list[str]] = [[lead]]
    if texts and not outlet.terse and rng.random() < 0.3:
        paras[0].append(texts.pop(0))
    while texts:
        k = 2 if len(texts) >= 2 and rng.random() < 0.45 else 1
        paras.append(texts[:k])
        texts = texts[k:]
    if quote:
        paras.insert(rng.randint(1, len(paras)), [quote])
    for text in bg.values():
        early = outlet.name in ("hindu", "formiche", "analisidifesa") and rng.random() < 0.5
        paras.insert(min(2, len(paras)) if early else len(paras), [text])
    max_paras = rng.randint(3, 5) if outlet.terse else rng.randint(4, 6)
    while len(paras) > max_paras:
        i = min(range(1, len(paras) - 1), key=lambda j: len(paras[j]) + len(paras[j + 1]))
        paras[i] = paras[i] + paras.pop(i + 1)
    while len(paras) < 3:
        multi = [i for i, p in enumerate(paras) if len(p) > 1]
        if not multi:
            break
        i = multi[-1]
        paras.insert(i + 1, [paras[i].pop()])
    paragraphs = _later_mentions([" ".join(p) for p in paras], ev.aliases.get(lang, ()))
    _decorate(outlet, ev, paragraphs, published, rng)
    return _capitalise(title), "\n\n".join(paragraphs)


def choose_outlets(rng: random.Random, ev: Event) -> list[str]:
    allowed = list(ev.outlets)
    en = [o for o in allowed if OUTLETS[o].language == "en"]
    it = [o for o in allowed if OUTLETS[o].language == "it"]
    n = ev.n_reports or rng.choices((2, 3, 4, 5, 6, 7), weights=(16, 26, 24, 16, 11, 7))[0]
    n = min(n, len(allowed))
    if n == 1:
        return [rng.choice(allowed)]
    mode = rng.random()
    if mode < 0.68 and en and it:
        k_it = min(len(it), rng.randint(1, max(1, n // 2)))
        k_en = min(len(en), n - k_it)
        return rng.sample(en, k_en) + rng.sample(it, k_it)
    if mode < 0.9 or len(it) < 2:
        return rng.sample(en, min(n, len(en)))
    return rng.sample(it, min(n, len(it)))


def _delay(rng: random.Random, outlet: str, max_delay: float) -> float:
    speed = SPEED[outlet]
    low, high = ((0.3, 8.0), (2.0, 30.0), (8.0, max_delay))[speed]
    return min(max_delay, rng.uniform(low, high))


def generate_event_set(seed: int = 15, events: int = 60) -> EventSet:
    rng = random.Random(seed)
    planned = plan_events(rng, events)
    drafts: list[tuple[datetime, str, str, str, str, str]] = []
    for ev in planned:
        decks: dict[tuple[str, ...], list[int]] = {}
        for name in choose_outlets(rng, ev):
            outlet = OUTLETS[name]
            published = (ev.happened_at + timedelta(hours=_delay(rng, name, ev.max_delay))).replace(
                second=0, microsecond=0
            )
            title, text = compose(rng, ev, outlet, decks, published)
            drafts.append((published, ev.slug, name, outlet.language, title, text))
    drafts.sort(key=lambda d: (d[0], d[1], d[2]))
    reports = [
        GeneratedReport(id=f"g{i:04d}", event=slug, source=name, language=lang, title=title, text=text, published_at=at)
        for i, (at, slug, name, lang, title, text) in enumerate(drafts, start=1)
    ]
    return EventSet(
        reports, find_lookalikes(planned), {ev.slug: ev.kind for ev in planned}, {ev.slug: ev.day for ev in planned}
    )


def generate_event_reports(seed: int = 15, events: int = 60) -> list[GeneratedReport]:
    """About ``events`` made-up events reported by 1–7 outlets each, in publication order (see module doc)."""
    return generate_event_set(seed, events).reports


def truth_pairs(reports: list[GeneratedReport]) -> set[frozenset[str]]:
    """Pairs of report ids that report the same event."""
    by_event: dict[str, list[str]] = {}
    for r in reports:
        by_event.setdefault(r.event, []).append(r.id)
    return {frozenset(p) for ids in by_event.values() for p in combinations(ids, 2)}


def _print_event(reports: list[GeneratedReport], slug: str) -> None:
    print(f"\n{'=' * 100}\nEVENT {slug}")
    for r in reports:
        if r.event == slug:
            when = f"{r.published_at:%Y-%m-%d %H:%M} UTC"
            print(f"\n--- {r.id} [{r.source}, {r.language}] {when}, {len(r.text.split())} words")
            print(r.title)
            print()
            print(r.text)


def main() -> None:
    s = generate_event_set()
    reports = s.reports
    per_event = Counter(r.event for r in reports)
    langs_per_event: dict[str, set[str]] = {}
    for r in reports:
        langs_per_event.setdefault(r.event, set()).add(r.language)
    mixed = sum(1 for v in langs_per_event.values() if v == {"en", "it"})
    days = [r.published_at for r in reports]
    words = [len(r.text.split()) for r in reports]
    paragraphs = [r.text.count("\n\n") + 1 for r in reports]
    print(f"reports: {len(reports)}   events: {len(per_event)}   truth pairs: {len(truth_pairs(reports))}")
    print(f"span: {min(days):%Y-%m-%d} – {max(days):%Y-%m-%d}")
    print(f"languages: {dict(Counter(r.language for r in reports))}")
    print(f"events with both an English and an Italian report: {mixed} ({mixed / len(per_event):.0%})")
    print(f"sources: {dict(Counter(r.source for r in reports).most_common())}")
    print(f"event kinds: {dict(Counter(s.events.values()).most_common())}")
    print(f"words per report: {min(words)}–{max(words)} (mean {sum(words) / len(words):.0f}); "
          f"paragraphs: {min(paragraphs)}–{max(paragraphs)}")  # fmt: skip
    print(f"reports per event: {dict(sorted(Counter(per_event.values()).items()))}")
    print(f"look-alike pairs: {len(s.lookalikes)}")
    for kind, n in Counter(p.kind for p in s.lookalikes).most_common():
        print(f"  {n:3d}  {kind}")
    same_day: dict[date, list[str]] = {}
    for slug, day in s.days.items():
        same_day.setdefault(day, []).append(slug)
    unrelated = [
        (day, slugs)
        for day, slugs in sorted(same_day.items())
        if len(slugs) > 1 and not any({p.first, p.second} <= set(slugs) for p in s.lookalikes)
    ]
    print(f"days with two or more unrelated events: {len(unrelated)}")
    for day, slugs in unrelated:
        print(f"  {day}: {', '.join(sorted(slugs))}")
    print(f"events reported once: {sum(1 for n in per_event.values() if n == 1)}")
    first_pair = next(p for p in s.lookalikes if p.kind == "same officials, another meeting")
    _print_event(reports, first_pair.first)
    _print_event(reports, first_pair.second)


if __name__ == "__main__":
    main()
