"""Event grouping (newswatch.events): golden merges across outlets and languages, look-alike events kept
apart, and event ids that stay put under re-runs and out-of-order arrival. All reports are made up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newswatch.config import CONFIG_DIR, ConfigError
from newswatch.events import (
    EventProfile,
    Profiler,
    Report,
    conflicting,
    event_id_for,
    load_event_names,
    profiler_for,
    proper_names,
    spread_for,
)
from newswatch.tagging import load_lexicon

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

SAFFI_EN = (
    "Italian Navy ship ITS Aurelio Saffi arrives in Mumbai",
    "MUMBAI: The Italian Navy offshore patrol vessel ITS Aurelio Saffi arrived in Mumbai on Tuesday for a "
    "four-day port call, the Western Naval Command said. Commander Lorenzo Bacigalupo called on the Flag "
    "Officer Commanding-in-Chief. The crew will hold professional exchanges with the Indian Navy and the "
    "ship will conduct a PASSEX with INS Tabar in the Arabian Sea on departure.",
    "en",
)
SAFFI_IT = (
    "Marina Militare: nave Saffi a Mumbai",
    "Nave Aurelio Saffi della Marina Militare è giunta a Mumbai, in India, per una sosta di quattro giorni. "
    "Il comandante Lorenzo Bacigalupo ha incontrato il comandante del Western Naval Command della Marina "
    "indiana. Al termine della sosta è prevista un'esercitazione PASSEX con la fregata indiana INS Tabar "
    "nel mar Arabico.",
    "it",
)
MORGAN_PORT_CALL = (
    "Italian patrol vessel ITS Francesco Morosini docks at Mumbai",
    "MUMBAI: The Italian Navy patrol vessel ITS Francesco Morosini docked at Mumbai on Thursday for a port "
    "call, the Western Naval Command said. Commander Paolo Vitelli called on senior Indian Navy officers "
    "and the crew will meet Indian sailors during the three-day stay.",
    "en",
)
MEETING_ROME = (
    "India, Italy defence ministers meet in Rome, agree on industrial roadmap",
    "ROME: Defence Minister Rajnath Singh met his Italian counterpart Guido Crosetto in Rome on Monday and "
    "the two sides agreed to prepare a defence industrial roadmap, the Ministry of Defence said. Singh "
    "invited Italian firms to co-produce in India. The ministers also reviewed the Joint Strategic Action "
    "Plan and the work of the Joint Defence Committee chaired by Giacomo Ardenti.",
    "en",
)
MEETING_ROME_IT = (
    "Difesa, incontro Italia-India a Roma: Crosetto riceve Singh",
    "Il ministro della Difesa Guido Crosetto ha ricevuto a Roma l'omologo indiano Rajnath Singh. I due "
    "ministri hanno concordato di preparare una roadmap industriale della difesa e hanno fatto il punto sul "
    "Joint Defence Committee presieduto da Giacomo Ardenti.",
    "it",
)
MEETING_DELHI = (
    "India, Italy defence ministers hold talks in New Delhi",
    "NEW DELHI: Defence Minister Rajnath Singh held talks with Italy's defence minister Guido Crosetto in "
    "New Delhi on Thursday, the Ministry of Defence said. The two sides reviewed maritime cooperation and "
    "training exchanges and agreed to hold the next Joint Defence Committee in Bengaluru.",
    "en",
)
ITALY_JAPAN = (
    "Difesa: incontro Italia-Giappone a Roma, avanti sul programma GCAP",
    "Il ministro della Difesa Guido Crosetto ha incontrato a Roma l'omologo giapponese. I due ministri hanno "
    "fatto il punto sul programma GCAP e sulla cooperazione industriale.",
    "it",
)


@pytest.fixture(scope="module")
def profiler() -> Profiler:
    taxonomy = CONFIG_DIR / "taxonomy.yaml"
    return profiler_for(load_lexicon(taxonomy), taxonomy)


def report(profiler: Profiler, story: str, item: tuple[str, str, str], at: datetime) -> Report:
    title, text, language = item
    return Report(story, at, timedelta(0), profiler.profile(title, text, language))


def place(profiler: Profiler, arrivals: list[tuple[str, tuple[str, str, str], datetime]]) -> dict[str, str]:
    index = profiler.new_index()
    return {story: index.assign(report(profiler, story, item, at)) for story, item, at in arrivals}


def test_profile_names_match_across_languages(profiler: Profiler) -> None:
    english = profiler.profile(*SAFFI_EN)
    italian = profiler.profile(*SAFFI_IT)
    shared = english.keys & italian.keys
    assert {"ship:saffi", "place:Mumbai", "org:Marina Militare", "name:bacigalupo"} <= shared
    assert english.ships == italian.ships == frozenset({"ship:saffi", "ship:tabar"})
    # each language's own lead words are kept apart: they are compared only within one language
    assert not {k for k in shared if k.startswith("word:")}


def test_proper_names_skip_sentence_openings_and_common_words() -> None:
    found = proper_names(
        "Officials said. Joint Action Plan talks with Vitelli and Bacigalupo cost Rs 3,600 crore in 2025."
    )
    assert {"name:vitelli", "name:bacigalupo", "num:3600"} <= found
    assert "name:officials" not in found  # a sentence's first word, lower-case elsewhere in news
    assert not {"name:joint", "name:action", "name:plan"} & found  # furniture of a title-case phrase
    assert "num:2025" not in found  # years say little about which happening


def test_port_call_reported_in_english_and_italian_is_one_event(profiler: Profiler) -> None:
    events = place(profiler, [("s-pib", SAFFI_EN, T0), ("s-difesa", SAFFI_IT, T0 + timedelta(hours=7))])
    assert events["s-pib"] == events["s-difesa"] == event_id_for("s-pib")


def test_meeting_reported_in_both_languages_is_one_event(profiler: Profiler) -> None:
    events = place(profiler, [("s-en", MEETING_ROME, T0), ("s-it", MEETING_ROME_IT, T0 + timedelta(hours=20))])
    assert events["s-en"] == events["s-it"]


def test_same_ministers_meeting_again_days_later_elsewhere_is_another_event(profiler: Profiler) -> None:
    events = place(profiler, [("s-rome", MEETING_ROME, T0), ("s-delhi", MEETING_DELHI, T0 + timedelta(days=2))])
    assert events["s-rome"] != events["s-delhi"]


def test_two_ships_calling_at_one_port_in_one_week_are_two_events(profiler: Profiler) -> None:
    events = place(profiler, [("s-saffi", SAFFI_EN, T0), ("s-morosini", MORGAN_PORT_CALL, T0 + timedelta(days=1))])
    assert events["s-saffi"] != events["s-morosini"]


def test_a_meeting_with_another_country_is_another_event(profiler: Profiler) -> None:
    events = place(profiler, [("s-india", MEETING_ROME_IT, T0), ("s-japan", ITALY_JAPAN, T0 + timedelta(hours=3))])
    assert events["s-india"] != events["s-japan"]


def test_reports_beyond_the_window_are_another_event(profiler: Profiler) -> None:
    events = place(profiler, [("s-1", SAFFI_EN, T0), ("s-2", SAFFI_IT, T0 + timedelta(days=9))])
    assert events["s-1"] != events["s-2"]


def test_a_date_known_only_to_the_day_widens_the_window(profiler: Profiler) -> None:
    index = profiler.new_index()
    first = index.assign(report(profiler, "s-1", SAFFI_EN, T0))
    late = report(profiler, "s-2", SAFFI_IT, T0 + timedelta(hours=90))
    assert index.best_match(late) is None  # 90 h apart, both times exact: beyond 72 h
    widened = Report("s-2", late.at, spread_for("dateline"), late.profile)
    assert index.assign(widened) == first


def test_port_call_and_later_exercise_of_one_ship_conflict(profiler: Profiler) -> None:
    arrival = profiler.profile(
        "ITS Aurelio Saffi arrives in Mumbai for port call",
        "The Italian Navy ship ITS Aurelio Saffi arrived in Mumbai on a port call.",
        "en",
    )
    exercise = profiler.profile(
        "ITS Aurelio Saffi holds exercise with Indian Navy off Goa",
        "The Italian Navy ship ITS Aurelio Saffi held a naval exercise with INS Tabar off Goa.",
        "en",
    )
    assert arrival.kinds == {"port-call"} and exercise.kinds == {"exercise"}
    assert conflicting(arrival, exercise, profiler.names.never_together)


def test_event_ids_stable_under_reruns_and_unrelated_arrivals(profiler: Profiler) -> None:
    index = profiler.new_index()
    saffi = index.assign(report(profiler, "s-pib", SAFFI_EN, T0))
    meeting = index.assign(report(profiler, "s-rome", MEETING_ROME, T0 + timedelta(hours=1)))
    # re-placing a story already held gives its event again and changes nothing
    assert index.assign(report(profiler, "s-pib", SAFFI_EN, T0)) == saffi
    assert len(index) == 2
    # unrelated reports arriving later do not move the events already made
    index.assign(report(profiler, "s-japan", ITALY_JAPAN, T0 + timedelta(hours=2)))
    index.assign(report(profiler, "s-delhi", MEETING_DELHI, T0 + timedelta(days=2)))
    assert index.event_of("s-pib") == saffi and index.event_of("s-rome") == meeting
    assert index.assign(report(profiler, "s-difesa", SAFFI_IT, T0 + timedelta(hours=5))) == saffi


def test_out_of_order_arrival_gives_the_same_grouping(profiler: Profiler) -> None:
    arrivals = [
        ("s-pib", SAFFI_EN, T0),
        ("s-rome", MEETING_ROME, T0 + timedelta(hours=1)),
        ("s-difesa", SAFFI_IT, T0 + timedelta(hours=5)),
        ("s-rome-it", MEETING_ROME_IT, T0 + timedelta(hours=9)),
        ("s-delhi", MEETING_DELHI, T0 + timedelta(days=2)),
    ]
    forward = place(profiler, arrivals)
    backward = place(profiler, list(reversed(arrivals)))

    def partition(events: dict[str, str]) -> set[frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for story, event in events.items():
            groups.setdefault(event, set()).add(story)
        return {frozenset(g) for g in groups.values()}

    assert partition(forward) == partition(backward)
    assert {frozenset({"s-pib", "s-difesa"}), frozenset({"s-rome", "s-rome-it"})} <= partition(forward)


def test_profile_round_trips_through_json(profiler: Profiler) -> None:
    profile = profiler.profile(*SAFFI_IT)
    assert EventProfile.from_json(profile.to_json()) == profile


def test_event_names_errors_name_the_file_and_entry(tmp_path: Path) -> None:
    path = tmp_path / "event_names.yaml"
    path.write_text("ships:\n  - {name: ITS Example, aliases: not-a-list}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"event_names.yaml: ships\[0\] \(ITS Example\)"):
        load_event_names(path)
    path.write_text("vessels: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown section"):
        load_event_names(path)


BAIL_RESERVED = (
    "AgustaWestland case: Delhi court reserves order on Michel's bail plea",
    "NEW DELHI: A special court on Wednesday reserved its order on the bail plea of Christian Michel, the "
    "alleged middleman in the AgustaWestland VVIP helicopter case, after hearing the CBI and the defence. "
    "Special Judge Arvind Malhotra said the order would be pronounced on Friday.",
    "en",
)
BAIL_REJECTED = (
    "Delhi court rejects Christian Michel's bail plea in AgustaWestland case",
    "NEW DELHI: A special court on Friday rejected the bail plea of Christian Michel, the alleged middleman "
    "in the AgustaWestland VVIP helicopter case. Special Judge Arvind Malhotra said the CBI's probe into "
    "the Rs 3,600 crore deal was at a crucial stage.",
    "en",
)
BAIL_REJECTED_IT = (
    "AgustaWestland, il tribunale di Nuova Delhi respinge la richiesta di cauzione di Michel",
    "Il tribunale speciale di Nuova Delhi ha respinto la richiesta di libertà su cauzione di Christian "
    "Michel, il presunto intermediario nel caso degli elicotteri AgustaWestland. Il giudice Arvind Malhotra "
    "ha ricordato che l'indagine della CBI sul contratto da 3.600 crore è in una fase cruciale.",
    "it",
)


def test_successive_hearings_of_one_case_are_separate_events(profiler: Profiler) -> None:
    events = place(
        profiler,
        [
            ("s-reserved", BAIL_RESERVED, T0),
            ("s-rejected", BAIL_REJECTED, T0 + timedelta(days=2)),
            ("s-rejected-it", BAIL_REJECTED_IT, T0 + timedelta(days=2, hours=6)),
        ],
    )
    assert events["s-reserved"] != events["s-rejected"]
    assert events["s-rejected"] == events["s-rejected-it"]  # one decision, told in two languages


def test_never_together_groups_expand_to_pairs(tmp_path: Path) -> None:
    path = tmp_path / "event_names.yaml"
    path.write_text(
        "kinds:\n  a: {en: [alpha]}\n  b: {en: [beta]}\n  c: {en: [gamma]}\nnever_together:\n  - [a, b, c]\n",
        encoding="utf-8",
    )
    names = load_event_names(path)
    assert names.never_together == {frozenset(p) for p in (("a", "b"), ("a", "c"), ("b", "c"))}
    path.write_text("kinds:\n  a: {en: [alpha]}\nnever_together:\n  - [a, z]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"never_together\[0\]"):
        load_event_names(path)
