"""`make bench-events`: event grouping against copy clusters alone → var/bench/events.json.

Three measures, each ours (stories grouped into events, :mod:`newswatch.events`) beside the baseline
(copy clusters only, :mod:`newswatch.dedup`: what the digest listed before events):

- ``realnews``: the relevant reports of ``../shared/realnews-dev/items.jsonl`` (read here at run time,
  never copied), their ``event`` slugs the truth. Their ``date`` is the publication time; ``date_from``
  says how it is known, and that is the report's time uncertainty, as the pipeline's ``published_from``
  is: a date from the page address is known to the day, an ``event-month`` date (the 15th of the
  event's month) to about 15 days either side, a ``year`` (1 July) to about half a year. Reports arrive
  in date order and are placed one by one, as the process step does.
- ``generated``: a made-up set (benchmarks/event_corpus.py) with look-alike different events on nearby
  days, reports in both languages and many outlets per event.
- ``ms_per_report``: the time to place one report into an index already holding 10,000 and 50,000
  reports of a week (made-up reports of many events), each a median over a batch of new reports.

Pairwise figures: precision = of the report pairs put in one event, the share that truly are one;
recall = of the pairs that truly are one, the share put together; ``cross_language_recall`` the same
over true pairs whose reports are in different languages.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, machine, print_table, write_result
from newswatch.config import CONFIG_DIR
from newswatch.dedup import StoryIndex, cluster_id_for
from newswatch.events import SAME_EVENT_SIMILARITY, Profiler, Report, profiler_for
from newswatch.process import CLUSTER_LOOKBACK
from newswatch.tagging import load_lexicon

REALNEWS = ROOT.parent / "shared" / "realnews-dev" / "items.jsonl"
SPREAD_BY_DATE_ORIGIN = {"url": timedelta(hours=12), "event-month": timedelta(days=13), "year": timedelta(days=183)}


@dataclass(frozen=True)
class Item:
    id: str
    event: str
    language: str
    title: str
    text: str
    at: datetime
    spread: timedelta


def realnews_items(path: Path = REALNEWS) -> list[Item]:
    """The relevant reports of the shared set, as benchmark items (read at run time)."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if not row.get("relevant"):
            continue
        day = datetime.fromisoformat(row["date"]).replace(hour=12, tzinfo=UTC)
        items.append(
            Item(
                id=row["id"],
                event=row["event"],
                language=row["language"],
                title=row["title"],
                text=row["text"],
                at=day,
                spread=SPREAD_BY_DATE_ORIGIN.get(row.get("date_from", ""), timedelta(days=15)),
            )
        )
    return items


def group(
    items: Sequence[Item], profiler: Profiler, events: bool = True, threshold: float = SAME_EVENT_SIMILARITY
) -> dict[str, str]:
    """Item id → group id: copy clusters, then (``events``) events over them; items in time order."""
    stories = StoryIndex()
    index = profiler.new_index(threshold=threshold)
    story_event: dict[str, str] = {}
    found: dict[str, str] = {}
    story_time: dict[str, datetime] = {}
    for item in sorted(items, key=lambda i: (i.at, i.id)):
        text = f"{item.title}\n{item.text}"
        story = stories.assign(text, cluster_id_for(item.id))
        if abs(item.at - story_time.setdefault(story, item.at)) > CLUSTER_LOOKBACK:
            # the process step looks for copies among the last week's articles only
            story = cluster_id_for(item.id)
            story_time[story] = item.at
        stories.add(story, text)
        if not events:
            found[item.id] = story
            continue
        if story not in story_event:
            profile = profiler.profile(item.title, item.text, item.language)
            story_event[story] = index.assign(Report(story, item.at, item.spread, profile))
        found[item.id] = story_event[story]
    return found


def pairwise(
    items: Sequence[Item], found: dict[str, str], counted: Callable[[Item, Item], bool] | None = None
) -> dict[str, Any]:
    together = true = both = cross_true = cross_both = 0
    for a, b in combinations(items, 2):
        if counted is not None and not counted(a, b):
            continue
        same_truth = a.event == b.event
        same_found = found[a.id] == found[b.id]
        together += same_found
        true += same_truth
        both += same_truth and same_found
        if same_truth and a.language != b.language:
            cross_true += 1
            cross_both += same_found
    precision = both / together if together else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "cross_language_recall": round(cross_both / cross_true, 4) if cross_true else None,
        "pairs": {"predicted": together, "true": true, "correct": both, "cross_language_true": cross_true},
    }


CV_FOLDS = 5
CV_THRESHOLDS = (10.0, 12.0, 14.0, 16.0, 18.0, 20.0, 22.0, 24.0, 26.0, 28.0, 30.0)


def fold_of(event: str, folds: int = CV_FOLDS) -> int:
    """The fold of an event: whole events go to one fold, the same one in every run."""
    return int(hashlib.sha1(event.encode("utf-8")).hexdigest(), 16) % folds


def cross_validated(items: Sequence[Item], profiler: Profiler) -> dict[str, Any]:
    """Event-grouped cross-validation of the one tuned setting, the evidence threshold: for each fold
    the threshold with the best F1 on the pairs among the other folds' events, scored on the pairs
    touching the fold's own events (a wrong merge across two folds is counted in both), grouping
    always over all reports, as the pipeline would."""
    groupings = {t: group(items, profiler, threshold=t) for t in CV_THRESHOLDS}
    totals = {"predicted": 0, "true": 0, "correct": 0, "cross_language_true": 0}
    cross_correct = 0
    chosen = []
    for fold in range(CV_FOLDS):

        def training(a: Item, b: Item, fold: int = fold) -> bool:
            return fold_of(a.event) != fold and fold_of(b.event) != fold

        def testing(a: Item, b: Item, fold: int = fold) -> bool:
            return fold_of(a.event) == fold or fold_of(b.event) == fold

        best = max(CV_THRESHOLDS, key=lambda t: (pairwise(items, groupings[t], training)["f1"], t))
        chosen.append(best)
        figures = pairwise(items, groupings[best], testing)
        for key in totals:
            totals[key] += figures["pairs"][key]
        cross_correct += round((figures["cross_language_recall"] or 0) * figures["pairs"]["cross_language_true"])
    precision = totals["correct"] / totals["predicted"] if totals["predicted"] else 1.0
    recall = totals["correct"] / totals["true"] if totals["true"] else 1.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "cross_language_recall": round(cross_correct / totals["cross_language_true"], 4)
        if totals["cross_language_true"]
        else None,
        "pairs": totals,
        "folds": CV_FOLDS,
        "thresholds_chosen": chosen,
    }


def mistakes(items: Sequence[Item], found: dict[str, str]) -> list[str]:
    """The wrong merges and the missed pairs, for reading (printed with --explain)."""
    lines = []
    for a, b in combinations(items, 2):
        if (a.event == b.event) != (found[a.id] == found[b.id]):
            what = "MISSED" if a.event == b.event else "MERGED"
            lines.append(f"{what} {a.id}/{b.id} {a.event} | {b.event} :: {a.title[:60]} | {b.title[:60]}")
    return lines


def measure(items: Sequence[Item], profiler: Profiler) -> dict[str, dict[str, Any]]:
    return {"ours": pairwise(items, group(items, profiler)), "baseline": pairwise(items, group(items, profiler, False))}


def generated_items(seed: int) -> list[Item]:
    from benchmarks.event_corpus import generate_event_reports

    return [
        Item(r.id, r.event, r.language, r.title, r.text, r.published_at, timedelta(0))
        for r in generate_event_reports(seed=seed)
    ]


def filler_reports(
    profiler: Profiler, count: int, start: datetime, rng: random.Random, probes: int = 0, probe_events: int = 1
) -> list[Report]:
    """``count`` made-up reports over a week: many events' names, figures and lead words, profiled; then
    ``probes`` more, every other one a new report of one of the first ``probe_events`` events (a report
    that joins an event of the window), the rest reports of new events."""
    reports = []
    syllables = ("ra", "ko", "ti", "ven", "mar", "sol", "quin", "del", "bor", "gia", "lun", "per", "sta", "ni")

    def word(n: int) -> str:  # a distinct made-up word for each n
        letters = []
        while True:
            n, digit = divmod(n, len(syllables))
            letters.append(syllables[digit])
            if not n:
                return "".join(letters)

    # A week's reports: events of about six reports each, every event with names and a figure of its own,
    # and a few dozen names that are in every other report (the ministers, the navies), as in real news.
    common = [word(rng.randrange(10**9)).capitalize() for _ in range(40)]
    words = [word(rng.randrange(10**9)) for _ in range(2_000)]
    event_names: dict[int, list[str]] = {}
    for n in range(count + probes):
        if n >= count:
            event = rng.randrange(probe_events) if n % 2 else count + n
        else:
            event = n // 6 if rng.random() < 0.9 else rng.randrange(max(count // 6, 1))
        own = event_names.setdefault(event, [word(rng.randrange(10**12)).capitalize() for _ in range(5)])
        picked = [*rng.sample(own, 4), *rng.sample(common, 2)]
        rng.shuffle(picked)
        figure = 10 + event % 9_990
        title = f"{picked[0]} and {picked[1]} hold talks on {rng.choice(words)} {rng.choice(words)}"
        body = " ".join(
            f"Officials said {picked[k]} met {picked[k + 1]} on {rng.choice(words)} {rng.choice(words)} "
            f"worth {figure} units near {picked[(k + 2) % 6]}."
            for k in range(4)
        )
        profile = profiler.profile(title, body, rng.choice(("en", "it")))
        at = start + timedelta(seconds=rng.uniform(0, 7 * 86_400))
        reports.append(Report(f"s-fill-{n}", at, timedelta(0), profile))
    return reports


def time_per_report(profiler: Profiler, windows: Sequence[int], probes: int = 300, seed: int = 7) -> dict[str, float]:
    """Median milliseconds to place one new report into an index holding each of ``windows`` reports (new
    reports drawn from the same names, figures and words as the window's). The indexes are timed in
    turn, report by report, so that a busy moment of a shared machine falls on all of them alike."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    reports = filler_reports(profiler, max(windows), start, rng, probes, probe_events=min(windows) // 6)
    new = reports[-probes:]
    indexes = []
    for window in windows:
        index = profiler.new_index()
        for report in reports[:window]:
            index.add(report, "e-" + report.story_id)
        indexes.append(index)
    times: list[list[float]] = [[] for _ in windows]
    for report in new:
        for index, timed in zip(indexes, times, strict=True):
            began = time.perf_counter()
            index.assign(report)
            timed.append((time.perf_counter() - began) * 1000)
    return {str(w): round(statistics.median(t), 4) for w, t in zip(windows, times, strict=True)}


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--explain", action="store_true", help="print every wrong merge and missed pair")
    parser.add_argument("--seed", type=int, default=15, help="seed of the generated set")
    parser.add_argument("--windows", default="10000,50000", help="window sizes for the time per report")
    args = parser.parse_args(list(argv) if argv is not None else None)
    lexicon = load_lexicon(CONFIG_DIR / "taxonomy.yaml")
    profiler = profiler_for(lexicon, CONFIG_DIR / "taxonomy.yaml")
    result: dict[str, Any] = {"machine": machine()}
    rows = []
    if REALNEWS.exists():
        items = realnews_items()
        result["realnews"] = measure(items, profiler)
        result["realnews"]["reports"] = len(items)
        result["realnews"]["events"] = len({i.event for i in items})
        result["realnews"]["cross_validated"] = cross_validated(items, profiler)
        if args.explain:
            print("\n".join(mistakes(items, group(items, profiler))))
        rows += _rows("realnews", result["realnews"])
        cv = result["realnews"]["cross_validated"]
        rows.append(
            [
                "realnews",
                f"ours, {CV_FOLDS}-fold CV by event",
                cv["precision"],
                cv["recall"],
                cv["f1"],
                "—" if cv["cross_language_recall"] is None else cv["cross_language_recall"],
                f"{cv['pairs']['predicted']}/{cv['pairs']['true']}",
            ]
        )
    else:
        print(f"{REALNEWS} not found: the real-news figures are left out", file=sys.stderr)
    try:
        generated = generated_items(args.seed)
    except ImportError:  # the generator is being written (issue #15): say so, measure the rest
        print("benchmarks/event_corpus.py not present: the generated set is left out", file=sys.stderr)
        generated = []
    if generated:
        result["generated"] = measure(generated, profiler)
        result["generated"]["reports"] = len(generated)
        result["generated"]["events"] = len({i.event for i in generated})
        if args.explain:
            print("\n".join(mistakes(generated, group(generated, profiler))))
        rows += _rows("generated", result["generated"])
    print_table(
        "Event grouping, pairwise (ours: events over copy clusters; baseline: copy clusters only)",
        ["set", "method", "precision", "recall", "f1", "cross-language recall", "pairs (predicted/true)"],
        rows,
    )
    result["ms_per_report"] = time_per_report(profiler, [int(w) for w in args.windows.split(",")])
    sizes = list(result["ms_per_report"])
    ratio = result["ms_per_report"][sizes[-1]] / max(result["ms_per_report"][sizes[0]], 1e-9)
    result["ms_per_report_ratio"] = round(ratio, 3)
    print_table(
        "Time to place one report (median ms)",
        ["window (reports)", "ms per report"],
        [[w, ms] for w, ms in result["ms_per_report"].items()],
    )
    print(f"ratio {sizes[-1]}/{sizes[0]}: {ratio:.2f} (goal: within 1.5)")
    path = write_result("events", result)
    print(f"\nwritten to {path}")
    return 0


def _rows(name: str, figures: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for method in ("ours", "baseline"):
        f = figures[method]
        cross = f["cross_language_recall"]
        rows.append(
            [
                name,
                method,
                f["precision"],
                f["recall"],
                f["f1"],
                "—" if cross is None else cross,
                f"{f['pairs']['predicted']}/{f['pairs']['true']}",
            ]
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
