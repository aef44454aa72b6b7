"""Unit tests for the India–Italy defence tagger: taxonomy loading, term matching and classification.

Every story below is invented for these tests, written in the style of IANS/PIB/ANSA wire copy and of
Italian defence ministry news.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newswatch.config import CONFIG_DIR, ConfigError
from newswatch.language import detect_language
from newswatch.records import Verdict
from newswatch.tagging import Lexicon, classify, load_lexicon
from newswatch.tagging.matcher import TermMatcher

TAXONOMY = CONFIG_DIR / "taxonomy.yaml"
RESOURCES = Path(__file__).resolve().parent / "resources"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    """The bundled taxonomy, loaded once for the module."""
    return load_lexicon(TAXONOMY)


def evidence_sentences(verdict: Verdict) -> list[str]:
    return [e.sentence for e in verdict.evidence]


def assert_relevant(verdict: Verdict, deciding: str, topic: str) -> None:
    """A relevant verdict with a passing score, the deciding sentence as evidence and the topic tag."""
    assert verdict.relevant, verdict
    assert verdict.score >= 0.5, verdict.score
    assert any(deciding in sentence for sentence in evidence_sentences(verdict)), evidence_sentences(verdict)
    assert topic in verdict.tags, verdict.tags
    assert {"India", "Italy"} <= set(verdict.countries)


def assert_not_relevant(verdict: Verdict) -> None:
    """An irrelevant verdict: score below the threshold, no topic tags."""
    assert not verdict.relevant, verdict
    assert verdict.score < 0.5, verdict.score
    assert verdict.tags == ()


# --- relevant stories -------------------------------------------------------------------------------------


def test_bilateral_defence_meeting_in_rome(lexicon: Lexicon) -> None:
    """A bilateral defence committee meeting in Rome is relevant and tagged as diplomacy."""
    deciding = (
        "India and Italy on Tuesday reviewed their defence cooperation at the fourth meeting of the "
        "Joint Defence Committee in Rome."
    )
    text = (
        f"Rome, March 3 (IANS) {deciding} "
        "The Indian side was led by a Joint Secretary of the Ministry of Defence. "
        "Both sides discussed training exchanges and the next round of staff talks. "
        "The next meeting will be held in New Delhi later this year, an official statement said."
    )
    verdict = classify("India, Italy review defence ties at Rome meeting", text, lexicon)
    assert_relevant(verdict, deciding, "diplomacy")
    assert verdict.language == "en"


def test_sidm_aiad_industry_seminar_with_mous(lexicon: Lexicon) -> None:
    """An industry seminar with MoUs is industrial cooperation and names SIDM and AIAD as entities."""
    deciding = (
        "Indian and Italian defence companies signed six MoUs at an industry seminar in Rome co-hosted by "
        "the Society of Indian Defence Manufacturers (SIDM) and AIAD."
    )
    text = (
        f"Rome, Feb 26 (IANS) {deciding} "
        "The agreements cover co-production of naval subsystems, electro-optics and unmanned systems, "
        "officials said. "
        "More than 60 firms took part in the business-to-business sessions on the sidelines of the event."
    )
    verdict = classify("Indian, Italian defence firms sign six MoUs at Rome seminar", text, lexicon)
    assert_relevant(verdict, deciding, "industrial-cooperation")
    assert {"SIDM", "AIAD"} <= set(verdict.entities)


def test_italian_navy_port_call_and_passex_in_mumbai(lexicon: Lexicon) -> None:
    """An Italian Navy port call ending in a PASSEX is tagged naval and joint-exercise."""
    deciding = (
        "On departure, the Italian Navy ship carried out a Passage Exercise (PASSEX) with an Indian Navy "
        "frigate off the Mumbai coast."
    )
    text = (
        "The Italian Navy offshore patrol vessel ITS Leone Ardito arrived in Mumbai on Monday on a "
        "four-day port call. "
        "The crew held professional interactions with officers of the Western Naval Command and visited "
        "training establishments. "
        f"{deciding} "
        "The exercise enhanced interoperability between the two navies, the Ministry said."
    )
    verdict = classify("Italian Navy ship calls at Mumbai, holds PASSEX with Indian Navy", text, lexicon)
    assert_relevant(verdict, deciding, "joint-exercise")
    assert "naval" in verdict.tags
    assert {"Marina Militare", "Indian Navy"} <= set(verdict.entities)


def test_leonardo_contract_with_indian_firm(lexicon: Lexicon) -> None:
    """A Leonardo contract with BEL is procurement; the bare name 'Leonardo' counts beside 'radars'."""
    deciding = (
        "Italian aerospace group Leonardo has signed a contract with Bharat Electronics (BEL) for the "
        "co-production of naval radars in India, the company said on Tuesday."
    )
    text = (
        f"(ANSA) - ROME, MAR 10 - {deciding} "
        "Under the deal, the radars will be assembled in Bengaluru for new frigates. "
        "The contract is worth about 120 million euros, sources said."
    )
    verdict = classify("Leonardo, BEL sign naval radar contract", text, lexicon)
    assert_relevant(verdict, deciding, "procurement")
    assert {"Leonardo", "BEL"} <= set(verdict.entities)


def test_fincantieri_contract_with_indian_shipyard(lexicon: Lexicon) -> None:
    """A Fincantieri design contract with an Indian shipyard is relevant, procurement and naval."""
    deciding = (
        "Fincantieri has won a contract to provide design support to Cochin Shipyard for a new class of "
        "fleet support ships for the Indian Navy."
    )
    text = (
        f"Trieste, March 11 (IANS) {deciding} "
        "The value of the order was not disclosed. "
        "Company executives said the first ship is due to be delivered in 2029."
    )
    verdict = classify("Fincantieri bags design contract from Cochin Shipyard", text, lexicon)
    assert_relevant(verdict, deciding, "procurement")
    assert {"Fincantieri", "Cochin Shipyard"} <= set(verdict.entities)


def test_technology_transfer_sonar(lexicon: Lexicon) -> None:
    """A transfer of sonar technology from an Italian defence firm is tagged technology-transfer."""
    deciding = (
        "An Italian defence firm will transfer sonar technology to an Indian shipbuilder under a technology "
        "transfer agreement signed here on Wednesday."
    )
    text = (
        f"New Delhi, March 12 (IANS) {deciding} "
        "The agreement provides for licensed production of hull-mounted sonars in Visakhapatnam. "
        "Deliveries are expected to begin within three years, officials said."
    )
    verdict = classify("Italian firm to transfer sonar technology to Indian shipbuilder", text, lexicon)
    assert_relevant(verdict, deciding, "technology-transfer")


def test_arbitration_case_between_indian_mod_and_italian_firm(lexicon: Lexicon) -> None:
    """A court upholding an arbitral award for an Italian defence firm against India's MoD is legal news."""
    deciding = (
        "The Delhi High Court on Monday upheld an arbitral award in favour of an Italian defence firm in its "
        "dispute with the Indian defence ministry over a cancelled torpedo contract."
    )
    text = (
        f"New Delhi, March 2 (IANS) {deciding} "
        "The ministry had argued that the arbitral tribunal exceeded its mandate. "
        "Justice R. Menon dismissed the petition and directed the ministry to pay the amount within "
        "eight weeks."
    )
    verdict = classify("Delhi HC upholds arbitral award for Italian defence firm against MoD", text, lexicon)
    assert_relevant(verdict, deciding, "legal")


def test_italian_language_bilateral_meeting(lexicon: Lexicon) -> None:
    """An Italian defence ministry news item is detected as Italian and judged relevant."""
    deciding = (
        "Al centro dell'incontro la cooperazione industriale tra Italia e India nel settore della difesa, "
        "con particolare attenzione alla filiera navale e aerospaziale."
    )
    text = (
        "ROMA, 4 MAR - Il Sottosegretario alla Difesa ha ricevuto oggi a Palazzo Baracchini una delegazione "
        "del Ministero della Difesa indiano, guidata dal Segretario per la Produzione della Difesa. "
        f"{deciding} "
        "Le due delegazioni hanno concordato di rafforzare il dialogo tra le industrie dei due Paesi e di "
        "organizzare un nuovo seminario a Nuova Delhi entro la fine dell'anno."
    )
    title = "Difesa: incontro Italia-India a Roma sulla cooperazione industriale"
    verdict = classify(title, text, lexicon)
    assert verdict.language == "it"
    assert_relevant(verdict, deciding, "industrial-cooperation")


def long_story() -> tuple[str, str]:
    """The five-paragraph port story and its last paragraph (the only India–Italy defence one)."""
    text = (RESOURCES / "long_story_fifth_paragraph.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    assert len(paragraphs) == 5
    return text, paragraphs[4]


def test_deciding_sentence_only_in_fifth_paragraph(lexicon: Lexicon) -> None:
    """A long port story is relevant because of its last paragraph, a single India–Italy defence sentence."""
    text, deciding = long_story()
    verdict = classify("Mumbai port posts record cargo throughput", text, lexicon)
    assert_relevant(verdict, deciding, "joint-exercise")


def test_buried_paragraph_counts_as_much_as_a_lead(lexicon: Lexicon) -> None:
    """Position does not matter: the same fifth paragraph (with a follow-up sentence) decides the story
    with the same evidence as when it stands alone. (Its score is lower, not equal: the share of
    sentences about defence is one of the model's features, and four port paragraphs dilute it.)"""
    text, deciding = long_story()
    follow_up = " The frigate will also host Indian naval cadets for a day at sea."
    buried = classify("Mumbai port posts record cargo throughput", text.rstrip() + follow_up, lexicon)
    alone = classify("Mumbai port posts record cargo throughput", deciding + follow_up, lexicon)
    assert_relevant(buried, deciding, "joint-exercise")
    assert alone.score > buried.score >= 0.5
    assert buried.evidence == alone.evidence


# --- hard negatives ---------------------------------------------------------------------------------------


def test_negative_trade_business_forum(lexicon: Lexicon) -> None:
    """An India–Italy business forum with company MoUs is not a defence story."""
    text = (
        "Milan, Feb 27 (IANS) More than 300 companies from India and Italy met at a business forum in Milan "
        "on Friday and set a target of 20 billion euros in bilateral trade by 2029. "
        "Italian firms signed 14 MoUs with Indian partners in machinery, food processing and renewable "
        "energy. "
        "Commerce officials of both countries said a joint working group on logistics would meet in "
        "Mumbai in October."
    )
    verdict = classify("India-Italy business forum in Milan eyes 20 bn euro trade target", text, lexicon)
    assert_not_relevant(verdict)


def test_negative_tourism(lexicon: Lexicon) -> None:
    """Italian tourist arrivals in India are not a defence story."""
    text = (
        "Jaipur, March 1 (IANS) Arrivals of Italian tourists in India rose by 18 per cent last year, with "
        "Rajasthan and Kerala the most popular destinations. "
        "Tour operators said direct flights from Rome and Milan to New Delhi had helped. "
        "The state tourism department plans a roadshow in Italy in September to promote heritage hotels."
    )
    verdict = classify("Italian tourist arrivals in India up 18 per cent", text, lexicon)
    assert_not_relevant(verdict)


def test_negative_culture_film_festival(lexicon: Lexicon) -> None:
    """An Italian film festival in Delhi is culture, even when a film is about wartime."""
    text = (
        "New Delhi, Feb 26 (IANS) A week-long festival of Italian cinema opened in the national capital on "
        "Thursday with restored prints of neorealist classics. "
        "The Italian Embassy and the India International Centre are hosting ten screenings, including a "
        "1960s drama about a family in wartime Naples. "
        "Entry to all screenings is free."
    )
    verdict = classify("Italian film festival opens in Delhi with neorealist classics", text, lexicon)
    assert_not_relevant(verdict)


def test_negative_sport_solid_defence_in_hockey(lexicon: Lexicon) -> None:
    """'A solid defence' in an India vs Italy hockey match is sport, not defence."""
    text = (
        "Bhubaneswar, Feb 26 (IANS) A solid defence helped the Indian men's hockey team beat Italy 2-1 in "
        "the first of two friendlies on Thursday. "
        "India took the lead through a penalty corner in the 12th minute before Italy equalised just after "
        "half-time. "
        "The two sides meet again in the second friendly on Saturday."
    )
    verdict = classify("Hockey: Solid defence helps India edge past Italy 2-1", text, lexicon)
    assert_not_relevant(verdict)


def test_sport_context_voids_bare_defence_in_the_same_sentence(lexicon: Lexicon) -> None:
    """The bare word 'defence' next to a sport word in the same sentence is not a defence term."""
    text = (
        "Bhubaneswar, Feb 28 (IANS) India's defence held firm in the final quarter of the hockey match as "
        "Italy pressed for an equaliser. "
        "Goalkeeper Suraj Karkera made three saves in the last five minutes."
    )
    verdict = classify("India hold on against Italy", text, lexicon)
    assert_not_relevant(verdict)
    assert "defence" not in {term for e in verdict.evidence for term in e.terms}


def test_negative_sport_bare_defence_in_match_report(lexicon: Lexicon) -> None:
    """In a hockey report, 'India's defence held firm' is sport even when that sentence names no sport."""
    text = (
        "Bhubaneswar, Feb 28 (IANS) India beat Italy 2-1 in the second hockey friendly at the Kalinga "
        "Stadium on Saturday. "
        "India's defence held firm in the final quarter as Italy pressed for an equaliser. "
        "Goalkeeper Suraj Karkera made three saves in the last five minutes."
    )
    verdict = classify("Hockey: India hold on to beat Italy 2-1", text, lexicon)
    assert_not_relevant(verdict)


def test_negative_leonardo_da_vinci_exhibition(lexicon: Lexicon) -> None:
    """An exhibition of Leonardo da Vinci's machines is art, even with a flying machine and India."""
    text = (
        "Mumbai, March 4 (IANS) An exhibition of models based on Leonardo da Vinci's notebooks opened at a "
        "city museum on Wednesday. "
        "The show, curated with a museum in Florence, features wooden reconstructions of his bridges, "
        "pulleys and flying machines. "
        "Organisers expect more than 50,000 Indian visitors before it travels to Bengaluru in June."
    )
    verdict = classify("Leonardo da Vinci's machines go on show in Mumbai", text, lexicon)
    assert_not_relevant(verdict)
    assert "Leonardo" not in verdict.entities


def test_negative_little_italy(lexicon: Lexicon) -> None:
    """A 'Little Italy' restaurant next to an army cantonment is not an India–Italy defence story."""
    text = (
        "Pune, March 6 (IANS) Little Italy, the vegetarian restaurant chain, opened its 30th Indian outlet "
        "on Friday near the army cantonment in Pune. "
        "The chain said it plans to double the number of its outlets in the next three years."
    )
    verdict = classify("Little Italy opens 30th outlet in Pune", text, lexicon)
    assert_not_relevant(verdict)


def test_negative_courtroom_defence_counsel(lexicon: Lexicon) -> None:
    """A defence counsel for an Italian accused in an Indian court is not defence news."""
    text = (
        "Panaji, Feb 27 (IANS) A court in Goa on Friday adjourned the hearing on the bail plea of a "
        "34-year-old Italian national arrested last month in a drugs case. "
        "The defence counsel sought more time to file documents, and the Indian prosecution did not "
        "object. "
        "The magistrate posted the matter for further hearing on March 6."
    )
    verdict = classify("Goa court adjourns bail hearing of Italian national", text, lexicon)
    assert_not_relevant(verdict)


def test_negative_india_france_defence(lexicon: Lexicon) -> None:
    """An India–France defence agreement that mentions Italy in passing is not ours."""
    text = (
        "New Delhi, Feb 26 (IANS) India and France on Thursday signed a follow-on support agreement for the "
        "Indian Air Force's fleet of Rafale fighter jets. "
        "The agreement was signed by officials of the defence ministry and the French armaments agency. "
        "France is now India's second largest arms supplier, ahead of Italy, Israel and the United States."
    )
    verdict = classify("India, France sign support agreement for IAF Rafale fleet", text, lexicon)
    assert_not_relevant(verdict)


def test_negative_italy_us_defence(lexicon: Lexicon) -> None:
    """Italy–US air defence talks are not an India–Italy story."""
    text = (
        "(ANSA) - WASHINGTON, FEB 25 - Italian Defence Minister Guido Crosetto and US officials discussed "
        "air defence and a maintenance hub for F-35 fighter jets on Wednesday. "
        "The two sides also talked about the Indo-Pacific and the security of the Red Sea. "
        "Crosetto said Italy would raise its defence spending further next year."
    )
    verdict = classify("Italy, US discuss air defence and F-35 maintenance hub", text, lexicon)
    assert_not_relevant(verdict)


def test_negative_multilateral_list_of_countries(lexicon: Lexicon) -> None:
    """India and Italy in a list of many countries at a conclave are not a bilateral defence story."""
    text = (
        "New Delhi, March 5 (IANS) Defence ministers and officials from 35 countries, including Italy, "
        "France, Japan, Australia, Brazil, Egypt and Indonesia, attended a policy conclave hosted by India "
        "on Thursday. "
        "Sessions covered maritime security, supply chains and emerging technologies."
    )
    verdict = classify("Ministers from 35 countries attend Delhi policy conclave", text, lexicon)
    assert_not_relevant(verdict)


def test_negative_india_only_drdo_missile_test(lexicon: Lexicon) -> None:
    """A DRDO missile test is Indian defence news with no Italian side."""
    text = (
        "Balasore, March 7 (PIB) The Defence Research and Development Organisation (DRDO) successfully "
        "flight-tested a new short-range surface-to-air missile off the Odisha coast on Saturday. "
        "The missile intercepted a high-speed aerial target at low altitude. "
        "Defence Minister Rajnath Singh congratulated DRDO and the Indian Army on the success."
    )
    verdict = classify("DRDO flight-tests new short-range surface-to-air missile", text, lexicon)
    assert_not_relevant(verdict)
    assert "Italy" not in verdict.countries
    assert {"DRDO", "Rajnath Singh"} <= set(verdict.entities)


def test_negative_misleading_headline_trade_body(lexicon: Lexicon) -> None:
    """A defence-sounding headline over a trade-body story is not enough."""
    text = (
        "Mumbai, March 3 (IANS) The Indo-Italian Chamber of Commerce on Tuesday launched a help desk for "
        "small exporters facing new tariffs in European markets. "
        "The chamber said it would also organise trade fairs for textiles, leather and processed food."
    )
    verdict = classify("India, Italy chamber mounts a defence of small exporters", text, lexicon)
    assert_not_relevant(verdict)


# --- language, entities, acronyms --------------------------------------------------------------------------


def test_detect_language_italian_and_english() -> None:
    """Italian prose is detected as 'it', English as 'en', too little text falls back to the default."""
    italian = "Il ministro della Difesa ha incontrato la delegazione indiana per parlare della cooperazione."
    english = "The minister of defence met the Indian delegation to talk about the cooperation in the sector."
    assert detect_language(italian) == "it"
    assert detect_language(english) == "en"
    assert detect_language("Roma", default="it") == "it"


def test_lowercase_us_is_not_the_united_states(lexicon: Lexicon) -> None:
    """Capitalised acronyms match only in capitals: 'us' is a pronoun, 'US' is the United States."""
    matcher = TermMatcher(lexicon.for_language("en"))
    assert list(matcher.find("Officials told us about the plan.")) == []
    found = list(matcher.find("Officials of the US were present."))
    assert [m.term for m in found] == ["US"]
    assert "third:United States" in found[0].labels

    title = "Indian, Italian navies to hold joint exercise in May"
    sentence = "Indian and Italian naval officers told {} that the joint exercise will go ahead in May."
    lower = classify(title, sentence.format("us"), lexicon)
    upper = classify(title, sentence.format("US"), lexicon)
    assert lower.relevant
    assert "United States" not in lower.countries
    assert "United States" in upper.countries
    assert upper.score < lower.score


# --- taxonomy loading ---------------------------------------------------------------------------------------


def copy_taxonomy(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the bundled taxonomy with one exact edit."""
    text = TAXONOMY.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"edit target {old!r} must occur once"
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_number(path: Path, needle: str) -> int:
    """The 1-based line of ``path`` that contains ``needle`` (which must occur on one line only)."""
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(lines) == 1, lines
    return lines[0]


def test_bad_organisation_country_names_file_and_line(tmp_path: Path) -> None:
    """An organisation with an unknown country fails with the file and the entry's line."""
    path = copy_taxonomy(tmp_path, "{name: Fincantieri, country: italy", "{name: Fincantieri, country: germany")
    with pytest.raises(ConfigError) as caught:
        load_lexicon(path)
    message = str(caught.value)
    expected_line = line_number(path, "{name: Fincantieri, country: germany")
    assert f"{path}:{expected_line}:" in message
    assert "Fincantieri" in message and "'germany'" in message


def test_bad_organisation_country_line_points_at_the_entry_not_a_comment(tmp_path: Path) -> None:
    """The reported line is the broken entry even when its name also appears in an earlier comment."""
    path = copy_taxonomy(tmp_path, "{name: HAL, country: india", "{name: HAL, country: indiaa")
    with pytest.raises(ConfigError) as caught:
        load_lexicon(path)
    expected_line = line_number(path, "{name: HAL, country: indiaa")
    assert f"{path}:{expected_line}:" in str(caught.value)


def test_invalid_yaml_names_file_and_line(tmp_path: Path) -> None:
    """A YAML syntax error is a ConfigError naming the file and the line of the problem."""
    path = tmp_path / "taxonomy.yaml"
    path.write_text(
        "version: 1\ncountries:\n  india: [India, Indian\n  italy: [Italy]\ndefence: [army]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_lexicon(path)
    match = re.search(rf"{re.escape(str(path))}:(\d+): invalid YAML", str(caught.value))
    assert match, str(caught.value)
    assert 3 <= int(match.group(1)) <= 5


def test_missing_section_is_reported(tmp_path: Path) -> None:
    """A taxonomy without a 'defence' section is refused with the section named."""
    path = tmp_path / "taxonomy.yaml"
    path.write_text("countries: {india: [India], italy: [Italy]}\ntopics: {naval: [navy]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="missing section 'defence'"):
        load_lexicon(path)


def test_taxonomy_edit_changes_verdict_without_code_change(tmp_path: Path, lexicon: Lexicon) -> None:
    """Adding a defence term to a copy of the taxonomy turns an unmatched story into a relevant one."""
    title = "Indian, Italian special forces complete joint training in the Alps"
    deciding = "Special forces of India and Italy completed a two-week mountain training stint in the Alps."
    text = f"{deciding} The next stint will take place in Himachal Pradesh in winter."
    before = classify(title, text, lexicon)
    assert not before.relevant

    edited = load_lexicon(copy_taxonomy(tmp_path, "en: [defence ministry,", "en: [special forces, defence ministry,"))
    after = classify(title, text, edited)
    assert after.relevant
    assert after.score >= 0.5 > before.score
    assert deciding in evidence_sentences(after)
    assert any("special forces" in e.terms or "Special forces" in e.terms for e in after.evidence)


def test_bundled_taxonomy_loads_with_its_thresholds(lexicon: Lexicon) -> None:
    """The bundled taxonomy loads: thresholds, topic order and person roles come from the file."""
    assert lexicon.relevant_threshold == 0.5
    assert lexicon.multilateral_countries == 4
    assert lexicon.topics[0] == "industrial-cooperation"
    assert "legal" in lexicon.topics
    assert lexicon.roles["Guido Crosetto"] == "Minister of Defence of Italy"
    assert "exclude" in lexicon.for_language("en")["Leonardo da Vinci"]
    assert "country:italy" in lexicon.for_language("it")["Italia"]
