"""`make bench-tag`: the India–Italy defence tagger against the boolean query people set up in news
alerts, on two sets:

1. the project's written evaluation set in tests/resources/tagging_eval/ (test split; never trained on);
2. the real-news development set in ../shared/realnews-dev/ (read at run time), by event-grouped
   cross-validation: the model is refitted for each fold on the other events (plus the written dev
   split), so every real report is scored by a model that never saw its event (``realnews_cv``).

The baseline: (India OR Indian) AND (Italy OR Italian) AND (defence OR defense OR military), whole
words, any case, over headline and text. Throughput is measured on one core, tagging the split over
and over for at least two seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from typing import Any

from benchmarks.common import ROOT, machine, print_table, write_result
from newswatch.clean import clean_article_text
from newswatch.config import CONFIG_DIR
from newswatch.tagging import classify, load_lexicon
from newswatch.tagging.retrain import default_realnews, featuriser
from newswatch.tagging.training import (
    Example,
    cross_validate,
    read_own_set,
    read_realnews,
    relevance_metrics,
)

EVAL_DIR = ROOT / "tests" / "resources" / "tagging_eval"
BASELINE = [
    re.compile(p, re.IGNORECASE) for p in (r"\bindian?\b", r"\bital(?:y|ian)\b", r"\b(?:defen[cs]e|military)\b")
]


def load_split(name: str) -> list[dict[str, Any]]:
    path = EVAL_DIR / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def baseline(item: dict[str, Any]) -> bool:
    text = f"{item['title']}\n{item['text']}"
    return all(p.search(text) for p in BASELINE)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def confusion(gold: list[bool], predicted: list[bool]) -> tuple[int, int, int]:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    return tp, fp, fn


CALIBRATION_BINS = ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01))


def reliability(scored: list[tuple[float, bool]]) -> list[dict[str, Any]]:
    """Per score bin of ``(score, relevant)`` pairs: how many, their mean score, the share really relevant."""
    bins = []
    for low, high in CALIBRATION_BINS:
        members = [(score, gold) for score, gold in scored if low <= score < high]
        if members:
            bins.append({
                "scores": f"{low:.1f}–{min(high, 1.0):.1f}",
                "items": len(members),
                "mean_score": round(sum(s for s, _ in members) / len(members), 3),
                "share_relevant": round(sum(g for _, g in members) / len(members), 3),
            })  # fmt: skip
    return bins


def realnews_cv(lexicon: Any, path: Any) -> dict[str, Any]:
    """Event-grouped cross-validation on the real reports, the boolean baseline on the same reports."""
    examples: list[Example] = read_own_set(EVAL_DIR / "dev.jsonl") + read_realnews(path)
    rows = [featuriser(lexicon)(e) for e in examples]
    cv = cross_validate(rows, examples, lexicon.relevant_threshold)
    real = [(e, score) for e, score in zip(examples, cv.scores, strict=True) if e.origin == "realnews"]
    gold = [e.relevant for e, _ in real]
    languages = [e.language for e, _ in real]
    base = [baseline({"title": e.title, "text": e.text}) for e, _ in real]
    return {
        "tagger": cv.metrics,
        "baseline": relevance_metrics(gold, base, languages),
        "folds": cv.folds,
        "events": len({e.group for e, _ in real}),
        "calibration": reliability([(score, e.relevant) for e, score in real]),
    }


def throughput(items: list[dict[str, Any]], tag: Any, min_seconds: float = 2.0) -> float:
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < min_seconds:
        for item in items:
            tag(item)
        done += len(items)
    return done / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--split", default="test", choices=["dev", "test"])
    parser.add_argument("--errors", action="store_true", help="list the items the tagger gets wrong")
    args = parser.parse_args(argv)
    lexicon = load_lexicon(CONFIG_DIR / "taxonomy.yaml")
    items = load_split(args.split)
    print(f"bench-tag: {len(items)} items ({args.split} split); {machine()}")

    def tag(item: dict[str, Any]) -> Any:
        # As in the pipeline: wire furniture (MENAFN prefixes, trailers, disclaimers) is cleaned first.
        text = clean_article_text(item["text"], title=item["title"]).text
        return classify(item["title"], text, lexicon, item.get("language"))

    cleaned = [{**item, "text": clean_article_text(item["text"], title=item["title"]).text} for item in items]

    def classify_only(item: dict[str, Any]) -> Any:
        return classify(item["title"], item["text"], lexicon, item.get("language"))

    verdicts = [tag(item) for item in items]
    gold = [bool(item["relevant"]) for item in items]
    ours = [v.relevant for v in verdicts]
    base = [baseline(item) for item in items]
    results: dict[str, Any] = {
        # Throughput of the tagger itself, on text already cleaned by the stage before it.
        "tagger": {**prf(*confusion(gold, ours)), "articles_per_s": round(throughput(cleaned, classify_only), 1)},
        "baseline": {**prf(*confusion(gold, base)), "articles_per_s": round(throughput(items, baseline), 1)},
        "split": args.split,
        "items": len(items),
    }
    per_tag: dict[str, dict[str, float]] = {}
    for topic in lexicon.topics:
        expected = [topic in item.get("topics", []) for item in items]
        found = [topic in v.tags for v in verdicts]
        if any(expected) or any(found):
            per_tag[topic] = {**prf(*confusion(expected, found)), "support": sum(expected)}
    results["per_tag"] = per_tag
    by_kind: Counter[str] = Counter()
    wrong_by_kind: Counter[str] = Counter()
    for item, predicted in zip(items, ours, strict=True):
        by_kind[item["kind"]] += 1
        wrong_by_kind[item["kind"]] += predicted != item["relevant"]
    results["errors_by_kind"] = {k: f"{wrong_by_kind[k]}/{n}" for k, n in sorted(by_kind.items())}
    results["calibration"] = reliability([(v.score, g) for v, g in zip(verdicts, gold, strict=True)])

    rows = [[name, r["precision"], r["recall"], r["f1"], r["articles_per_s"]]
            for name, r in (("tagger", results["tagger"]), ("baseline", results["baseline"]))]  # fmt: skip
    print_table("relevance (India–Italy defence)", ["", "precision", "recall", "F1", "articles/s"], rows)
    tag_rows = [[t, r["precision"], r["recall"], r["f1"], r["support"]] for t, r in per_tag.items()]
    print_table("topic tags (tagger)", ["tag", "precision", "recall", "F1", "support"], tag_rows)
    cal_rows = [[b["scores"], b["items"], b["mean_score"], b["share_relevant"]] for b in results["calibration"]]
    print_table("calibration (score bins)", ["scores", "items", "mean score", "share relevant"], cal_rows)
    print("\nerrors by kind: " + ", ".join(f"{k} {v}" for k, v in results["errors_by_kind"].items()))
    if args.errors:
        for item, verdict in zip(items, verdicts, strict=True):
            if verdict.relevant != item["relevant"]:
                print(
                    f"  {item['id']} gold={item['relevant']} score={verdict.score} {item['kind']}: {item['title'][:80]}"
                )
                print(f"     reasons: {'; '.join(verdict.reasons)}")
    realnews = default_realnews()
    if realnews.exists():
        results["realnews_cv"] = rcv = realnews_cv(lexicon, realnews)
        print(f"\nreal reports ({realnews}): {rcv['tagger']['items']} reports of {rcv['events']} events, "
              f"{rcv['folds']}-fold cross-validation grouped by event")  # fmt: skip
        cv_rows = []
        for name in ("tagger", "baseline"):
            r = rcv[name]
            by = r["by_language"]
            cv_rows.append([name, r["precision"], r["recall"], r["f1"], by["en"]["precision"], by["en"]["recall"],
                            by["it"]["precision"], by["it"]["recall"]])  # fmt: skip
        print_table(
            "relevance on real reports (event-grouped CV)",
            ["", "precision", "recall", "F1", "en P", "en R", "it P", "it R"],
            cv_rows,
        )
        cal_rows = [[b["scores"], b["items"], b["mean_score"], b["share_relevant"]] for b in rcv["calibration"]]
        print_table(
            "calibration on real reports (out-of-fold scores)",
            ["scores", "items", "mean score", "share relevant"],
            cal_rows,
        )
    else:
        print(f"\n{realnews} not found: realnews_cv skipped")
    if args.split == "test":
        path = write_result("tag", results)
        print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
