"""Build the India–Italy defence tagging evaluation set (dev.jsonl, test.jsonl).

Deterministic: `python3 generate.py` always writes the same files (seed below).

Every story *family* below is hand-written: a headline (or a few alternative headlines), paragraphs, the
label, the topics and a one-line note. A family is instantiated a few times with different dates,
cities, officials, ships and firms and a different wire style (IANS, MENAFN/IANS with its noise, PTI,
ANI, PIB, ANSA, Ministero della Difesa), and sometimes with unrelated lead paragraphs so that the
India–Italy angle arrives late. All instances of one family go to the same split, so no near-copies
cross dev/test. Families are assigned to splits alternately within each (kind, language, relevant)
group, after a seeded shuffle.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

SEED = 20260227
HERE = Path(__file__).resolve().parent

# ----------------------------------------------------------------------------------------------------
# Slot pools
# ----------------------------------------------------------------------------------------------------
MONTHS_EN = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]
MONTHS_LONG = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_IT = ["GEN", "FEB", "MAR", "APR", "MAG", "GIU", "LUG", "AGO", "SET", "OTT", "NOV", "DIC"]
MONTHS_IT_LONG = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
DAYS_IT = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"]

POOLS = {
    "CITY_IN": ["New Delhi", "Mumbai", "Bengaluru", "Hyderabad", "Chennai", "Pune", "Kochi", "Visakhapatnam"],
    "CITY_IT": ["Rome", "Milan", "Turin", "Genoa", "La Spezia", "Naples", "Taranto"],
    "CITTA": ["Roma", "Milano", "Torino", "Genova", "La Spezia", "Napoli", "Taranto"],
    "INOFF": [
        "Defence Secretary",
        "Secretary (Defence Production)",
        "Additional Secretary (Defence Production)",
        "Joint Secretary (International Cooperation)",
        "Director General (Acquisition)",
    ],
    "ITOFF": [
        "National Armaments Director",
        "Under Secretary of State for Defence",
        "Deputy Chief of the Italian Defence Staff",
        "Italian Ambassador to India",
        "Secretary General of Defence",
    ],
    "ITOFF_IT": [
        "il Segretario Generale della Difesa e Direttore Nazionale degli Armamenti",
        "il Sottosegretario alla Difesa",
        "il Sottocapo di Stato Maggiore della Difesa",
        "l'ambasciatore d'Italia a Nuova Delhi",
    ],
    "INCO": [
        "Bharat Electronics",
        "Hindustan Aeronautics",
        "Larsen & Toubro",
        "Tata Advanced Systems",
        "Bharat Forge",
        "Mahindra Defence Systems",
        "Solar Industries",
        "Data Patterns",
        "Sarvatra Aerosystems",
        "Kalinga Precision Works",
    ],
    "ITCO": [
        "Leonardo",
        "Fincantieri",
        "Elettronica SpA",
        "MBDA Italia",
        "Iveco Defence Vehicles",
        "WASS",
        "Avio Aero",
        "Tecnoval Sistemi",
        "Arsenale Meccanica Ligure",
    ],
    "INSHIP": [
        "INS Tarkash",
        "INS Sunayna",
        "INS Visakhapatnam",
        "INS Tabar",
        "INS Trikand",
        "INS Sumitra",
        "INS Mormugao",
        "INS Teg",
    ],
    "ITSHIP": [
        "ITS Carlo Bergamini",
        "ITS Francesco Morosini",
        "ITS Virginio Fasan",
        "ITS Luigi Rizzo",
        "ITS Antonio Marceglia",
        "ITS Raimondo Montecuccoli",
        "ITS Carlo Margottini",
    ],
    "NAVE_IT": [
        "nave Carlo Bergamini",
        "nave Francesco Morosini",
        "nave Virginio Fasan",
        "nave Luigi Rizzo",
        "nave Antonio Marceglia",
        "nave Raimondo Montecuccoli",
    ],
    "PORT_IN": ["Goa", "Mumbai", "Kochi", "Visakhapatnam", "Chennai", "Port Blair"],
    "NUM": ["14", "18", "22", "26", "31", "35", "40", "47"],
    "EUR": [
        "84 million euros",
        "120 million euros",
        "156 million euros",
        "210 million euros",
        "312 million euros",
        "45 million euros",
    ],
    "CRORE": ["Rs 412 crore", "Rs 780 crore", "Rs 1,150 crore", "Rs 2,260 crore", "Rs 96 crore"],
    "PCT": ["6.2", "7.8", "9.1", "11.4", "13", "4.7"],
    "BN": ["14.2", "14.9", "15.6", "16.3", "13.8"],
    "SEA": ["Arabian Sea", "Gulf of Aden", "Bay of Bengal", "western Indian Ocean", "Tyrrhenian Sea"],
    "ADM_IN": ["Rear Admiral", "Vice Admiral", "Commodore"],
    "REG": ["Lombardy", "Veneto", "Emilia-Romagna", "Piedmont", "Tuscany"],
    "REGIONE": ["Lombardia", "Veneto", "Emilia-Romagna", "Piemonte", "Toscana"],
    "STATE": ["Maharashtra", "Tamil Nadu", "Karnataka", "Gujarat", "Telangana", "Uttar Pradesh"],
    "INIT": ["ab/cd", "sktr/vd", "rch/dan", "pgh/rad", "vm/arm", "ksk/", "san/dpb", "mr/uk"],
    "PTI_INIT": ["PTI AB CD", "PTI KR RT", "PTI SKU NSD", "PTI DAN ZMN", "PTI MPB RDS"],
    "PIB_SIGN": ["VK/Savvy", "ABB/Anand", "SR/KB", "MJPS/SS/VJ", "Abhishek Dayal/Nitin"],
}

DISCLAIMER = (
    "Legal Disclaimer:\nMENAFN provides the information \u201cas is\u201d without warranty of any kind. We do not "
    "accept any responsibility or liability for the accuracy, content, images, videos, licenses, completeness, "
    "legality, or reliability of the information contained in this article. If you have any complaints or "
    "copyright issues related to this article, kindly contact the provider above."
)

# Lead paragraphs that push the India–Italy matter further down a long story (English, Indian desk).
LEAD_EN = [
    "The Ministry of Defence on {DAY} released the figures for defence production in the first half of the "
    "financial year, which rose by {PCT} per cent over the same period last year, led by orders for "
    "ammunition and electronic warfare systems placed with domestic firms.",
    "The Defence Acquisition Council on {DAY} approved capital acquisition proposals "
    "for night-sight devices, mobile bridging equipment and upgraded communication sets for the Army.",
    "The Defence Minister on {DAY} inaugurated an exhibition of start-ups working on counter-drone "
    "technology, where more than {NUM} firms showed prototypes to officers from the three services.",
    "Officials said the ministry had also cleared a revised policy for the disposal of obsolete stores, "
    "which had been held up for two years because of disagreements over the valuation of scrap.",
    "In a separate development, the Border Roads Organisation said it had completed the tunnel approach "
    "roads in the eastern sector ahead of schedule despite an early snowfall.",
    "The government has set a target of doubling defence exports over the next three years, and has "
    "asked public sector undertakings to open dedicated export cells at each of their divisions.",
    "The Navy's annual maintenance schedule has been compressed this year to allow more ships to be "
    "deployed for anti-piracy patrols, a senior officer told reporters on condition of anonymity.",
]
# Which LEAD_EN paragraphs can open a story (the others follow an opening one).
LEAD_EN_OPENING = 3
# Round-up headlines for stories that open with lead paragraphs.
LEAD_TITLES_EN = [
    "Defence production up {PCT}% in first half, says ministry",
    "MoD round-up: production figures, acquisitions and foreign cooperation",
    "Defence ministry reviews production, exports and foreign ties",
    "Defence exports, start-ups and foreign ties: ministry's week",
]
LEAD_TITLES_IT = [
    "Difesa: le notizie della settimana",
    "Consiglio dei ministri, approvato il ddl appalti. Difesa, attività internazionali",
    "Forze Armate, reclutamento in crescita del {PCT}%",
]
LEAD_IT = [
    "Il Consiglio dei ministri ha approvato {GIORNO} il disegno di legge sulla semplificazione delle "
    "procedure per gli appalti pubblici, che ora passa all'esame del Parlamento.",
    "Nella stessa giornata il ministero ha diffuso i dati sul reclutamento dei volontari, in crescita "
    "del {PCT} per cento rispetto all'anno precedente.",
    "In mattinata si era svolta a Palazzo Baracchini una riunione sul bilancio pluriennale, con i vertici "
    "delle Forze Armate e i rappresentanti del ministero dell'Economia.",
]


def _date(rng: random.Random) -> dict[str, str]:
    m = rng.randrange(12)
    d = rng.randint(1, 28)
    wd = rng.randrange(6)
    year = rng.choice([2025, 2026])
    return {
        "D": f"{MONTHS_EN[m]} {d}",
        "DLONG": f"{MONTHS_LONG[m]} {d}",
        "DI": f"{d} {MONTHS_IT[m]}",
        "DIL": f"{d} {MONTHS_IT_LONG[m]} {year}",
        "DAY": DAYS_EN[wd],
        "GIORNO": DAYS_IT[wd],
        "YEAR": str(year),
    }


def slots(rng: random.Random) -> dict[str, str]:
    s = {k: rng.choice(v) for k, v in POOLS.items()}
    # Two different values where a template needs a second one.
    for k in ("INCO", "ITCO", "INSHIP", "CITY_IN"):
        s[k + "2"] = rng.choice([x for x in POOLS[k] if x != s[k]])
    s.update(_date(rng))
    return s


# ----------------------------------------------------------------------------------------------------
# Families. Fields: kind, rel, topics, lang, where ("in"/"it" dateline), styles, titles, paras, note,
# n (instances), lead (True: the family is already a long round-up, add no lead paragraphs). Other
# Indian-desk relevant families (and some India-only / third-country ones) get unrelated lead
# paragraphs at random, so the India–Italy matter comes late.
# A paragraph may be a list of alternatives.
# ----------------------------------------------------------------------------------------------------
F: list[dict] = []


def fam(kind, rel, topics, lang, where, styles, titles, paras, note, n=3, lead=False):
    F.append(
        dict(
            kind=kind,
            rel=rel,
            topics=topics,
            lang=lang,
            where=where,
            styles=styles,
            titles=titles,
            paras=paras,
            note=note,
            n=n,
            lead=lead,
        )
    )


EN_IN = ["ians", "menafn", "menafn2", "pti", "ani", "plain"]
EN_PIB = ["pib", "ani", "pti"]
IT = ["ansa", "difesa", "nova"]

# ============================== RELEVANT (English) ==============================
fam(
    "relevant",
    True,
    ["industrial-cooperation", "diplomacy"],
    "en",
    "it",
    EN_IN,
    [
        "SIDM, Italy's AIAD sign MoU to deepen defence industrial ties",
        "Indian, Italian defence industry bodies sign pact in {CITY_IT}",
    ],
    [
        "The Society of Indian Defence Manufacturers (SIDM) and Italy's AIAD, the federation of Italian "
        "aerospace, defence and security companies, on {DAY} signed a memorandum of understanding to promote "
        "industrial collaboration between firms of the two countries.",
        "The MoU was signed on the sidelines of an India-Italy defence industry seminar attended by the "
        "{INOFF} and the {ITOFF}, along with representatives of more than {NUM} companies.",
        "Under the agreement the two associations will organise B2B meetings, share information on tenders "
        "and help small suppliers find partners for co-production under Make in India.",
        [
            '"Italian primes bring system integration experience; our companies bring scale and cost," an SIDM '
            "office-bearer said, adding that the first joint working session would be held in {CITY_IN} "
            "later this year.",
            "An AIAD representative said Italian companies saw India not only as a market but as a base for "
            "supply chains serving third markets.",
        ],
    ],
    "SIDM-AIAD MoU at a bilateral defence industry seminar",
    n=4,
)

fam(
    "relevant",
    True,
    ["diplomacy", "industrial-cooperation"],
    "en",
    "in",
    EN_PIB,
    [
        "Defence Secretary holds talks with Italian National Armaments Director",
        "India, Italy review defence cooperation at Joint Defence Committee meeting",
    ],
    [
        "The {INOFF} and Italy's National Armaments Director co-chaired the India-Italy Joint Defence "
        "Committee meeting in {CITY_IN} on {DAY}.",
        "The two sides reviewed the progress of bilateral defence cooperation since the last meeting and "
        "discussed ways to expand industrial collaboration, including co-development and co-production of "
        "platforms and sub-systems in India.",
        "The Indian side invited Italian defence companies to set up manufacturing in the defence "
        "industrial corridors of Uttar Pradesh and Tamil Nadu, while the Italian delegation briefed "
        "officials on its current acquisition programmes.",
        "The meeting was followed by a round-table with industry representatives from both countries.",
    ],
    "Joint Defence Committee between India's MoD and Italy's armaments directorate",
    n=3,
)

fam(
    "relevant",
    True,
    ["diplomacy"],
    "en",
    "it",
    EN_IN,
    ["Rajnath Singh speaks to Italian counterpart Crosetto", "Rajnath, Crosetto discuss defence ties over phone"],
    [
        "Defence Minister Rajnath Singh on {DAY} held a telephone conversation with Italian Defence Minister "
        "Guido Crosetto and reviewed the bilateral defence relationship.",
        "The two ministers discussed the implementation of the defence cooperation agreement between India "
        "and Italy and agreed to hold the next round of the joint working group at an early date.",
        [
            'Singh said on social media that he had a "warm and productive" conversation and that the '
            "strategic partnership between the two countries was growing in depth.",
            "Crosetto thanked India for its support to the safe passage of merchant ships and said Rome looked "
            "forward to stronger military-to-military contacts.",
        ],
    ],
    "phone call between the two defence ministers",
    n=3,
)

fam(
    "relevant",
    True,
    ["naval", "joint-exercise", "maritime-security"],
    "en",
    "in",
    EN_IN,
    ["Indian, Italian navies conduct PASSEX in {SEA}", "{INSHIP} exercises with Italian frigate {ITSHIP}"],
    [
        "Indian Navy ship {INSHIP} and the Italian Navy frigate {ITSHIP} carried out a passage exercise "
        "(PASSEX) in the {SEA} on {DAY}, the Navy said.",
        "The exercise included communication drills, tactical manoeuvres, a cross-deck helicopter landing "
        "and a simulated replenishment at sea.",
        "A Navy spokesperson said the interaction enhanced interoperability between the two navies and "
        "reflected their shared commitment to maritime security and freedom of navigation in the Indo-Pacific.",
        [
            "The Italian frigate is on a long-range deployment that has taken it through the Red Sea.",
            "The Indian ship is currently deployed for anti-piracy patrols in the region.",
        ],
    ],
    "bilateral PASSEX between the two navies",
    n=4,
)

fam(
    "relevant",
    True,
    ["naval", "joint-exercise", "diplomacy"],
    "en",
    "in",
    EN_PIB,
    ["Italian Navy ship {ITSHIP} arrives in {PORT_IN} on port call", "Italian frigate on goodwill visit to {PORT_IN}"],
    [
        "The Italian Navy ship {ITSHIP} arrived at {PORT_IN} on {DAY} for a four-day port call, the Indian "
        "Navy said in a statement.",
        "During the stay, the ship's crew will take part in professional interactions, cross-deck visits, "
        "sports fixtures and a yoga session with personnel of the Indian Navy.",
        "The commanding officer of the Italian ship will call on the Flag Officer Commanding of the local "
        "naval area. On departure, the two navies will conduct a maritime partnership exercise.",
        "The visit, officials said, builds on the growing maritime cooperation between India and Italy.",
    ],
    "Italian warship port call in India with a partnership exercise",
    n=4,
)

fam(
    "relevant",
    True,
    ["naval", "joint-exercise", "aerospace"],
    "en",
    "in",
    EN_IN,
    [
        "Italian carrier strike group docks in Goa, to train with Indian Navy",
        "Cavour carrier group exercises with Indian Navy off west coast",
    ],
    [
        "An Italian carrier strike group led by the aircraft carrier ITS Cavour arrived off Goa on {DAY}, "
        "the first visit by an Italian carrier group to Indian waters in nearly two decades.",
        "The group, which includes the frigate {ITSHIP}, will conduct a joint exercise with the Indian Navy's "
        "carrier battle group, including air defence drills involving Italian F-35B jets and Indian MiG-29K "
        "fighters, officials said.",
        "A senior Indian Navy officer said the exercise would allow pilots of both navies to study each other's "
        'deck procedures. "This is an important step in the India-Italy defence relationship," he said.',
        "The Italian ships are on a five-month deployment to the Indo-Pacific.",
    ],
    "Italian carrier group exercise with Indian Navy",
    n=3,
)

fam(
    "relevant",
    True,
    ["procurement", "naval", "technology-transfer"],
    "en",
    "in",
    EN_IN,
    [
        "BHEL-Leonardo gun deal: Navy orders more Super Rapid Gun Mounts",
        "Navy signs {CRORE} contract for naval guns built with Italian technology",
    ],
    [
        "The Ministry of Defence on {DAY} signed a contract worth {CRORE} with Bharat Heavy Electricals for "
        "the supply of upgraded 76 mm Super Rapid Gun Mounts for Indian Navy ships.",
        "The guns are being manufactured at BHEL's Haridwar plant under a transfer of technology from "
        "Italy's Leonardo, the original equipment manufacturer, officials said.",
        "The contract covers {NUM} gun mounts for frigates and offshore patrol vessels under construction, "
        "with deliveries to begin within three years.",
        "The ministry said the licensed production would raise indigenous content in the guns to over 60 per cent.",
    ],
    "Indian MoD contract for guns produced under Leonardo ToT",
    n=3,
)

fam(
    "relevant",
    True,
    ["procurement", "naval"],
    "en",
    "it",
    EN_IN,
    [
        "Fincantieri wins order to design fleet support vessel for Indian yard",
        "Italy's Fincantieri bags Indian naval design contract",
    ],
    [
        "Italian shipbuilder Fincantieri has won a contract from an Indian shipyard to provide design and "
        "engineering services for a new class of naval support ships, the company said on {DAY}.",
        "The contract, valued at around {EUR}, covers the basic design of the vessels, which will be built "
        "in India for the Indian Navy, and on-site support during construction.",
        "Fincantieri had earlier designed the Navy's fleet tanker INS Deepak and INS Shakti, built in Italy "
        "and delivered more than a decade ago.",
        "Company officials in {CITY_IT} said the award confirmed the group's long presence in the Indian naval market.",
    ],
    "Italian yard's contract for Indian Navy ships",
    n=3,
)

fam(
    "relevant",
    True,
    ["aerospace", "industrial-cooperation", "technology-transfer"],
    "en",
    "in",
    EN_IN,
    [
        "{INCO} ties up with Italy's Leonardo for helicopter production in India",
        "Leonardo, {INCO} sign pact to make helicopters in India",
    ],
    [
        "Italy's Leonardo and {INCO} on {DAY} signed a memorandum of understanding to produce medium-lift "
        "helicopters in India for the armed forces and civil operators.",
        "Under the agreement, the Indian firm will set up a final assembly line and the Italian aerospace "
        "major will provide technology transfer for the airframe and know-how for maintenance.",
        "The partners plan to bid for the Indian Air Force and Coast Guard requirements expected over the "
        "next five years.",
        "Leonardo's helicopter business was previously barred from Indian defence contracts, a ban that "
        "was lifted after a review by the Indian defence ministry.",
    ],
    "Leonardo-Indian firm helicopter co-production MoU",
    n=3,
)

fam(
    "relevant",
    True,
    ["land-systems", "industrial-cooperation"],
    "en",
    "in",
    EN_IN,
    [
        "Iveco Defence Vehicles, {INCO} to co-develop light armoured vehicles for Indian Army",
        "Italian firm IDV eyes Indian Army vehicle programme with local partner",
    ],
    [
        "Iveco Defence Vehicles of Italy and {INCO} announced on {DAY} that they would jointly develop a "
        "family of light armoured vehicles for the Indian Army.",
        "The vehicles will be built at a plant in {STATE} with an initial indigenous content of 50 per cent, "
        "rising to 70 per cent, the companies said in a joint statement.",
        "An Indian Army trial team evaluated a prototype last year. The partners said the co-development "
        "arrangement would also cover ambulance and recovery variants.",
        '"India is a priority market for our land systems," an IDV executive said in {CITY_IN}.',
    ],
    "Italian-Indian armoured vehicle joint venture for the Army",
    n=3,
)

fam(
    "relevant",
    True,
    ["land-systems", "joint-exercise"],
    "en",
    "in",
    EN_PIB,
    [
        "Indian and Italian armies begin first bilateral training exercise",
        "Army contingent leaves for joint exercise with Italian Army",
    ],
    [
        "A contingent of the Indian Army comprising {NUM} personnel departed on {DAY} for Italy to take part "
        "in the first bilateral joint military exercise with the Italian Army.",
        "The exercise, to be held near {CITY_IT}, will focus on counter-insurgency operations in "
        "semi-urban terrain, mountain warfare drills and the use of drones for surveillance.",
        "The Italian Army will be represented by an Alpini battalion. The exercise aims to share best "
        "practices and enhance interoperability between the two armies.",
        "Officials said the exercise would be held every two years, alternately in India and Italy.",
    ],
    "India-Italy army exercise",
    n=3,
)

fam(
    "relevant",
    True,
    ["land-systems", "procurement"],
    "en",
    "in",
    EN_IN,
    [
        "Army to buy Italian-made ammunition fuzes, says report",
        "Indian Army places order for artillery fuzes with Italian firm",
    ],
    [
        "The Indian Army has placed an order worth {CRORE} with an Italian company for electronic fuzes for "
        "155 mm artillery ammunition, sources in the defence establishment said.",
        "The order follows trials at the Pokhran ranges last year in which the fuzes from the Italian "
        "supplier met the Army's requirements for accuracy and safety.",
        "A portion of the fuzes will be assembled in India by {INCO2} under a licensed production "
        "arrangement, the sources said.",
        "The Army has been trying to build up its reserves of artillery ammunition since the stand-off in "
        "eastern Ladakh.",
    ],
    "Indian Army artillery fuze purchase from an Italian firm",
    n=3,
)

fam(
    "relevant",
    True,
    ["space", "diplomacy"],
    "en",
    "in",
    EN_IN,
    [
        "India, Italy to explore cooperation in military space, satellite surveillance",
        "India and Italy hold first defence space dialogue",
    ],
    [
        "India and Italy on {DAY} held their first dialogue on defence space cooperation in {CITY_IN}, "
        "covering satellite-based surveillance, space situational awareness and secure satellite "
        "communications for the armed forces.",
        "The Indian delegation was led by the head of the Defence Space Agency and the Italian side by the "
        "chief of the Italian Defence Staff's space operations command.",
        "The two sides discussed sharing of satellite data for maritime domain awareness in the Indian Ocean "
        "and possible cooperation between Indian and Italian space companies on small military satellites.",
        "Both sides agreed to meet annually, officials said.",
    ],
    "India-Italy defence space dialogue",
    n=3,
)

fam(
    "relevant",
    True,
    ["space", "industrial-cooperation"],
    "en",
    "it",
    EN_IN,
    [
        "Italian space firm, Indian defence start-up to build surveillance satellites",
        "Telespazio, {INCO} partner on military satellite payloads",
    ],
    [
        "Telespazio, a Leonardo group company, and India's {INCO} signed an agreement in {CITY_IT} on {DAY} "
        "to jointly develop synthetic aperture radar satellites for defence surveillance.",
        "The first satellites would be offered to the Indian armed forces, which are seeking a constellation "
        "for round-the-clock monitoring of borders and the sea, the companies said.",
        "The Indian firm will manufacture the satellite buses in {CITY_IN}, while the Italian partner will "
        "supply radar payload know-how and ground segment software.",
        "The agreement was signed in the presence of officials of the Indian embassy in Rome.",
    ],
    "Italian-Indian defence satellite industrial tie-up",
    n=3,
)

fam(
    "relevant",
    True,
    ["cyber", "diplomacy"],
    "en",
    "in",
    EN_PIB,
    [
        "India, Italy hold talks on cyber defence cooperation",
        "India-Italy joint working group discusses military cyber security",
    ],
    [
        "India and Italy held the first meeting of their joint working group on cyber defence in {CITY_IN} "
        "on {DAY}, the Ministry of Defence said.",
        "The Indian delegation was led by a senior officer of the Defence Cyber Agency and the Italian "
        "delegation by the head of the Italian Defence Staff's joint cyber operations command.",
        "The two sides exchanged views on threats to military networks, training of cyber specialists and "
        "the protection of defence supply chains from cyber attacks.",
        "They agreed to hold a table-top cyber exercise next year and to exchange trainees at each other's "
        "cyber training institutions.",
    ],
    "bilateral military cyber working group",
    n=3,
)

fam(
    "relevant",
    True,
    ["cyber", "industrial-cooperation"],
    "en",
    "in",
    EN_IN,
    [
        "Leonardo and {INCO} to set up cyber security centre for defence clients",
        "Italy's Leonardo, Indian firm launch secure networks venture",
    ],
    [
        "Italian defence and aerospace group Leonardo and {INCO} on {DAY} launched a joint venture to "
        "provide cyber security services to defence and critical infrastructure customers in India.",
        "The venture will operate a security operations centre in {CITY_IN} staffed by Indian engineers "
        "trained in Italy, and will offer secure communications for the armed forces.",
        "Leonardo runs cyber defence services for NATO and the Italian armed forces. The partners said the "
        "venture would start with a pilot for an Indian defence public sector undertaking.",
    ],
    "Italian-Indian defence cyber joint venture",
    n=3,
)

fam(
    "relevant",
    True,
    ["technology-transfer", "naval", "industrial-cooperation"],
    "en",
    "in",
    EN_IN,
    [
        "Bharat Dynamics, Italy's WASS agree on torpedo technology transfer",
        "Heavyweight torpedo ToT pact between BDL and Italian firm",
    ],
    [
        "Bharat Dynamics Limited (BDL) and Italy's WASS, a maker of underwater weapons, have signed an "
        "agreement for the transfer of technology for lightweight torpedoes, BDL said in a stock exchange "
        "filing on {DAY}.",
        "Under the deal, the Italian firm will transfer manufacturing know-how for the torpedo's propulsion "
        "and guidance sections to BDL's Visakhapatnam unit.",
        "The torpedoes are intended for Indian Navy helicopters and surface ships. BDL said the agreement "
        "would cut dependence on imports of underwater weapons.",
    ],
    "torpedo ToT between Indian PSU and Italian firm",
    n=3,
)

fam(
    "relevant",
    True,
    ["technology-transfer", "aerospace"],
    "en",
    "in",
    EN_PIB,
    [
        "HAL to make Italian avionics under licence for IAF trainers",
        "HAL signs licence agreement with Italian firm for trainer avionics",
    ],
    [
        "Hindustan Aeronautics Limited on {DAY} signed a licence agreement with an Italian aerospace company "
        "for the manufacture of mission computers and displays for the Indian Air Force's trainer aircraft.",
        "The agreement includes transfer of technology for the software and hardware, allowing HAL to "
        "support the avionics over the aircraft's life, a HAL spokesperson said.",
        "The licensed production will take place at HAL's avionics division in {CITY_IN}.",
    ],
    "HAL licensed production of Italian avionics",
    n=3,
)

fam(
    "relevant",
    True,
    ["legal", "aerospace", "procurement"],
    "en",
    "in",
    EN_IN,
    ["AgustaWestland case: ED files fresh chargesheet", "VVIP chopper scam: court takes cognisance of new chargesheet"],
    [
        "The Enforcement Directorate on {DAY} filed a supplementary chargesheet in a Delhi court in the "
        "AgustaWestland VVIP helicopter case, naming two more middlemen.",
        "The case relates to alleged kickbacks paid to secure the 2010 contract for 12 AW101 helicopters "
        "from the Italian firm, then a subsidiary of Finmeccanica, for the Indian Air Force's VIP fleet.",
        "The contract, worth about 3,600 crore rupees, was cancelled by the Indian defence ministry in "
        "2014 after Italian prosecutors arrested the chief of Finmeccanica.",
        "The CBI is separately prosecuting former officials in the case.",
    ],
    "defence procurement corruption case between India and Italy (AgustaWestland)",
    n=3,
)

fam(
    "relevant",
    True,
    ["legal", "naval", "maritime-security", "diplomacy"],
    "en",
    "in",
    EN_IN,
    [
        "Enrica Lexie case: families of fishermen receive compensation",
        "Italian marines case formally closed, says government",
    ],
    [
        "The Supreme Court on {DAY} noted that the compensation paid by Italy to the families of the two "
        "Kerala fishermen killed in 2012 had been fully disbursed, clearing the way for the closure of the "
        "case in India.",
        "The fishermen were shot off the Kerala coast by two Italian Navy marines deployed on the oil "
        "tanker Enrica Lexie as an anti-piracy protection team.",
        "An international arbitration tribunal had ruled that the marines enjoyed immunity as Italian "
        "state officials and that Italy would prosecute them, while India was entitled to compensation.",
        "The dispute had strained India-Italy relations for nearly a decade.",
    ],
    "Enrica Lexie marines arbitration: military personnel, legal matter between the two states",
    n=3,
)

fam(
    "relevant",
    True,
    ["maritime-security", "naval", "diplomacy"],
    "en",
    "in",
    EN_IN,
    [
        "India, Italy to cooperate on Red Sea shipping security",
        "Indian and Italian navies to share information on Red Sea threats",
    ],
    [
        "India and Italy have agreed to step up cooperation on the security of merchant shipping in the "
        "Red Sea and the western Indian Ocean, officials said on {DAY}.",
        "The Indian Navy and the Italian Navy, which leads the European Union's escort mission in the region, "
        "will exchange information on threats to merchant vessels and coordinate patrols in the Gulf of Aden.",
        "An Italian naval liaison officer will be posted at the Information Fusion Centre for the Indian "
        "Ocean Region in Gurugram, the officials said.",
        "Indian warships have responded to more than a dozen piracy and drone incidents in the region "
        "over the past year.",
    ],
    "bilateral maritime-security cooperation",
    n=3,
)

fam(
    "relevant",
    True,
    ["maritime-security", "naval"],
    "en",
    "in",
    EN_IN,
    [
        "Indian warship escorts Italian-flagged vessel after drone attack",
        "Navy, Italian frigate coordinate response to attack on tanker",
    ],
    [
        "An Indian Navy destroyer and an Italian Navy frigate on {DAY} coordinated the response to a drone "
        "attack on a merchant tanker in the Gulf of Aden, the Navy said.",
        "The Italian frigate {ITSHIP} shot down a second drone while {INSHIP} sent a firefighting team on "
        "board the tanker, which had 22 crew including nine Indians.",
        "A Navy spokesperson said the two warships had been in contact through the maritime security "
        "information network and that the incident showed the value of cooperation against piracy and "
        "attacks on shipping in the region.",
    ],
    "operational maritime-security coordination of the two navies",
    n=3,
)

fam(
    "relevant",
    True,
    ["diplomacy", "maritime-security"],
    "en",
    "it",
    EN_IN,
    [
        "India, Italy adopt joint strategic action plan; defence, security key pillars",
        "Modi, Meloni unveil joint strategic action plan",
    ],
    [
        "India and Italy on {DAY} adopted a five-year joint strategic action plan covering trade, energy, "
        "science, migration and defence.",
        "On defence, the plan provides for regular meetings of the two defence ministers, joint exercises "
        "between the armed forces and cooperation in defence production, including co-development of "
        "naval platforms.",
        "The two sides also agreed to deepen maritime security cooperation in the Indo-Pacific and the "
        "Mediterranean and to hold a maritime dialogue.",
        "The plan sets a target of raising bilateral trade to 20 billion euros.",
    ],
    "strategic plan with defence as a substantive item",
    n=3,
)

fam(
    "relevant",
    True,
    ["procurement", "aerospace"],
    "en",
    "in",
    EN_IN,
    [
        "Coast Guard to get Italian-made maritime patrol radars",
        "MoD inks deal for airborne surveillance radars with Italian supplier",
    ],
    [
        "The Ministry of Defence has signed a contract with Leonardo for the supply of airborne surveillance "
        "radars for the Indian Coast Guard's Dornier aircraft, officials said on {DAY}.",
        "The radars will be integrated by Hindustan Aeronautics at its Kanpur division, with deliveries "
        "starting next year.",
        "Officials said the contract followed a competitive tender in which the Italian radar was found "
        "to be the lowest compliant bid.",
    ],
    "Indian MoD contract with Italian firm",
    n=3,
)

fam(
    "relevant",
    True,
    ["industrial-cooperation", "procurement"],
    "en",
    "in",
    EN_IN,
    [
        "Italian defence firms scout for Indian suppliers at {CITY_IN} meet",
        "Italy's defence majors hold vendor meet for Indian MSMEs",
    ],
    [
        "A delegation of {NUM} Italian aerospace and defence companies held a vendor development meet with "
        "Indian small and medium enterprises in {CITY_IN} on {DAY}.",
        "The event, organised with the Italian embassy and the Society of Indian Defence Manufacturers, "
        "sought Indian suppliers for precision machined parts, cable harnesses and electronic cards for "
        "Italian defence programmes.",
        "Italian officials said offset obligations and the wish to diversify supply chains were driving "
        "the interest. Indian participants said they hoped to move from build-to-print orders to "
        "co-development.",
    ],
    "Italian defence industry sourcing from Indian firms",
    n=3,
)

fam(
    "relevant",
    True,
    ["aerospace", "diplomacy"],
    "en",
    "in",
    EN_PIB,
    ["Chief of the Air Staff visits Italy", "IAF chief on official visit to Italy"],
    [
        "The Chief of the Air Staff of the Indian Air Force left on {DAY} on an official visit to Italy "
        "to strengthen cooperation between the two air forces.",
        "During the visit he will call on the Chief of the Italian Air Force Staff and visit the Italian "
        "Air Force's flight training school and Leonardo's aircraft production facility.",
        "The visit is expected to open avenues for exchange of flying instructors and participation in each "
        "other's air exercises, the IAF said.",
    ],
    "IAF chief visit to Italy",
    n=3,
)

fam(
    "relevant",
    True,
    ["joint-exercise", "aerospace"],
    "en",
    "in",
    EN_IN,
    [
        "IAF, Italian Air Force fighters fly together over Rajasthan",
        "Italian Eurofighters train with IAF in bilateral exercise",
    ],
    [
        "Fighter aircraft of the Indian Air Force and the Italian Air Force carried out a bilateral air "
        "exercise over Rajasthan this week, the IAF said on {DAY}.",
        "Italian Eurofighter Typhoons and tanker aircraft flew alongside IAF Su-30MKI and Tejas jets in "
        "air combat and refuelling missions from the Jodhpur air base.",
        '"The exercise gave our pilots valuable exposure to a European air force\'s tactics," an IAF officer '
        "said. The Italian detachment of {NUM} aircrew will return home at the end of the week.",
    ],
    "India-Italy air force exercise",
    n=3,
)

fam(
    "relevant",
    True,
    ["naval", "procurement", "industrial-cooperation"],
    "en",
    "in",
    EN_IN,
    [
        "Cochin Shipyard, Fincantieri sign pact for naval and specialised vessels",
        "Fincantieri, Cochin Shipyard team up",
    ],
    [
        "Cochin Shipyard Limited and Italy's Fincantieri signed a memorandum of understanding on {DAY} to "
        "cooperate in the design and construction of naval vessels and specialised ships in India.",
        "The companies said they would jointly bid for upcoming Indian Navy programmes, including fleet "
        "support ships, and explore co-production of hull sections for export.",
        "Cochin Shipyard's chairman said the Italian group's naval design experience would help the "
        "yard compete for complex warship orders.",
    ],
    "Indian shipyard-Italian shipbuilder naval MoU",
    n=3,
)

fam(
    "relevant",
    True,
    ["diplomacy", "naval"],
    "en",
    "in",
    EN_PIB,
    ["Navy chief meets Italian counterpart", "Chief of Italian Navy on official visit to India"],
    [
        "The Chief of the Italian Navy Staff arrived in New Delhi on {DAY} on a three-day official visit to India.",
        "He held talks with the Chief of the Naval Staff on cooperation in maritime security, training, "
        "information sharing and shipbuilding, and laid a wreath at the National War Memorial.",
        "The visiting admiral will also travel to {PORT_IN} to see Indian Navy ships and a shipyard, the Navy said.",
    ],
    "Italian navy chief's visit to India",
    n=3,
)

fam(
    "relevant",
    True,
    ["diplomacy", "technology-transfer"],
    "en",
    "in",
    EN_IN,
    [
        "India, Italy sign agreement on protection of classified defence information",
        "Cabinet approves India-Italy pact on classified information",
    ],
    [
        "India and Italy on {DAY} signed an agreement on the mutual protection of classified information "
        "exchanged in the course of defence cooperation.",
        "Officials said the agreement was a precondition for transfer of technology and joint development "
        "of sensitive defence equipment between companies of the two countries.",
        "The pact was signed by the Indian ambassador in Rome and a senior official of the Italian defence ministry.",
    ],
    "bilateral defence agreement enabling ToT",
    n=3,
)

# ---- long stories: India–Italy angle late (relevant)
fam(
    "relevant",
    True,
    ["naval", "joint-exercise"],
    "en",
    "in",
    ["ians", "menafn", "pti"],
    ["Mumbai port posts record cargo throughput", "Port traffic up on new berth"],
    [
        "The Mumbai Port Authority on {DAY} reported a record cargo throughput for the financial year so far, "
        "with container volumes up {PCT} per cent.",
        "Officials attributed the growth to a new deep-draught berth that allows larger vessels to dock "
        "without waiting for the tide.",
        "The port is also investing in shore power for cruise ships and an automated gate system; trade "
        "unions have asked for retraining for workers affected by automation.",
        "Freight forwarders warned that road congestion on the approach to the port remains a bottleneck "
        "during the monsoon.",
        "Separately, port officials confirmed that an Italian Navy frigate, {ITSHIP}, will call at Mumbai "
        "next month and conduct a joint exercise with the Indian Navy in the Arabian Sea.",
    ],
    "misleading headline: port-traffic story; India-Italy naval exercise only in last paragraph",
    n=3,
    lead=False,
)
F[-1]["kind"] = "misleading-headline"

fam(
    "misleading-headline",
    True,
    ["industrial-cooperation", "procurement"],
    "en",
    "in",
    EN_IN,
    ["{INCO} shares jump 6% on strong quarterly numbers", "{INCO} Q3 profit rises on export orders"],
    [
        "Shares of {INCO} rose as much as 6 per cent on {DAY} after the company reported a {PCT} per cent "
        "rise in quarterly net profit, beating analysts' estimates.",
        "Revenue from operations grew on the back of higher execution of domestic orders, the company "
        "said. Margins improved due to lower raw material costs.",
        "The management told analysts that the order book stood at a record level and that export enquiries "
        "were rising.",
        "It said it had signed a contract with Italy's Leonardo to manufacture structural parts and "
        "electronic assemblies for Leonardo's military helicopters, the first such order from an Italian "
        "defence company, and would supply them from its {STATE} plant.",
        "Brokerages maintained their buy ratings on the stock.",
    ],
    "bland market headline; defence-industrial contract with Italian firm in body",
    n=3,
)

fam(
    "misleading-headline",
    True,
    ["diplomacy", "maritime-security"],
    "en",
    "it",
    EN_IN,
    ["EAM Jaishankar meets Italian Foreign Minister in Rome", "Jaishankar in Rome, discusses ties with Tajani"],
    [
        "External Affairs Minister S. Jaishankar on {DAY} met Italian Foreign Minister Antonio Tajani in Rome "
        "and reviewed the entire gamut of bilateral relations.",
        "The two ministers discussed trade, investment, connectivity under the India-Middle East-Europe "
        "Economic Corridor, mobility of students and the situation in West Asia.",
        "Jaishankar also addressed a gathering of the Indian community and met Italian business leaders.",
        "Officials said the two sides also agreed to deepen defence and security cooperation, including "
        "more Indian and Italian navy ship visits and joint maritime security patrolling in the "
        "western Indian Ocean, and to convene the defence joint working group this year.",
    ],
    "diplomatic visit headline; defence and maritime-security agreement in last paragraph",
    n=3,
)

fam(
    "relevant",
    True,
    ["industrial-cooperation", "diplomacy"],
    "en",
    "it",
    ["ians", "menafn", "menafn2"],
    [
        "Indian Ambassador to Italy calls on Italian Under Secretary for Defence",
        "Envoy discusses defence industry ties with Italian officials",
    ],
    [
        "The Indian Ambassador to Italy on {DAY} called on the Under Secretary of State for Defence in Rome "
        "and discussed ways to deepen bilateral defence cooperation.",
        "The two discussed the forthcoming India-Italy defence industry roundtable, training exchanges "
        "between military academies and participation of Italian firms in Indian defence exhibitions.",
        "The envoy also met representatives of AIAD and called for more joint ventures between Italian "
        "defence companies and Indian firms.",
    ],
    "Indian envoy and Italian defence under secretary",
    n=3,
    lead=False,
)

fam(
    "relevant",
    True,
    ["procurement", "naval"],
    "en",
    "in",
    EN_IN,
    [
        "Defence ministry clears proposals worth Rs 54,000 crore",
        "DAC nod for proposals including anti-submarine torpedoes",
    ],
    [
        "The Defence Acquisition Council chaired by Defence Minister Rajnath Singh on {DAY} approved capital "
        "acquisition proposals worth about Rs 54,000 crore.",
        "The proposals include turbofan engines for armoured vehicles, an airborne early warning system and "
        "upgraded radars for the Air Force.",
        "The council also approved the procurement of additional heavyweight torpedoes for the Navy's "
        "Kalvari class submarines.",
        "The torpedoes will be bought from Italy's WASS, which supplied the earlier batch, with part of the "
        "assembly done in India, officials said.",
        "All the other proposals were under the Buy (Indian-IDDM) category.",
    ],
    "DAC round-up; Italian torpedo procurement appears in paragraph 4",
    n=3,
    lead=True,
)

# ============================== RELEVANT (Italian) ==============================
fam(
    "relevant",
    True,
    ["industrial-cooperation", "diplomacy"],
    "it",
    "it",
    IT,
    [
        "Difesa: AIAD e SIDM firmano intesa per cooperazione industriale Italia-India",
        "Italia-India, seminario dell'industria della difesa a {CITTA}",
    ],
    [
        "Si è svolto {GIORNO} a {CITTA} il seminario sulla cooperazione industriale nel settore della difesa "
        "tra Italia e India, promosso dalla Federazione AIAD e dalla Society of Indian Defence Manufacturers "
        "(SIDM).",
        "Al termine dei lavori le due associazioni hanno firmato un memorandum d'intesa per favorire incontri "
        "B2B, joint venture e la partecipazione delle piccole e medie imprese alle rispettive filiere.",
        "Presenti {ITOFF_IT} e una delegazione del ministero della Difesa indiano guidata dal Secretary for "
        "Defence Production.",
        "\"L'India è un partner strategico e un mercato in forte crescita per l'industria della difesa "
        'italiana", ha dichiarato il presidente della Federazione.',
    ],
    "seminario industriale AIAD-SIDM con MoU",
    n=3,
)

fam(
    "relevant",
    True,
    ["diplomacy"],
    "it",
    "it",
    IT,
    [
        "Difesa: Crosetto riceve l'omologo indiano Rajnath Singh",
        "Italia-India, incontro tra i ministri della Difesa a Roma",
    ],
    [
        "Il ministro della Difesa Guido Crosetto ha ricevuto {GIORNO} a Palazzo Baracchini il ministro della "
        "Difesa indiano Rajnath Singh, in visita ufficiale in Italia.",
        "Al centro dei colloqui la cooperazione nella difesa tra i due Paesi, la sicurezza marittima "
        "nell'Indo-Pacifico e nel Mar Rosso e le opportunità di collaborazione tra le industrie della difesa.",
        "I due ministri hanno concordato di rafforzare il dialogo tra le Forze Armate e di tenere entro "
        "l'anno la riunione del gruppo di lavoro congiunto.",
        '"India e Italia condividono l\'interesse per la libertà di navigazione", ha detto Crosetto.',
    ],
    "incontro bilaterale tra ministri della Difesa",
    n=3,
)

fam(
    "relevant",
    True,
    ["naval", "joint-exercise", "maritime-security"],
    "it",
    "it",
    IT,
    [
        "Marina Militare: la {NAVE_IT} in esercitazione con la Marina indiana",
        "Esercitazione congiunta Italia-India nel {SEA}",
    ],
    [
        "La {NAVE_IT} della Marina Militare ha condotto {GIORNO} un'esercitazione congiunta con una fregata "
        "della Marina indiana nelle acque del Mare Arabico, nell'ambito della campagna navale nell'Indo-Pacifico.",
        "L'attività ha compreso manovre tattiche, esercizi di comunicazione e l'appontaggio incrociato degli "
        "elicotteri imbarcati, si legge in una nota dello Stato Maggiore della Difesa.",
        "L'esercitazione, spiega la nota, contribuisce alla sicurezza marittima e rafforza l'interoperabilità "
        "tra le due marine.",
        "La nave farà poi sosta in porto a Goa, dove sono previsti incontri con le autorità navali indiane.",
    ],
    "esercitazione navale bilaterale",
    n=3,
)

fam(
    "relevant",
    True,
    ["naval", "joint-exercise", "diplomacy"],
    "it",
    "it",
    IT,
    [
        "Il gruppo portaerei Cavour a Goa, attività con la Marina indiana",
        "Portaerei Cavour in India: sosta in porto e addestramento congiunto",
    ],
    [
        "Il Carrier Strike Group italiano guidato dalla portaerei Cavour è arrivato {GIORNO} a Goa, prima "
        "sosta in porto di una portaerei della Marina Militare in India.",
        "Nei prossimi giorni sono previste attività addestrative con la Marina indiana, tra cui "
        "esercitazioni di difesa aerea con i caccia F-35B italiani e i MiG-29K indiani.",
        "L'ambasciatore d'Italia a Nuova Delhi ha parlato di \"una tappa storica per la cooperazione nella "
        'difesa tra Italia e India".',
    ],
    "portaerei italiana in India con esercitazione",
    n=3,
)

fam(
    "relevant",
    True,
    ["procurement", "naval", "technology-transfer"],
    "it",
    "it",
    IT,
    [
        "Leonardo, nuovo contratto dalla Marina indiana per cannoni navali",
        "India: commessa per i cannoni 76 mm prodotti su licenza Leonardo",
    ],
    [
        "Il ministero della Difesa indiano ha firmato un contratto per la fornitura di cannoni navali da 76 mm "
        "prodotti in India su licenza di Leonardo, ha reso noto {GIORNO} l'azienda.",
        "La commessa, del valore di circa {EUR}, riguarda {NUM} sistemi destinati a fregate e pattugliatori "
        "della Marina indiana, da realizzare con il trasferimento tecnologico al partner indiano BHEL.",
        "Per Leonardo si tratta di una conferma della presenza nel mercato navale indiano, dove i suoi "
        "cannoni equipaggiano già numerose navi.",
    ],
    "contratto e trasferimento tecnologico per la Marina indiana",
    n=3,
)

fam(
    "relevant",
    True,
    ["legal", "aerospace"],
    "it",
    "it",
    IT,
    ["Elicotteri India: la Cassazione chiude il caso AgustaWestland", "Caso elicotteri all'India, sentenza definitiva"],
    [
        "La Corte di Cassazione ha messo {GIORNO} la parola fine al processo sulla presunta corruzione legata "
        "alla fornitura di 12 elicotteri AW101 al governo indiano.",
        "Il caso riguardava la commessa da circa 560 milioni di euro firmata nel 2010 dall'allora "
        "AgustaWestland, controllata di Finmeccanica, con il ministero della Difesa indiano per il trasporto "
        "di alte personalità.",
        "Nuova Delhi aveva annullato il contratto nel 2014. In India restano aperte le indagini della CBI.",
    ],
    "processo per corruzione nella commessa militare all'India",
    n=3,
)

fam(
    "relevant",
    True,
    ["legal", "maritime-security", "naval"],
    "it",
    "it",
    IT,
    [
        "Marò: il tribunale arbitrale riconosce l'immunità, l'India sarà risarcita",
        "Caso Enrica Lexie, la sentenza dell'arbitrato",
    ],
    [
        "Il tribunale arbitrale dell'Aja ha riconosciuto l'immunità funzionale ai due fucilieri della Marina "
        "Militare coinvolti nell'incidente della petroliera Enrica Lexie al largo del Kerala.",
        "I militari italiani erano imbarcati come nucleo di protezione contro la pirateria quando, nel 2012, "
        "due pescatori indiani rimasero uccisi.",
        "Secondo la sentenza, la giurisdizione spetta all'Italia, mentre l'India ha diritto a un risarcimento. "
        'La Farnesina ha accolto la decisione "con soddisfazione".',
    ],
    "arbitrato tra Italia e India su militari italiani",
    n=2,
)

fam(
    "relevant",
    True,
    ["space", "cyber", "diplomacy"],
    "it",
    "it",
    IT,
    [
        "Difesa, a Nuova Delhi il primo dialogo Italia-India su spazio e cyber",
        "Italia-India: colloqui su spazio e dominio cibernetico militare",
    ],
    [
        "Si è tenuto {GIORNO} a Nuova Delhi il primo incontro bilaterale tra Italia e India sulla cooperazione "
        "nella difesa nei domini spazio e cyber.",
        "La delegazione italiana, guidata da un rappresentante dello Stato Maggiore della Difesa, ha discusso "
        "con i vertici della Defence Space Agency e della Defence Cyber Agency indiane di sorveglianza "
        "satellitare, sicurezza informatica delle reti militari e formazione.",
        "Le due parti hanno concordato di organizzare un'esercitazione cyber congiunta e di scambiare dati "
        "satellitari utili alla sicurezza marittima nell'Oceano Indiano.",
    ],
    "dialogo militare su spazio e cyber",
    n=3,
)

fam(
    "relevant",
    True,
    ["land-systems", "industrial-cooperation", "technology-transfer"],
    "it",
    "it",
    IT,
    [
        "Iveco Defence Vehicles, accordo in India per veicoli blindati",
        "IDV firma intesa con gruppo indiano per l'Esercito di Nuova Delhi",
    ],
    [
        "Iveco Defence Vehicles ha firmato {GIORNO} un memorandum d'intesa con {INCO} per la produzione in India "
        "di veicoli blindati leggeri destinati all'esercito indiano.",
        "L'accordo prevede il trasferimento tecnologico e una quota crescente di componenti prodotti "
        "localmente, in linea con la politica 'Make in India'.",
        "\"L'India è un mercato prioritario\", ha detto un dirigente dell'azienda italiana.",
    ],
    "veicoli blindati: cooperazione industriale italo-indiana",
    n=3,
)

fam(
    "misleading-headline",
    True,
    ["aerospace", "diplomacy"],
    "it",
    "it",
    IT,
    [
        "Il capo di Stato Maggiore dell'Aeronautica in visita istituzionale",
        "Visita istituzionale per il vertice dell'Aeronautica Militare",
    ],
    [
        "Il Capo di Stato Maggiore dell'Aeronautica Militare ha concluso {GIORNO} una visita di tre giorni, "
        "nel corso della quale ha incontrato autorità civili e militari.",
        "Il programma comprendeva anche un incontro con gli studenti di un istituto tecnico aeronautico.",
        "La visita si è svolta a Nuova Delhi, su invito del capo dell'Aeronautica indiana: al centro dei "
        "colloqui la formazione dei piloti, gli scambi di istruttori e la partecipazione italiana alle "
        "esercitazioni aeree in India.",
        "Il generale ha visitato anche gli stabilimenti di Hindustan Aeronautics a Bangalore.",
    ],
    "titolo generico, visita militare in India nel corpo",
    n=3,
)

# ============================== NEGATIVES ==============================
# ---- trade
fam(
    "trade",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["India-Italy bilateral trade rises to ${BN} billion", "Italy-India trade grows {PCT}% in first half"],
    [
        "Bilateral trade between India and Italy rose to ${BN} billion in the last financial year, with "
        "Indian exports of engineering goods, garments and chemicals leading the growth, the Commerce "
        "Ministry said on {DAY}.",
        "Italy is one of India's largest trading partners in the European Union. Imports from Italy are "
        "dominated by machinery, mechanical appliances and electrical equipment.",
        "Officials said the two countries hoped the India-EU free trade agreement would cut tariffs on "
        "Italian wines and Indian leather goods.",
        "Industry body FIEO said Indian exporters should target Italian fashion houses for sourcing of "
        "finished textiles.",
    ],
    "bilateral trade figures, no defence",
    n=3,
)

fam(
    "trade",
    False,
    [],
    "en",
    "it",
    EN_IN,
    [
        "Indian, Italian businesses sign 15 agreements at {CITY_IT} forum",
        "India-Italy business forum focuses on food processing, machinery",
    ],
    [
        "More than 300 companies from India and Italy met at a business forum in {CITY_IT} on {DAY}, where "
        "15 agreements were signed in food processing, packaging machinery and renewable energy.",
        "Italy's deputy minister for enterprises said Italian small firms were keen on joint ventures in "
        "India's auto components and textile machinery sectors.",
        "The Indian ambassador said the India-Italy strategic partnership offered Italian companies a large "
        "consumer market and a skilled workforce.",
        "The forum was organised by the Italian Trade Agency and the Confederation of Indian Industry.",
    ],
    "business forum; 'strategic partnership' but trade only",
    n=3,
)

fam(
    "trade",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Italian tractor maker to expand {STATE} plant", "Italian farm machinery firm invests in India"],
    [
        "An Italian manufacturer of tractors and farm equipment will invest {EUR} to expand its plant in "
        "{STATE}, the state government said on {DAY}.",
        "The expansion will double capacity to {NUM},000 tractors a year and create about 800 jobs. The "
        "company exports tractors built in India to Africa and Europe.",
        "The chief minister said the state offered land and power subsidies under its industrial policy.",
    ],
    "Italian investment in farm machinery",
    n=3,
)

fam(
    "trade",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Indian pharma exports to Italy hit record", "Italy emerges as key market for Indian generics"],
    [
        "Indian pharmaceutical exports to Italy reached a record in the April-December period, rising "
        "{PCT} per cent year-on-year, the export promotion council said on {DAY}.",
        "Generic medicines and active pharmaceutical ingredients made up the bulk of shipments. Italian "
        "hospitals have been buying more Indian-made generics to contain costs.",
        "The council said that regulatory inspections by Italian authorities of plants in {STATE} had "
        "been completed without major observations.",
    ],
    "pharma trade",
    n=3,
)

fam(
    "trade",
    False,
    [],
    "it",
    "it",
    IT,
    [
        "Italia-India, interscambio commerciale a {BN} miliardi",
        "Export italiano in India: crescono macchinari e meccanica",
    ],
    [
        "L'interscambio commerciale tra Italia e India ha raggiunto {BN} miliardi di euro, con una crescita "
        "del {PCT} per cento rispetto all'anno precedente, secondo i dati diffusi {GIORNO} dall'ICE.",
        "Le esportazioni italiane sono trainate da macchinari, meccanica strumentale e prodotti chimici, "
        "mentre dall'India arrivano soprattutto tessili, prodotti farmaceutici e componenti auto.",
        '"Il partenariato strategico tra i due Paesi offre grandi opportunità alle nostre imprese", ha '
        "commentato il presidente dell'ICE.",
    ],
    "commercio italo-indiano",
    n=3,
)

fam(
    "trade",
    False,
    [],
    "it",
    "it",
    IT,
    [
        "Imprese: missione di Confindustria in India, 40 aziende a Mumbai",
        "Missione imprenditoriale italiana a Mumbai e Nuova Delhi",
    ],
    [
        "Una delegazione di 40 imprese italiane della meccanica, dell'agroalimentare e dell'energia è partita "
        "{GIORNO} per una missione commerciale in India, con tappe a Mumbai e Nuova Delhi.",
        "In programma incontri B2B con aziende indiane e con i governi di alcuni Stati, oltre a un forum "
        "sulle infrastrutture.",
        "La missione punta a rafforzare la presenza italiana in un mercato che cresce a ritmi superiori al 6 "
        "per cento l'anno.",
    ],
    "missione commerciale",
    n=3,
)

# ---- tourism
fam(
    "tourism",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Italian tourist arrivals in Goa up {PCT}% this season", "Goa sees more Italian visitors"],
    [
        "Goa recorded a {PCT} per cent rise in arrivals of Italian tourists this season, the state tourism "
        "department said on {DAY}.",
        "Tour operators attributed the increase to a new direct charter from Milan and to Goa's popularity "
        "among Italian yoga and wellness travellers.",
        "Hoteliers in north Goa said Italians tended to stay longer than other Europeans, often for three "
        "weeks or more.",
    ],
    "tourism",
    n=3,
)

fam(
    "tourism",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Indians flock to Italy as visa appointments ease", "Italy sees surge in Indian tourists, honeymooners"],
    [
        "The number of Schengen visas issued to Indian travellers by the Italian consulates rose sharply "
        "this year, with Venice, Florence and the Amalfi Coast among the most popular destinations.",
        "Travel agents in {CITY_IN} said Indian honeymooners and families were booking Italy packages months "
        "in advance, and that Italian hotels were adding Indian vegetarian menus.",
        "Italy's tourism board is planning road shows in {CITY_IN2} and Ahmedabad next month.",
    ],
    "tourism",
    n=3,
)

fam(
    "tourism",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Italian cruise ship calls at {PORT_IN} with 2,000 passengers", "Cruise season opens with Italian liner's visit"],
    [
        "An Italian cruise liner with about 2,000 passengers on board called at {PORT_IN} on {DAY}, opening "
        "the winter cruise season.",
        "Passengers, mostly from Italy and Germany, took guided tours of the city's heritage sites and markets. "
        "Officials said {NUM} cruise calls were expected this season.",
        "The port's new cruise terminal, with immigration counters and a shopping area, was used for the first time.",
    ],
    "cruise ship visit (not a warship)",
    n=3,
)

fam(
    "tourism",
    False,
    [],
    "it",
    "it",
    IT,
    ["Turismo: boom di visitatori indiani in Italia", "Sempre più indiani scelgono l'Italia per le vacanze"],
    [
        "Crescono i turisti indiani in Italia: secondo i dati dell'ENIT gli arrivi dall'India sono aumentati "
        "del {PCT} per cento, con Roma, Venezia e Firenze tra le mete preferite.",
        "Molto richiesti anche i matrimoni indiani in Puglia e sul lago di Como, che coinvolgono centinaia di "
        "invitati e durano diversi giorni.",
        "Gli operatori chiedono più voli diretti tra Italia e India e tempi più rapidi per i visti.",
    ],
    "turismo",
    n=3,
)

fam(
    "tourism",
    False,
    [],
    "it",
    "it",
    IT,
    ["Nuovo volo diretto Milano-Nuova Delhi dalla prossima estate", "Voli: collegamento diretto tra Roma e Mumbai"],
    [
        "Una compagnia aerea indiana aprirà dalla prossima estate un volo diretto giornaliero tra {CITTA} e "
        "l'India, è stato annunciato {GIORNO}.",
        "Il collegamento servirà sia il traffico turistico sia quello d'affari e la numerosa comunità "
        "indiana residente in Italia.",
        "Soddisfazione da parte della società di gestione dell'aeroporto, che prevede {NUM} mila passeggeri "
        "nel primo anno.",
    ],
    "collegamento aereo civile",
    n=3,
)

# ---- culture
fam(
    "culture",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Italian film festival opens in {CITY_IN}", "Week of Italian cinema begins in {CITY_IN}"],
    [
        "The annual festival of Italian films opened in {CITY_IN} on {DAY} with the screening of a restored "
        "neorealist classic.",
        "The festival, organised by the Italian Cultural Institute, will screen {NUM} films over a week, "
        "including new works by young Italian directors and a tribute to a veteran actress.",
        "The Italian ambassador said cultural ties were the foundation of the friendship between India and Italy.",
    ],
    "culture (film)",
    n=3,
)

fam(
    "culture",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Yoga finds a home in Italian towns", "Italian yoga teachers train in Rishikesh"],
    [
        "A group of {NUM} yoga teachers from Italy completed a month-long training course in Rishikesh on "
        "{DAY}, the ashram said.",
        "Yoga has grown popular in Italy, where it is estimated that more than two million people practise "
        "it regularly. The Indian embassy in Rome organises events every June.",
        "Several participants said they planned to open studios in their home towns in Sicily and Puglia.",
    ],
    "culture",
    n=3,
)

fam(
    "culture",
    False,
    [],
    "en",
    "it",
    EN_IN,
    ["Indian classical dance troupe tours Italy", "Kathak performance wins applause in {CITY_IT}"],
    [
        "A Kathak troupe from {CITY_IN} performed at a historic theatre in {CITY_IT} on {DAY}, the first stop "
        "of a six-city tour of Italy organised by the Indian Council for Cultural Relations.",
        "The performance, which blended Kathak with Italian baroque music, drew a full house.",
        "The Indian Ambassador said the tour marked 75 years of diplomatic relations between India and Italy.",
    ],
    "culture",
    n=3,
)

fam(
    "culture",
    False,
    [],
    "it",
    "it",
    IT,
    ["Cultura: a {CITTA} una mostra sull'arte indiana Moghul", "Arte: le miniature indiane in mostra a {CITTA}"],
    [
        "Apre {GIORNO} a {CITTA} la mostra dedicata alle miniature dell'epoca Moghul, con oltre {NUM} opere "
        "provenienti da musei indiani e collezioni private.",
        "L'esposizione, organizzata con l'ambasciata dell'India, racconta la vita di corte e i rapporti "
        "tra l'India e i viaggiatori italiani del Seicento.",
        "Previsti anche concerti di musica classica indiana e laboratori per le scuole.",
    ],
    "cultura (mostra)",
    n=3,
)

fam(
    "culture",
    False,
    [],
    "it",
    "it",
    IT,
    [
        "Festival del cinema indiano a {CITTA}, ospiti i registi di Bollywood",
        "Bollywood sbarca a {CITTA} con un festival",
    ],
    [
        "Si apre {GIORNO} a {CITTA} il festival del cinema indiano, giunto alla sua decima edizione, con "
        "proiezioni, incontri e una retrospettiva dedicata al cinema in lingua tamil.",
        "Tra gli ospiti attesi due registi di Mumbai e un'attrice molto popolare in India.",
        '"L\'interesse del pubblico italiano per il cinema indiano cresce ogni anno", spiegano gli organizzatori.',
    ],
    "cultura (cinema)",
    n=3,
)

# ---- sport
fam(
    "sport",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["India beat Italy 4-1 in FIH Pro League", "Hockey: Indian defence holds firm as India beat Italy"],
    [
        "India beat Italy 4-1 in their FIH Pro League hockey match in {CITY_IN} on {DAY}, with the drag-flicker "
        "scoring twice from penalty corners.",
        "India's defence held firm against a late Italian push, with the goalkeeper making three saves in the "
        "final quarter.",
        "Italy, who are in the league for the first time, scored through a field goal in the 41st minute.",
        "India next face Spain on Sunday.",
    ],
    "sport (hockey), 'defence' in sport",
    n=3,
)

fam(
    "sport",
    False,
    [],
    "en",
    "it",
    EN_IN,
    ["Italian coach named head of India's football team", "AIFF appoints Italian as national coach"],
    [
        "The All India Football Federation on {DAY} appointed a veteran Italian coach as head coach of the "
        "national men's team on a two-year contract.",
        "The coach, who has managed clubs in Serie B and in West Asia, said his priority would be to "
        "organise a solid defence and improve the team's fitness before the Asian Cup qualifiers.",
        "He will be assisted by an Italian goalkeeping coach and two Indian coaches.",
    ],
    "sport (football); 'defence' and 'contract' in sport",
    n=3,
)

fam(
    "sport",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Rugby: Italy A outclass India in exhibition match", "Indian rugby team tours Italy for training camp"],
    [
        "The Indian men's rugby team lost 52-7 to an Italian development side in an exhibition match in "
        "{CITY_IT} on {DAY}, the second match of its training tour of Italy.",
        "India's defence was stretched by the Italians' quick backs, the coach admitted, but he praised the "
        "team's forwards.",
        "The tour is supported by the Italian rugby federation under an agreement with Rugby India.",
    ],
    "sport (rugby)",
    n=3,
)

fam(
    "sport",
    False,
    [],
    "it",
    "it",
    IT,
    [
        "Hockey su prato: l'Italia cede all'India 3-0",
        "Hockey, l'Italia battuta dall'India nel torneo di qualificazione",
    ],
    [
        "La nazionale italiana di hockey su prato è stata sconfitta 3-0 dall'India nella partita del torneo "
        "di qualificazione giocata {GIORNO}.",
        "Gli azzurri hanno resistito per un tempo grazie a una difesa ordinata e alle parate del portiere, "
        "ma nella ripresa gli indiani hanno segnato tre reti su corner corto.",
        "L'Italia affronterà domenica la Spagna.",
    ],
    "sport (hockey) con 'difesa'",
    n=3,
)

fam(
    "sport",
    False,
    [],
    "it",
    "it",
    IT,
    ["Cricket, l'Italia sfida l'India nella fase finale", "Cricket: storica partita tra Italia e India"],
    [
        "La nazionale italiana di cricket, composta in gran parte da giocatori di origine indiana e "
        "pakistana, affronterà l'India nella fase finale del torneo.",
        "Il capitano azzurro ha detto che la squadra punterà su una difesa paziente del proprio wicket "
        "contro i lanciatori indiani.",
        "Per l'Italia si tratta della prima partecipazione alla fase finale di un campionato mondiale.",
    ],
    "sport (cricket)",
    n=3,
)

# ---- third-country
fam(
    "third-country",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["India, France sign deal for 26 Rafale Marine jets", "Rafale-M contract signed; deliveries from 2028"],
    [
        "India and France on {DAY} signed an inter-governmental agreement for 26 Rafale Marine fighter jets "
        "for the Indian Navy's aircraft carrier INS Vikrant.",
        "The contract includes training, simulators, weapons and five years of performance-based logistics. "
        "The French company Dassault Aviation will set up a fuselage production line in India.",
        "The Indian Navy's MiG-29K fleet, operating from the carrier, faces serviceability problems.",
        "Separately, the Defence Minister is expected to travel to Europe next month, with stops in Paris "
        "and Rome, the ministry said.",
    ],
    "India-France deal; Rome only as an itinerary stop",
    n=3,
)

fam(
    "third-country",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Indian Navy, US Navy hold exercise in Bay of Bengal", "India-US naval drills begin off Visakhapatnam"],
    [
        "The Indian Navy and the US Navy began a week-long bilateral exercise in the Bay of Bengal on {DAY}, "
        "with destroyers, a submarine and maritime patrol aircraft of both sides.",
        "The exercise includes anti-submarine warfare, air defence and a boarding drill, an Indian Navy "
        "spokesperson said.",
        "American officials said the exercise reflected the strength of the India-US defence partnership "
        "in the Indo-Pacific.",
    ],
    "India-US exercise",
    n=3,
)

fam(
    "third-country",
    False,
    [],
    "en",
    "it",
    EN_IN,
    [
        "Italy, Japan, UK move ahead with GCAP fighter programme",
        "GCAP: Italy's Leonardo, UK and Japan firms form joint company",
    ],
    [
        "Italy's Leonardo, Britain's BAE Systems and Japan Aircraft Industrial Enhancement on {DAY} "
        "finalised a joint company to design the next-generation fighter under the Global Combat Air "
        "Programme (GCAP).",
        "The new fighter is expected to enter service in 2035, replacing the Eurofighter in the Italian Air "
        "Force and the Royal Air Force.",
        "Italian Defence Minister Guido Crosetto said the programme would keep Italy's aerospace industry at "
        "the cutting edge.",
        "Analysts in New Delhi said India was watching the programme with interest as it develops its own "
        "fifth-generation fighter.",
    ],
    "Italy-UK-Japan programme; India only as onlooker",
    n=3,
)

fam(
    "third-country",
    False,
    [],
    "en",
    "it",
    EN_IN,
    ["Italy orders more US-made F-35s", "Rome approves purchase of 25 additional F-35 jets"],
    [
        "The Italian government on {DAY} approved the purchase of 25 additional F-35 fighter jets from the "
        "United States, raising the planned fleet to 115 aircraft.",
        "The aircraft will be assembled at the Cameri final assembly line in northern Italy, operated by "
        "Leonardo with Lockheed Martin.",
        "Opposition parties criticised the cost at a time of budget cuts.",
    ],
    "Italy-US procurement",
    n=3,
)

fam(
    "third-country",
    False,
    [],
    "en",
    "in",
    EN_IN,
    [
        "India, Russia review progress on frigates, S-400 deliveries",
        "Rajnath Singh holds talks with Russian Defence Minister",
    ],
    [
        "Defence Minister Rajnath Singh held talks with his Russian counterpart on {DAY} and reviewed "
        "the delivery schedule of the remaining S-400 air defence squadrons and the frigates being built in "
        "Russia for the Indian Navy.",
        "The two sides also discussed co-production of spare parts in India under Make in India.",
        "Singh later addressed the Indian community. The meeting came a day after he returned from a visit "
        "to Italy on a personal trip to attend a family wedding.",
    ],
    "India-Russia; Italy mention unrelated",
    n=3,
)

fam(
    "third-country",
    False,
    [],
    "it",
    "it",
    IT,
    [
        "Difesa: Italia e Germania firmano accordo sui carri armati",
        "Leonardo e Rheinmetall, intesa per i nuovi carri dell'Esercito",
    ],
    [
        "Italia e Germania hanno firmato {GIORNO} un accordo di cooperazione per lo sviluppo di nuovi carri "
        "armati e veicoli da combattimento per l'Esercito italiano.",
        "Il programma sarà realizzato dalla joint venture tra Leonardo e la tedesca Rheinmetall, con una "
        "forte partecipazione della filiera nazionale.",
        "Il ministro della Difesa Guido Crosetto ha parlato di \"un passo decisivo per l'industria della "
        'difesa europea".',
    ],
    "Italia-Germania",
    n=3,
)

fam(
    "third-country",
    False,
    [],
    "it",
    "it",
    IT,
    [
        "Marina Militare: esercitazione con la Marina francese nel Tirreno",
        "Esercitazione navale italo-francese al largo della Sardegna",
    ],
    [
        "Unità della Marina Militare e della Marina francese hanno concluso {GIORNO} un'esercitazione "
        "congiunta nel mar Tirreno, con fregate, un sottomarino ed elicotteri imbarcati.",
        "L'attività ha riguardato la lotta antisommergibile e la difesa aerea della forza navale.",
        "L'esercitazione si svolge ogni anno alternativamente in acque italiane e francesi.",
    ],
    "Italia-Francia",
    n=3,
)

# ---- multilateral
fam(
    "multilateral",
    False,
    [],
    "en",
    "in",
    EN_PIB,
    ["Navies of 50 countries gather for MILAN exercise at Visakhapatnam", "MILAN multilateral naval exercise begins"],
    [
        "The multilateral naval exercise MILAN began at Visakhapatnam on {DAY} with warships, aircraft and "
        "delegations from about 50 countries.",
        "Participating navies include those of the United States, France, Italy, Japan, Australia, Indonesia, "
        "Egypt, Saudi Arabia and Vietnam, among others.",
        "The harbour phase features seminars and an international city parade; the sea phase includes "
        "air defence and anti-submarine exercises.",
        "The Indian Navy said the exercise promotes friendship and maritime cooperation among participants.",
    ],
    "multilateral exercise; Italy one name in a list",
    n=3,
)

fam(
    "multilateral",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Aero India: record number of foreign exhibitors", "Over 90 countries to take part in Aero India"],
    [
        "More than 90 countries and 800 exhibitors will take part in Aero India at Bengaluru's Yelahanka air "
        "base, the defence ministry said on {DAY}.",
        "Large pavilions are expected from the United States, France, Russia, Israel, Italy, the United "
        "Kingdom and Sweden.",
        "A defence ministers' conclave on the sidelines will be attended by ministers from several "
        "countries of Africa and Southeast Asia.",
        "Aircraft of the Indian Air Force and foreign teams will perform daily flying displays.",
    ],
    "multilateral exhibition list",
    n=3,
)

fam(
    "multilateral",
    False,
    [],
    "en",
    "it",
    EN_IN,
    ["G7 foreign ministers condemn attacks on Red Sea shipping", "G7, partners call for freedom of navigation"],
    [
        "Foreign ministers of the G7 countries meeting in Italy on {DAY} condemned attacks on commercial "
        "shipping in the Red Sea and called for freedom of navigation.",
        "Ministers from India, Brazil, South Africa and Indonesia joined an outreach session on maritime "
        "security and food security.",
        "The ministers also discussed the war in Ukraine and the situation in the Middle East, the Italian "
        "presidency said.",
    ],
    "G7 outreach; many countries",
    n=3,
)

fam(
    "multilateral",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Defence attaches of 40 nations visit Army formation", "Foreign military attaches briefed on Army modernisation"],
    [
        "Defence attaches from about 40 countries, including the US, UK, France, Italy, Japan, Egypt and "
        "Brazil, visited an Army formation in the western sector on {DAY}.",
        "They were briefed on the Army's modernisation, indigenous equipment and disaster-relief role, and "
        "watched a demonstration of drones and artillery.",
        "The Army organises such visits every year to promote transparency.",
    ],
    "multilateral attaché tour",
    n=3,
)

fam(
    "multilateral",
    False,
    [],
    "it",
    "it",
    IT,
    ["Missione Aspides: nuove navi europee nel Mar Rosso", "Mar Rosso, rinnovata la missione europea Aspides"],
    [
        "Il Consiglio dell'Unione europea ha rinnovato {GIORNO} la missione navale Aspides a protezione del "
        "traffico mercantile nel Mar Rosso, a guida italiana.",
        "Partecipano unità di Italia, Francia, Grecia, Germania e Paesi Bassi, mentre India, Stati Uniti e "
        "Regno Unito operano con proprie missioni nella regione.",
        "Dall'inizio della missione le navi europee hanno scortato centinaia di mercantili.",
    ],
    "missione europea, elenco di Paesi",
    n=3,
)

fam(
    "multilateral",
    False,
    [],
    "it",
    "it",
    IT,
    [
        "Esercitazione multinazionale nel Mediterraneo con 20 Paesi",
        "Al via l'esercitazione navale multinazionale guidata dall'Italia",
    ],
    [
        "È iniziata {GIORNO} l'esercitazione navale multinazionale organizzata dalla Marina Militare nel "
        "Mediterraneo, con la partecipazione di navi e aerei di 20 Paesi.",
        "Tra i partecipanti Stati Uniti, Francia, Spagna, Grecia, Turchia, Egitto e, come osservatori, "
        "India e Giappone.",
        "L'esercitazione durerà due settimane e comprenderà attività di difesa aerea e antisommergibile.",
    ],
    "esercitazione multinazionale, India osservatore in elenco",
    n=3,
)

# ---- name collisions
fam(
    "name-collision",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Leonardo da Vinci exhibition draws crowds in {CITY_IN}", "Leonardo's machines on display at {CITY_IN} museum"],
    [
        "An exhibition of working models based on Leonardo da Vinci's drawings of flying machines, "
        "armoured cars and catapults opened at a science museum in {CITY_IN} on {DAY}.",
        "The models, built by Italian craftsmen from the notebooks, include a giant crossbow and a tank-like "
        "armoured vehicle that Leonardo designed for the Duke of Milan.",
        "Organisers said more than {NUM},000 visitors were expected over two months. The Italian consulate "
        "supported the show.",
    ],
    "Leonardo the painter; 'tank' and 'armoured' in a historical-art context",
    n=3,
)

fam(
    "name-collision",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Leonardo DiCaprio's new film to release in India on Friday", "DiCaprio film gets India release date"],
    [
        "Hollywood star Leonardo DiCaprio's new thriller, shot partly in southern Italy, will release in "
        "Indian theatres on Friday, the distributor said.",
        "In the film, Leonardo plays a former navy officer who returns to his home town on the Italian coast "
        "to investigate his brother's death.",
        "The film will also be dubbed in Hindi, Tamil and Telugu.",
    ],
    "Leonardo the actor; 'navy officer' role",
    n=3,
)

fam(
    "name-collision",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["New Italian restaurant opens in Delhi's Defence Colony", "'Little Italy' chain opens outlet in Defence Colony"],
    [
        "A new outlet of a popular Italian restaurant chain opened in south Delhi's Defence Colony market on "
        "{DAY}, offering wood-fired pizza and handmade pasta.",
        "The chef, who trained in Naples, said ingredients such as buffalo mozzarella and San Marzano "
        "tomatoes are imported from Italy every week.",
        "Residents of the upscale neighbourhood, home to many retired armed forces officers, have welcomed "
        "the addition to the market's food scene.",
    ],
    "Defence Colony is a neighbourhood; Italian food",
    n=3,
)

fam(
    "name-collision",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Navy blue, Italian cut: menswear brand's new line", "Menswear label launches 'Italian navy' collection"],
    [
        "A {CITY_IN}-based menswear brand on {DAY} launched a collection of suits in navy and charcoal "
        "tailored with Italian fabrics.",
        "The brand's founder said the fabrics are sourced from mills in Biella, Italy, and that the Indian "
        "wedding season drove demand for formalwear.",
        "The brand plans to open {NUM} stores in tier-2 cities.",
    ],
    "'navy' colour; Italian fabric",
    n=3,
)

fam(
    "name-collision",
    False,
    [],
    "en",
    "in",
    EN_IN,
    [
        "Leonardo Hotels to open first India property in {CITY_IN}",
        "European hotel group picks {CITY_IN} for India debut",
    ],
    [
        "A European hotel chain branded Leonardo will open its first Indian property in {CITY_IN} next year, "
        "in partnership with a local developer, the company said on {DAY}.",
        "The 220-room hotel will target business travellers. The chain operates hotels across Italy, Germany "
        "and Israel.",
        "Officials said the Indian hospitality market was among the fastest growing in the world.",
    ],
    "Leonardo as a hotel brand",
    n=3,
)

fam(
    "name-collision",
    False,
    [],
    "it",
    "it",
    IT,
    [
        "Leonardo da Vinci, le sue macchine in mostra a Nuova Delhi",
        "Il genio di Leonardo in India: mostra a Nuova Delhi",
    ],
    [
        "Le macchine di Leonardo da Vinci arrivano in India: {GIORNO} è stata inaugurata a Nuova Delhi una "
        "mostra con i modelli ricostruiti dagli artigiani toscani sulla base dei codici.",
        "Tra i pezzi esposti il carro armato, la balestra gigante e le macchine volanti progettate dal genio "
        "del Rinascimento.",
        "L'iniziativa è promossa dall'Istituto Italiano di Cultura.",
    ],
    "Leonardo pittore/inventore",
    n=3,
)

fam(
    "name-collision",
    False,
    [],
    "en",
    "it",
    EN_IN,
    ["AS Roma sign Indian-origin teenage defender", "Roma's academy recruits Indian-origin full-back"],
    [
        "Italian football club AS Roma have signed a 16-year-old defender of Indian origin for their youth "
        "academy, the club said on {DAY}.",
        "The player, born in Rome to parents from Punjab, has represented Italy at under-15 level.",
        "Indian football fans on social media hailed the signing.",
    ],
    "Roma the football club; 'defender'",
    n=2,
)

# ---- courtroom
fam(
    "courtroom",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Goa court acquits Italian national in drugs case", "Italian tourist acquitted in Goa narcotics case"],
    [
        "A court in Goa on {DAY} acquitted an Italian national arrested three years ago for possession of "
        "narcotics, citing lapses in the police investigation.",
        "The defence counsel argued that the seizure had not been witnessed by independent witnesses as "
        "required by law, and the judge accepted the argument.",
        "The prosecution said it would examine the verdict before deciding on an appeal. The Italian "
        "embassy had provided consular assistance.",
    ],
    "court case; 'defence counsel'",
    n=3,
)

fam(
    "courtroom",
    False,
    [],
    "en",
    "in",
    EN_IN,
    [
        "Delhi HC grants bail to Italian businessman in GST fraud case",
        "Bail for Italian executive accused of tax evasion",
    ],
    [
        "The Delhi High Court on {DAY} granted bail to an Italian businessman accused of evading GST worth "
        "{CRORE} through fake invoices.",
        "His defence lawyers told the court that he had cooperated with investigators and that the trial was "
        "unlikely to conclude soon.",
        "The court directed him to surrender his passport and not leave India without permission.",
    ],
    "court case involving an Italian national; no defence matter",
    n=3,
)

fam(
    "courtroom",
    False,
    [],
    "en",
    "it",
    EN_IN,
    [
        "Italian court convicts farm owner for exploiting Indian workers",
        "Latina: employer sentenced over death of Indian farmhand",
    ],
    [
        "A court in Latina, south of Rome, on {DAY} sentenced a farm owner to prison for the exploitation "
        "and death of an Indian agricultural labourer.",
        "The defence had argued that the worker was not an employee, but the judge found that he had "
        "worked without a contract for years.",
        "The case shocked Italy and led to protests by the Indian community in the Agro Pontino.",
    ],
    "Italian court; Indian labourer; 'defence' in court",
    n=3,
)

fam(
    "courtroom",
    False,
    [],
    "en",
    "in",
    EN_IN,
    [
        "Custody battle: Supreme Court rules on Indo-Italian couple's child",
        "SC decides custody of child of Indian-Italian parents",
    ],
    [
        "The Supreme Court on {DAY} ruled that a seven-year-old child of an Indian mother and an Italian "
        "father should remain in India until the end of the school year.",
        "The bench rejected the father's plea based on an Italian court order, saying the child's welfare "
        "was paramount. The defence of the mother rested on the child's schooling in Bengaluru.",
        "The court asked both parents to attempt mediation.",
    ],
    "family court case",
    n=3,
)

fam(
    "courtroom",
    False,
    [],
    "it",
    "it",
    IT,
    ["Truffa sui visti per l'India, a processo tre imputati", "Visti falsi per l'India: al via il processo a {CITTA}"],
    [
        "Si è aperto {GIORNO} davanti al tribunale di {CITTA} il processo a tre persone accusate di una truffa "
        "sui visti per l'India ai danni di centinaia di turisti italiani.",
        "L'avvocato della difesa ha chiesto il rinvio dell'udienza per acquisire nuovi documenti, "
        "richiesta respinta dal giudice.",
        "Secondo l'accusa, gli imputati vendevano online visti falsi a prezzi maggiorati.",
    ],
    "processo penale non militare",
    n=3,
)

fam(
    "courtroom",
    False,
    [],
    "it",
    "it",
    IT,
    ["Braccianti indiani sfruttati, condanna per caporalato", "Caporalato: condannato imprenditore agricolo"],
    [
        "Il tribunale ha condannato {GIORNO} un imprenditore agricolo per lo sfruttamento di braccianti "
        "indiani impiegati nelle serre della provincia di Latina.",
        "La difesa aveva sostenuto la regolarità dei contratti, ma il giudice ha riconosciuto le accuse.",
        "La comunità indiana ha accolto la sentenza con soddisfazione.",
    ],
    "processo per caporalato",
    n=3,
)

# ---- india-only
fam(
    "india-only",
    False,
    [],
    "en",
    "in",
    EN_PIB,
    ["Navy commissions indigenous frigate {INSHIP2}", "Stealth frigate joins Indian Navy"],
    [
        "The Indian Navy commissioned a new stealth frigate built by Mazagon Dock Shipbuilders at a "
        "ceremony in Mumbai on {DAY}.",
        "The frigate, with over 75 per cent indigenous content, is armed with BrahMos supersonic cruise "
        "missiles, medium-range surface-to-air missiles and anti-submarine torpedoes.",
        "The Chief of the Naval Staff said the ship would strengthen the Navy's presence in the Indian Ocean Region.",
    ],
    "India-only naval",
    n=3,
)

fam(
    "india-only",
    False,
    [],
    "en",
    "in",
    EN_IN,
    [
        "DRDO successfully test-fires new air defence missile",
        "DRDO conducts flight test of short-range missile off Odisha coast",
    ],
    [
        "The Defence Research and Development Organisation on {DAY} successfully flight-tested a new "
        "short-range air defence missile from the Integrated Test Range at Chandipur.",
        "The missile intercepted a high-speed unmanned aerial target, DRDO said. Defence Minister Rajnath "
        "Singh congratulated the scientists.",
        "The system is expected to be inducted by the Army and the Air Force after user trials.",
    ],
    "India-only missile test",
    n=3,
)

fam(
    "india-only",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["HAL delivers first Tejas Mk1A to IAF", "IAF receives first Tejas Mk1A jet"],
    [
        "Hindustan Aeronautics Limited on {DAY} delivered the first Tejas Mk1A fighter jet to the Indian Air "
        "Force at a ceremony in Nashik.",
        "Deliveries were delayed by more than a year because of the late supply of engines.",
        "HAL said it would deliver {NUM} aircraft by the end of the next financial year. The IAF has ordered "
        "180 of the jets.",
    ],
    "India-only aerospace",
    n=3,
)

fam(
    "india-only",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Army raises new drone units along northern borders", "Indian Army inducts loitering munitions"],
    [
        "The Indian Army has raised {NUM} new drone platoons and inducted loitering munitions in formations "
        "along the northern borders, officials said on {DAY}.",
        "The drones, made by Indian start-ups, will be used for surveillance and precision strikes. The "
        "Army is also training soldiers as drone operators at its schools.",
        "The move follows lessons drawn from recent conflicts.",
    ],
    "India-only land systems",
    n=3,
)

fam(
    "india-only",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Defence exports touch record Rs 23,000 crore", "India's defence exports rise {PCT}% this fiscal"],
    [
        "India's defence exports reached a record Rs 23,000 crore in the last financial year, the defence "
        "ministry said on {DAY}.",
        "Private companies accounted for about 60 per cent of the exports, with ammunition, artillery "
        "components, radars and patrol boats among the main items.",
        "The ministry said Indian firms now export to nearly 100 countries. The government has set a target "
        "of Rs 50,000 crore by 2029.",
    ],
    "India-only industry",
    n=3,
)

fam(
    "india-only",
    False,
    [],
    "it",
    "it",
    IT,
    ["India, varata una nuova fregata costruita a Mumbai", "La Marina indiana riceve un nuovo sottomarino"],
    [
        "La Marina indiana ha preso in consegna {GIORNO} un nuovo sottomarino costruito dal cantiere Mazagon "
        "Dock di Mumbai, il sesto della sua classe.",
        "Il battello sarà impiegato nell'Oceano Indiano. Il governo di Nuova Delhi punta a costruire in "
        "patria la maggior parte delle navi militari.",
        'Il ministro della Difesa indiano ha definito la consegna "un traguardo per l\'autosufficienza".',
    ],
    "solo India (in italiano)",
    n=3,
)

# ---- italy-only
fam(
    "italy-only",
    False,
    [],
    "en",
    "it",
    EN_IN,
    ["Fincantieri delivers new frigate to Italian Navy", "Italian Navy receives ninth FREMM frigate"],
    [
        "Italian shipbuilder Fincantieri on {DAY} delivered a new multipurpose frigate to the Italian Navy "
        "at its Muggiano yard near La Spezia.",
        "The frigate is equipped for anti-submarine warfare and air defence. Two more ships of the class are "
        "under construction.",
        "Fincantieri also reported strong orders for its cruise ship business.",
    ],
    "Italy-only naval",
    n=3,
)

fam(
    "italy-only",
    False,
    [],
    "en",
    "it",
    EN_IN,
    ["Leonardo posts higher profit on defence demand", "Italy's Leonardo raises guidance as defence orders surge"],
    [
        "Italian defence group Leonardo on {DAY} reported a {PCT} per cent rise in operating profit for the "
        "first nine months and raised its full-year guidance.",
        "Orders were driven by helicopters, defence electronics and demand from European armed forces.",
        "The chief executive said the group would invest in space and cyber businesses. Shares rose 3 per "
        "cent in Milan.",
    ],
    "Italy-only industry",
    n=3,
)

fam(
    "italy-only",
    False,
    [],
    "it",
    "it",
    IT,
    [
        "Difesa: Crosetto presenta il Documento programmatico pluriennale",
        "Difesa, il piano di spesa per i prossimi tre anni",
    ],
    [
        "Il ministro della Difesa Guido Crosetto ha presentato {GIORNO} al Parlamento il Documento "
        "programmatico pluriennale della Difesa, che prevede un aumento della spesa per l'ammodernamento "
        "delle Forze Armate.",
        "Tra i programmi principali nuovi carri armati per l'Esercito, fregate per la Marina Militare e "
        "velivoli per l'Aeronautica Militare.",
        "Le opposizioni hanno criticato l'aumento delle spese militari.",
    ],
    "solo Italia",
    n=3,
)

fam(
    "italy-only",
    False,
    [],
    "it",
    "it",
    IT,
    [
        "Marina Militare, varato a Riva Trigoso il nuovo pattugliatore",
        "Fincantieri vara un nuovo pattugliatore per la Marina Militare",
    ],
    [
        "È stato varato {GIORNO} nel cantiere Fincantieri di Riva Trigoso un nuovo pattugliatore polivalente "
        "d'altura destinato alla Marina Militare.",
        "Alla cerimonia hanno partecipato il Capo di Stato Maggiore della Marina e il sottosegretario alla Difesa.",
        "La nave sarà consegnata entro due anni.",
    ],
    "solo Italia (navale)",
    n=3,
)

fam(
    "italy-only",
    False,
    [],
    "it",
    "it",
    IT,
    [
        "Aeronautica Militare, esercitazione in Sardegna con i caccia F-35",
        "Caccia italiani in addestramento a Decimomannu",
    ],
    [
        "L'Aeronautica Militare ha concluso {GIORNO} un'esercitazione nazionale nei cieli della Sardegna "
        "con caccia F-35 ed Eurofighter, velivoli da rifornimento ed elicotteri.",
        "L'attività ha simulato operazioni di difesa aerea e di ricerca e soccorso.",
        "Hanno partecipato oltre 1.000 militari.",
    ],
    "solo Italia (aeronautica)",
    n=3,
)

fam(
    "italy-only",
    False,
    [],
    "en",
    "it",
    EN_IN,
    ["Italian Army tests new howitzer ammunition", "Italy's army steps up artillery training"],
    [
        "The Italian Army carried out live-firing tests of new long-range artillery ammunition at a range in "
        "Sardinia on {DAY}, the defence ministry in Rome said.",
        "The tests involved self-propelled howitzers and guided shells produced by an Italian company.",
        "The ministry said the tests were part of the modernisation of Italian land forces.",
    ],
    "Italy-only land systems",
    n=3,
)

# ---- misleading headlines (negative): defence-sounding headline, non-defence body
fam(
    "misleading-headline",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["India, Italy to bolster strategic ties, says minister", "India-Italy strategic partnership gets a boost"],
    [
        "India and Italy will bolster their strategic partnership through more trade and investment, "
        "Commerce Minister said on {DAY} after meeting a visiting Italian delegation.",
        "The two sides discussed removing non-tariff barriers for Indian grapes and shrimp, and Italian "
        "investment in food parks and renewable energy.",
        "They also agreed to set up a fast-track mechanism for investors' grievances.",
    ],
    "strategic-sounding headline; trade body",
    n=3,
)

fam(
    "misleading-headline",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Italian 'armada' lands in Mumbai", "Italian armada sets sail for Indian market"],
    [
        "A fleet of Italian luxury yacht builders landed in Mumbai on {DAY} for a boat show, hoping to tap "
        "India's growing number of super-rich buyers.",
        "{NUM} yachts and speedboats are on display at the Gateway of India marina. Prices start at Rs 3 crore.",
        "Italian exporters said Indian buyers preferred mid-sized motor yachts for weekend trips.",
    ],
    "military metaphor headline; luxury trade body",
    n=3,
)

fam(
    "misleading-headline",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["India and Italy join forces to fight a common enemy", "Indo-Italian alliance takes on a deadly foe"],
    [
        "Scientists from India and Italy have joined forces to fight antimicrobial resistance, which kills "
        "more than a million people a year.",
        "Researchers at an institute in {CITY_IN} and a university in {CITY_IT} will pool data on resistant "
        "bacteria from hospitals in both countries.",
        "The project is funded under the India-Italy science and technology cooperation programme.",
    ],
    "military metaphor; science cooperation",
    n=3,
)

fam(
    "misleading-headline",
    False,
    [],
    "en",
    "it",
    EN_IN,
    ["Italy deploys 'missile' to conquer Indian market", "Italian carmaker fires its missile at India"],
    [
        "An Italian supercar maker on {DAY} launched in India its fastest model, which it markets as a "
        '"road missile", at a price of Rs 8.9 crore.',
        "The company said India was among its fastest growing markets, with deliveries up {PCT} per cent.",
        "The car will be assembled in Italy and shipped to India in small batches.",
    ],
    "weapon metaphor; car launch",
    n=3,
)

fam(
    "misleading-headline",
    False,
    [],
    "it",
    "it",
    IT,
    ["Italia-India, alleanza strategica contro la concorrenza cinese", "Italia e India unite in difesa del made in"],
    [
        "Italia e India rafforzano la loro alleanza commerciale: è stato firmato {GIORNO} un accordo tra "
        "associazioni di imprese tessili per contrastare la concorrenza a basso costo.",
        "L'intesa prevede la promozione congiunta dei marchi e la tutela della proprietà intellettuale.",
        "Soddisfazione dalle associazioni di categoria.",
    ],
    "titolo con lessico strategico/difesa, contenuto commerciale",
    n=3,
)

fam(
    "misleading-headline",
    False,
    [],
    "it",
    "it",
    IT,
    ["La 'flotta' italiana conquista Mumbai", "Una flotta italiana alla conquista dell'India"],
    [
        "Una flotta di cantieri nautici italiani è sbarcata {GIORNO} al salone nautico di Mumbai, con "
        "yacht di lusso e motoscafi.",
        "I costruttori puntano sul crescente numero di milionari indiani. Gli yacht esposti sono {NUM}.",
        "L'iniziativa è sostenuta dall'ICE.",
    ],
    "titolo navale, contenuto commerciale nautico",
    n=3,
)

# ---- harder negatives: both countries appear, but not both as defence parties
fam(
    "india-only",
    False,
    [],
    "en",
    "in",
    EN_IN,
    [
        "Navy rescues crew of Italian-owned cargo ship off {PORT_IN}",
        "Indian Navy, Coast Guard save 19 sailors from sinking freighter",
    ],
    [
        "The Indian Navy and the Coast Guard on {DAY} rescued all 19 crew members of a cargo ship owned by an "
        "Italian shipping company that began taking on water off {PORT_IN} in rough seas.",
        "A Navy helicopter winched up the injured while a Coast Guard ship took the rest on board. The crew "
        "were from the Philippines, Myanmar and India.",
        "The owners said in a statement that they were grateful to the Indian authorities.",
    ],
    "Indian forces' search and rescue; Italian side is a private shipowner, not a defence party",
    n=3,
)

fam(
    "italy-only",
    False,
    [],
    "en",
    "it",
    EN_IN,
    [
        "Italian frigate escorts grain convoy through Red Sea",
        "Italian Navy shepherds merchant ships past Houthi threat",
    ],
    [
        "An Italian Navy frigate on {DAY} escorted a convoy of four merchant ships through the southern Red "
        "Sea, the defence ministry in Rome said.",
        "The frigate shot down a drone launched from Yemen during the transit. One of the ships was "
        "carrying rice from India to the Mediterranean.",
        "The frigate is part of a European mission to protect shipping in the region.",
    ],
    "Italian naval operation; India only as origin of a cargo",
    n=3,
)

fam(
    "courtroom",
    False,
    [],
    "en",
    "in",
    EN_IN,
    [
        "Kerala court records statements of defence witnesses in Italian woman's murder trial",
        "Murder of Italian tourist: defence witnesses examined",
    ],
    [
        "A sessions court in Thiruvananthapuram on {DAY} recorded the statements of two defence witnesses in "
        "the trial over the murder of an Italian tourist in 2023.",
        "The accused, a local boat operator, has denied the charges. The prosecution has examined {NUM} "
        "witnesses, including the victim's sister, who travelled from Italy.",
        "The judge posted the case for final arguments next month.",
    ],
    "criminal trial; 'defence witnesses'",
    n=3,
)

fam(
    "sport",
    False,
    [],
    "en",
    "it",
    EN_IN,
    [
        "Army shooter wins gold at ISSF World Cup in Italy",
        "Subedar clinches gold for India at shooting World Cup in Lonato",
    ],
    [
        "A Subedar of the Indian Army's Marksmanship Unit won gold in the "
        "men's trap event at the ISSF World Cup in Lonato, Italy, on {DAY}.",
        "He edged out an Italian shooter in the final. The Army said the soldier's success was a tribute to "
        "its sports training at Mhow.",
        "India finished the tournament with two gold medals.",
    ],
    "sport; Army athlete in a tournament in Italy",
    n=3,
)

fam(
    "tourism",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Italian bikers ride to Khardung La", "Italian motorcycle club completes Himalayan ride"],
    [
        "A group of {NUM} Italian motorcyclists completed a ride from Manali to Khardung La in Ladakh on "
        "{DAY}, one of the highest motorable passes in the world.",
        "The riders were treated for altitude sickness at an Army medical post en route and praised the "
        "roads built by the Border Roads Organisation.",
        "The club plans to return next year for a ride through Spiti.",
    ],
    "tourism; Army medical post incidental",
    n=3,
)

# ---- more one-off families, for variety
fam(
    "relevant",
    True,
    ["diplomacy", "industrial-cooperation"],
    "en",
    "it",
    ["ansa_en"],
    ["Italy, India agree defence cooperation roadmap", "Crosetto, Indian defence secretary sign roadmap"],
    [
        "Italy and India on {DAY} signed a roadmap for defence cooperation for the next three years, "
        "Italian Defence Minister Guido Crosetto said after meeting the Indian Defence Secretary in Rome.",
        "The roadmap covers staff talks between the armed forces, training exchanges, a regular industry "
        "dialogue and work on joint projects in naval systems and electronics.",
        '"India is a key partner for Italy in the Indo-Pacific," Crosetto said.',
    ],
    "bilateral defence roadmap (ANSA English)",
    n=2,
)

fam(
    "relevant",
    True,
    ["naval", "diplomacy"],
    "en",
    "in",
    EN_PIB,
    ["Indian Navy officers to train at Italian Naval Academy", "Navy cadets head to Livorno for training"],
    [
        "A group of {NUM} Indian Navy officers will attend courses at the Italian Naval Academy in Livorno "
        "under a training exchange agreed between the two navies, officials said on {DAY}.",
        "In return, Italian Navy officers will attend the Naval War College in Goa and specialist courses "
        "in hydrography and diving at Kochi.",
        "The exchange is part of the training component of the India-Italy defence cooperation agreement.",
    ],
    "training exchange between the navies",
    n=2,
)

fam(
    "relevant",
    True,
    ["land-systems", "diplomacy"],
    "en",
    "in",
    EN_IN,
    ["Indian, Italian armies hold staff talks in {CITY_IN}", "Army-to-army staff talks with Italy"],
    [
        "The Indian Army and the Italian Army held their {NUM}th round of staff talks in {CITY_IN} on {DAY}, "
        "an Army spokesperson said.",
        "The delegations discussed training in mountain warfare, participation in each other's exercises, "
        "peacekeeping experience in Lebanon and cooperation in artillery and drone training.",
        "The Italian delegation also visited the Army's mountain warfare school.",
    ],
    "army-to-army staff talks",
    n=2,
)

fam(
    "relevant",
    True,
    ["legal", "procurement"],
    "en",
    "in",
    EN_IN,
    [
        "Delhi HC upholds arbitral award in favour of Italian defence supplier",
        "MoD loses appeal against arbitration award to Italian firm",
    ],
    [
        "The Delhi High Court on {DAY} dismissed the defence ministry's appeal against an arbitral award in "
        "favour of an Italian defence equipment supplier whose contract was cancelled in 2014.",
        "The tribunal had held that the cancellation of the contract for naval sonar systems was not "
        "justified and directed the ministry to pay {EUR} with interest.",
        "The ministry had argued that the Italian company was under investigation for corruption in another "
        "deal. Officials said the government would consider an appeal to the Supreme Court.",
    ],
    "defence contract arbitration between Indian MoD and Italian firm",
    n=2,
)

fam(
    "relevant",
    True,
    ["space", "maritime-security", "procurement"],
    "en",
    "in",
    EN_IN,
    [
        "Navy signs up Italian firm for satellite ship-tracking data",
        "Indian Navy to buy Italian satellite data for maritime awareness",
    ],
    [
        "The Indian Navy has signed a contract with an Italian satellite services company for radar "
        "satellite imagery to track ships in the Indian Ocean, officials said on {DAY}.",
        "The data will be fed into the Navy's maritime domain awareness network and the Information Fusion "
        "Centre in Gurugram to detect illegal fishing, piracy and dark vessels.",
        "The Italian company operates a constellation of radar satellites also used by the Italian defence ministry.",
    ],
    "Indian Navy procurement of Italian satellite data",
    n=2,
)

fam(
    "multilateral",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["India remains world's top arms importer, says SIPRI", "India top arms importer; Italy's exports rise: SIPRI"],
    [
        "India remained the world's largest importer of major arms in the last five years, accounting for "
        "about 9 per cent of global imports, according to the Stockholm International Peace Research "
        "Institute.",
        "Russia remained India's largest supplier, followed by France and Israel. Italy's arms exports rose "
        "sharply, driven by deliveries of warships and aircraft to Qatar, Egypt and Turkey.",
        "The United States, France, Russia, China and Germany were the top five exporters.",
    ],
    "arms-trade ranking; India and Italy appear separately in lists",
    n=2,
)

fam(
    "third-country",
    False,
    [],
    "en",
    "it",
    EN_IN,
    ["Fincantieri to build submarines for Indonesia", "Italian yard wins Indonesian submarine deal"],
    [
        "Italy's Fincantieri has won a contract to build two submarines for the Indonesian Navy, beating "
        "bids from South Korean and French yards, the company said on {DAY}.",
        "The submarines will be built partly in Indonesia with technology transfer to a state-owned shipyard.",
        "Analysts noted that Indonesia had also studied Indian-built patrol vessels, but the submarine "
        "competition did not include an Indian bid.",
    ],
    "Italy-Indonesia deal; India only in analysts' aside",
    n=2,
)

fam(
    "sport",
    False,
    [],
    "en",
    "it",
    EN_IN,
    ["Indian Navy sailors finish fifth at regatta in Italy", "Navy sailing team impresses at Italian regatta"],
    [
        "A sailing team from the Indian Navy finished fifth in the offshore class at an international "
        "regatta off Sardinia on {DAY}, the Navy said.",
        "The crew of six completed the 300-nautical-mile race in rough seas. An Italian yacht won the event.",
        "The Navy's sailing association plans to enter the team in more European races.",
    ],
    "sport: a Navy sailing team at a regatta in Italy",
    n=2,
)

fam(
    "misleading-headline",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["India-Italy 'joint exercise' in the kitchen", "Chefs from Italy, India conduct joint drills"],
    [
        "Chefs from India and Italy held a week-long culinary exchange in {CITY_IN}, cooking a fusion menu "
        "of risotto with curry leaves and tandoori pizza for diners.",
        "The event was organised by a hotel group with the Italian Trade Agency to promote Italian cheese "
        "and olive oil.",
        "Organisers said the exchange would be repeated in Milan next year with Indian chefs.",
    ],
    "military metaphor headline; food event",
    n=2,
)

fam(
    "italy-only",
    False,
    [],
    "it",
    "it",
    IT,
    ["Difesa: Leonardo, nuovi elicotteri per l'Esercito", "Esercito, firmato il contratto per gli elicotteri"],
    [
        "Il Segretariato Generale della Difesa ha firmato {GIORNO} con Leonardo un contratto per la "
        "fornitura di nuovi elicotteri multiruolo all'Esercito Italiano.",
        "Il contratto, del valore di {EUR}, prevede anche il supporto logistico per dieci anni.",
        "Leonardo ha ricordato che gli stessi elicotteri sono stati ordinati da diversi Paesi, tra cui "
        "alcuni clienti in Asia.",
    ],
    "solo Italia (contratto)",
    n=2,
)

fam(
    "culture",
    False,
    [],
    "en",
    "in",
    EN_IN,
    ["Italian opera company stages 'Aida' in Mumbai", "Verdi comes to Mumbai with Italian opera troupe"],
    [
        "An Italian opera company staged Verdi's 'Aida' at the National Centre for the Performing Arts in "
        "Mumbai on {DAY}, the first full-scale Italian opera production in the city in a decade.",
        "The cast of {NUM} singers was accompanied by the Symphony Orchestra of India. Tickets for all three "
        "shows were sold out.",
        "The Consul General of Italy said the production was part of a year of cultural exchanges between "
        "India and Italy.",
    ],
    "culture (opera)",
    n=3,
)

# Datelines that must match a place fixed in the text.
FIXED_CITY = {
    "Mumbai port posts": "Mumbai",
    "Italian carrier strike group docks": "Panaji",
    "Italian tourist arrivals": "Panaji",
    "Navy commissions indigenous": "Mumbai",
    "HAL delivers first": "Nashik",
    "DRDO successfully": "Balasore",
    "Aero India: record": "Bengaluru",
    "Navies of 50 countries": "Visakhapatnam",
    "Kerala court records": "Thiruvananthapuram",
    "Yoga finds": "Dehradun",
    "Goa court acquits": "Panaji",
    "Delhi HC grants": "New Delhi",
    "Custody battle": "New Delhi",
    "Italian court convicts": "Rome",
    "Italian bikers": "Leh",
    "Italian opera company": "Mumbai",
    "Italian 'armada'": "Mumbai",
    "Defence ministry clears": "New Delhi",
    "Navy chief meets": "New Delhi",
    "EAM Jaishankar": "Rome",
    "India, France sign": "New Delhi",
    "Indian Navy, US Navy": "Visakhapatnam",
    "Italy, Japan, UK": "Rome",
    "Italy orders more": "Rome",
    "Leonardo posts higher": "Milan",
    "Fincantieri delivers new": "La Spezia",
    "G7 foreign": "Rome",
    "Italian Army tests": "Rome",
    "Indian Ambassador to Italy": "Rome",
    "Italian court": "Rome",
    "Army shooter wins": "New Delhi",
    "New Italian restaurant": "New Delhi",
    "Italian frigate escorts grain": "Rome",
    "Italy, India agree defence": "Rome",
    "Fincantieri to build submarines": "Trieste",
    "India remains world's top": "New Delhi",
    "Rajnath Singh speaks": "New Delhi",
    "India, Russia review": "New Delhi",
    "Defence attaches": "New Delhi",
}
FIXED_CITTA = {
    "Il gruppo portaerei Cavour": "GOA",
    "India, varata": "NEW DELHI",
    "Difesa, a Nuova Delhi": "NEW DELHI",
    "Il capo di Stato Maggiore dell'Aeronautica": "ROMA",
    "Leonardo da Vinci, le sue": "NEW DELHI",
    "Marò": "ROMA",
    "Elicotteri India": "ROMA",
    "Marina Militare: la": "ROMA",
}


def _pick(rng, x):
    return rng.choice(x) if isinstance(x, list) else x


def _fixed(table, title):
    for k, v in table.items():
        if title.startswith(k):
            return v
    return None


def wrap(style, paras, s, rng, where, fam_title0):
    """Put a story in its wire's furniture."""
    paras = list(paras)
    if style in ("ansa", "difesa", "nova"):
        citta = _fixed(FIXED_CITTA, fam_title0) or (s["CITTA"].upper() if where == "it" else "NEW DELHI")
        if style == "ansa":
            paras[0] = f"{citta}, {s['DI']} - {paras[0]}"
            paras[-1] = paras[-1] + " (ANSA)."
            if rng.random() < 0.4:
                paras.append("RIPRODUZIONE RISERVATA \u00a9 Copyright ANSA")
        elif style == "nova":
            hh, mm = rng.randint(8, 20), rng.randint(0, 59)
            paras[0] = f"{citta.title()}, {s['DI'].lower()} {hh}:{mm:02d} - (Agenzia Nova) - {paras[0]}"
        else:  # Ministero della Difesa press note: no dateline, a date line at the end
            paras.append(f"Roma, {s['DIL']}")
        return "\n\n".join(paras)
    city = _fixed(FIXED_CITY, fam_title0) or (s["CITY_IN"] if where == "in" else s["CITY_IT"])
    country = "India" if where == "in" and city not in ("Rome", "Milan", "La Spezia") else "Italy"
    if style == "ansa_en":
        paras[0] = f"(ANSA) - {city.upper()}, {s['D'].upper()} - {paras[0]}"
        return "\n\n".join(paras) + "\n\nALL RIGHTS RESERVED \u00a9 Copyright ANSA"
    if style in ("ians", "menafn", "menafn2"):
        paras[0] = f"{city}, {s['D']} (IANS) {paras[0]}"
        if style == "menafn":
            paras[0] = "(MENAFN - IANS) " + paras[0]
        elif style == "menafn2":
            paras[0] = "MENAFN - IANS) " + paras[0]
        text = "\n\n".join(paras) + f"\n\n--IANS\n\n{s['INIT']}"
        if style == "menafn":
            text += "\n\n" + DISCLAIMER
        return text
    if style == "pti":
        paras[0] = f"{city}, {s['D']} (PTI) {paras[0]}"
        return "\n\n".join(paras) + f"\n\n{s['PTI_INIT']}"
    if style == "ani":
        paras[0] = f"{city} [{country}], {s['DLONG']} (ANI): {paras[0]}"
        paras[-1] = paras[-1] + " (ANI)"
        return "\n\n".join(paras)
    if style == "pib":
        return "\n\n".join(paras) + f"\n\n***\n\n{s['PIB_SIGN']}"
    return "\n\n".join(paras)


def instantiate(f, rng):
    out = []
    styles = list(f["styles"])
    rng.shuffle(styles)
    titles = list(f["titles"])
    for i in range(f["n"]):
        s = slots(rng)
        if f["lang"] == "it":  # Italian decimal comma
            s["PCT"], s["BN"] = s["PCT"].replace(".", ","), s["BN"].replace(".", ",")
            s["EUR"] = s["EUR"].replace("million euros", "milioni di euro")
        title = titles[i % len(titles)].format(**s)
        paras = [_pick(rng, p).format(**s) for p in f["paras"]]
        note = f["note"]
        # Long stories: unrelated lead paragraphs push the India–Italy matter further down.
        # Only where a round-up lead reads naturally: Indian-desk defence stories and Italian ministry news.
        leadable = (
            f["kind"] == "relevant" and (f["lang"] == "it" or f["where"] == "in") and "legal" not in f["topics"]
        ) or (f["kind"] in ("india-only", "third-country") and f["where"] == "in" and f["lang"] == "en")
        if f["lead"] or (leadable and rng.random() < (0.35 if f["rel"] else 0.25)):
            pool = LEAD_IT if f["lang"] == "it" else LEAD_EN
            k = 2 if f["lang"] == "en" else 1
            if f["lang"] == "en":
                opener = rng.choice(pool[:LEAD_EN_OPENING])
                leads = [opener, rng.choice([p for p in pool if p != opener])]
            else:  # the first and third Italian leads can open a story
                leads = [rng.choice([pool[0], pool[2]])]
            leads = [p.format(**s) for p in leads]
            if not f["lead"]:
                paras = leads + paras
                title = rng.choice(LEAD_TITLES_EN if f["lang"] == "en" else LEAD_TITLES_IT).format(**s)
                if f["rel"]:
                    note += f"; India-Italy angle only from paragraph {k + 1} of a long story"
        style = styles[i % len(styles)]
        # A Ministero della Difesa press note only for the ministry's own kind of news.
        if style == "difesa" and (
            f["kind"] not in ("relevant", "italy-only", "misleading-headline")
            or "legal" in f["topics"]
            or not (f["rel"] or f["kind"] == "italy-only")
        ):
            style = "ansa"
        text = wrap(style, paras, s, rng, f["where"], f["titles"][0])
        out.append(
            dict(
                title=title,
                text=text,
                language=f["lang"],
                relevant=f["rel"],
                topics=list(f["topics"]) if f["rel"] else [],
                kind=f["kind"],
                note=f"{note} [{style}]",
            )
        )
    return out


# Families that tell the same story (an English and an Italian version, or two close variants): they
# always go to the same split.
TWINS = [
    ("SIDM, Italy's AIAD", "Difesa: AIAD e SIDM"),
    ("Indian, Italian navies conduct PASSEX", "Marina Militare: la {NAVE_IT}"),
    ("Italian carrier strike group", "Il gruppo portaerei Cavour"),
    ("BHEL-Leonardo gun deal", "Leonardo, nuovo contratto"),
    ("AgustaWestland case", "Elicotteri India"),
    ("Enrica Lexie case", "Marò"),
    ("Iveco Defence Vehicles, {INCO}", "Iveco Defence Vehicles, accordo"),
    ("India, Italy to explore cooperation in military space", "Difesa, a Nuova Delhi il primo dialogo"),
    ("Leonardo da Vinci exhibition", "Leonardo da Vinci, le sue"),
    ("India beat Italy 4-1", "Hockey su prato"),
    ("India-Italy bilateral trade rises", "Italia-India, interscambio"),
    ("Italian 'armada'", "La 'flotta' italiana"),
    ("Italian court convicts farm owner", "Braccianti indiani sfruttati"),
    ("Italian frigate escorts grain convoy", "Indian warship escorts Italian-flagged"),
]


def units() -> list[list[int]]:
    """Families grouped into units that must share a split."""
    unit_of = list(range(len(F)))
    for twin in TWINS:
        idx = [i for i, f in enumerate(F) if any(f["titles"][0].startswith(t) for t in twin)]
        assert len(idx) == len(twin), (twin, idx)
        for i in idx[1:]:
            unit_of[i] = unit_of[idx[0]]
    out: dict[int, list[int]] = {}
    for i, u in enumerate(unit_of):
        out.setdefault(u, []).append(i)
    return list(out.values())


def _adds(unit: list[int]) -> Counter:
    add = Counter()
    for i in unit:
        f = F[i]
        add["kind:" + f["kind"] + ":" + str(f["rel"])] += 2 * f["n"]  # the kind mix weighs double
        add["all"] += f["n"]
        add["it"] += f["n"] if f["lang"] == "it" else 0
        for t in f["topics"]:
            add["topic:" + t] += f["n"]
    return add


def _cost(assign: dict[int, str], us: list[list[int]], adds: list[Counter]) -> int:
    diff = Counter()
    for u, add in enumerate(adds):
        sign = 1 if assign[u] == "dev" else -1
        for k, v in add.items():
            diff[k] += sign * v
    return sum(v * v for v in diff.values())  # squares: one lopsided topic costs more than several small gaps


def build():
    rng = random.Random(SEED)
    us = units()
    rng.shuffle(us)
    adds = [_adds(u) for u in us]
    # Start by alternating, then improve the balance (kind mix, topics, language, size) by moving or
    # swapping units between the splits until nothing helps: a deterministic hill-climb.
    assign = {u: ("dev" if u % 2 == 0 else "test") for u in range(len(us))}
    best = _cost(assign, us, adds)
    improved = True
    while improved:
        improved = False
        for a in range(len(us)):
            for b in [None, *range(a + 1, len(us))]:
                trial = dict(assign)
                trial[a] = "test" if trial[a] == "dev" else "dev"
                if b is not None:
                    if assign[b] == assign[a]:
                        continue
                    trial[b] = "test" if trial[b] == "dev" else "dev"
                c = _cost(trial, us, adds)
                if c < best:
                    assign, best, improved = trial, c, True
    split_of = {i: assign[u] for u, unit in enumerate(us) for i in unit}
    items = {"dev": [], "test": []}
    for i, f in enumerate(F):
        for it in instantiate(f, rng):
            it["family"] = i
            items[split_of[i]].append(it)
    for sp, prefix in (("dev", "d"), ("test", "t")):
        rng.shuffle(items[sp])
        with open(HERE / f"{sp}.jsonl", "w", encoding="utf-8") as fh:
            for n, it in enumerate(items[sp], 1):
                rec = {
                    "id": f"{prefix}{n:03d}",
                    "title": it["title"],
                    "text": it["text"],
                    "language": it["language"],
                    "relevant": it["relevant"],
                    "topics": it["topics"],
                    "kind": it["kind"],
                    "note": it["note"],
                }
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return items


TOPICS = [
    "industrial-cooperation",
    "procurement",
    "joint-exercise",
    "naval",
    "aerospace",
    "land-systems",
    "space",
    "cyber",
    "diplomacy",
    "technology-transfer",
    "legal",
    "maritime-security",
]
NEG_KINDS = [
    "trade",
    "tourism",
    "culture",
    "sport",
    "third-country",
    "multilateral",
    "name-collision",
    "courtroom",
    "india-only",
    "italy-only",
    "misleading-headline",
]
FIELDS = {
    "id": str,
    "title": str,
    "text": str,
    "language": str,
    "relevant": bool,
    "topics": list,
    "kind": str,
    "note": str,
}


def check() -> None:
    """Parse both files, check every field and the minimum counts, print a summary."""
    rows = []
    for sp in ("dev", "test"):
        for n, line in enumerate((HERE / f"{sp}.jsonl").read_text(encoding="utf-8").splitlines(), 1):
            rec = json.loads(line)
            assert set(rec) == set(FIELDS), (sp, n, set(rec) ^ set(FIELDS))
            for k, t in FIELDS.items():
                assert isinstance(rec[k], t), (sp, n, k)
            assert rec["language"] in ("en", "it")
            assert rec["kind"] in [*NEG_KINDS, "relevant"]
            assert set(rec["topics"]) <= set(TOPICS)
            assert bool(rec["topics"]) == rec["relevant"], rec["id"]
            assert rec["kind"] != "relevant" or rec["relevant"]
            assert rec["kind"] in ("relevant", "misleading-headline") or not rec["relevant"]
            assert rec["text"].count("\n\n") + 1 >= 2, rec["id"]
            rows.append((sp, rec))
    ids = [r["id"] for _, r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [r["text"] for _, r in rows]
    assert len(texts) == len(set(texts)), "duplicate texts"
    total = len(rows)
    rel = sum(r["relevant"] for _, r in rows)
    print(f"total {total}  relevant {rel} ({rel / total:.0%})  negative {total - rel} ({(total - rel) / total:.0%})")
    for sp in ("dev", "test"):
        xs = [r for s, r in rows if s == sp]
        print(
            f"{sp}: {len(xs)} items, {sum(r['relevant'] for r in xs)} relevant, "
            f"{sum(r['language'] == 'it' for r in xs)} Italian"
        )
    kinds = Counter((r["kind"], r["relevant"]) for _, r in rows)
    by_split = {sp: Counter((r["kind"], r["relevant"]) for s, r in rows if s == sp) for sp in ("dev", "test")}
    print("kind (relevant?)                 dev  test  all")
    for k in sorted(kinds):
        print(f"  {k[0]:<20} {k[1]!s:<6}  {by_split['dev'][k]:>4}  {by_split['test'][k]:>4}  {kinds[k]:>4}")
    topics = Counter(t for _, r in rows for t in r["topics"])
    tsplit = {sp: Counter(t for s, r in rows if s == sp for t in r["topics"]) for sp in ("dev", "test")}
    print("topic                      dev  test  all")
    for t in TOPICS:
        print(f"  {t:<24} {tsplit['dev'][t]:>4}  {tsplit['test'][t]:>4}  {topics[t]:>4}")
    langs = Counter((r["language"], r["relevant"]) for _, r in rows)
    print("language:", dict(langs))
    assert total >= 320
    assert 0.35 <= rel / total <= 0.45
    assert (total - rel) / total >= 0.60
    assert all(topics[t] >= 4 for t in TOPICS)
    neg = Counter(r["kind"] for _, r in rows if not r["relevant"])
    assert all(neg[k] >= 8 for k in NEG_KINDS), neg
    assert sum(r["language"] == "it" for _, r in rows) >= 45
    print("all checks passed")


if __name__ == "__main__":
    build()
    check()
