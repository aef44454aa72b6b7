"""`make bench-extract`: article text extraction on the public article-extraction-benchmark, ours against
trafilatura and readability-lxml, side by side in one run, plus a cross-validation of our selection rule.

Data: 181 news and blog pages with hand-made article bodies (scrapinghub/article-extraction-benchmark),
read at run time from ``../shared/article-extraction-benchmark`` next to the repository, or from
``$NEWSWATCH_EXTRACT_BENCH_DIR``; nothing of it is copied into the repository.

Extractors, each on the decoded page and its URL:
- ours: ``newswatch.extract.extract_text`` (the text ``extract_article`` returns; the metadata that
  ``extract_article`` reads as well is timed separately and reported as a note);
- trafilatura: ``trafilatura.extract(html, url=url)`` with its defaults;
- readability: the text of readability-lxml's ``Document(html).summary()``, one line per block.

Metric (benchmarks/shingle_metric.py): the benchmark's own, word 4-gram shingles per page, precision and
recall averaged over pages, F1 of the means, ± the 95 % bootstrap interval (1,000 resamples); accuracy
is the share of pages extracted word for word.

Time (the machine is shared and noisy): the extractors are interleaved page by page — each page goes
through every extractor in turn, in an order rotated from page to page — so that a burst of load hits all
of them alike. Each round gives a total per extractor; ms/page is the fastest round, and the ratio to
trafilatura is the median over rounds of the ratio within the round.

Cross-validation (the rule of ``newswatch.extract_select``: when readability runs, and when its text
wins): the pages are split into 5 folds (by sorted id, deterministic); on the other 4 folds the rule's
thresholds are chosen from a grid — the highest F1 (to 0.001) whose recall is not below trafilatura's on
those pages and which runs readability on at most a fifth of them; ties go to the rule that consults
readability more often (the safer one on kinds of page the set lacks), then to the one that replaces
trafilatura's text less readily (readability's extra text on a short page is mostly its menu and share
links), then to the higher word count (a count does not depend on the page's markup) — and the held-out
fold is scored with them. The held-out scores of all pages give the cross-validated F1, precision and
recall; the same choice on all pages is what ``newswatch.extract_select.RULE`` should be, and the run
says so.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import trafilatura
from readability import Document

from benchmarks.common import machine, print_table, write_result
from benchmarks.shingle_metric import PageScore, bootstrap_f1, evaluate, page_score
from newswatch.extract import _trafilatura_document, extract_article, extract_text
from newswatch.extract_select import (
    RULE,
    Candidates,
    Rule,
    html_block_text,
    is_doubtful,
    parse_page,
    select_main_text,
)

DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "article-extraction-benchmark"
Page = tuple[str, str, str, str]  # id, url, html, true article body
FOLDS = 5
READABILITY_BUDGET = 0.2  # a rule may consult readability on at most this share of the pages
GRID_MIN_WORDS = (0, 25, 50, 75, 100, 150, 200, 300)
GRID_PARAGRAPH_SHARE = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
GRID_TRUNCATED_RATIO = (1.25, 1.5, 2.0)


def bench_dir() -> Path:
    return Path(os.environ.get("NEWSWATCH_EXTRACT_BENCH_DIR") or DEFAULT_DIR)


def load_pages(folder: Path, limit: int | None = None) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        html = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
        pages.append((page_id, truth[page_id]["url"], html, truth[page_id]["articleBody"]))
    return pages


def ours(html: str, url: str) -> str:
    return extract_text(html, url)


def ours_article(html: str, url: str) -> str:
    extracted = extract_article(html, url)
    return extracted.text if extracted else ""


def trafilatura_defaults(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def readability_summary(html: str, url: str) -> str:
    try:
        return html_block_text(Document(html).summary())
    except Exception:  # readability gives up on some documents: nothing extracted
        return ""


EXTRACTORS: dict[str, Callable[[str, str], str]] = {
    "ours": ours,
    "trafilatura": trafilatura_defaults,
    "readability": readability_summary,
}


def timed_rounds(
    extractors: dict[str, Callable[[str, str], str]], pages: list[Page], rounds: int
) -> tuple[dict[str, list[float]], dict[str, list[str]]]:
    """ms/page of each extractor in each round, interleaved page by page; the texts of the first round."""
    names = list(extractors)
    times: dict[str, list[float]] = {name: [] for name in names}
    outputs: dict[str, list[str]] = {name: [] for name in names}
    for round_no in range(rounds):
        spent = dict.fromkeys(names, 0.0)
        for index, (_, url, html, _) in enumerate(pages):
            shift = (index + round_no) % len(names)
            for name in names[shift:] + names[:shift]:
                started = time.perf_counter()
                text = extractors[name](html, url)
                spent[name] += time.perf_counter() - started
                if round_no == 0:
                    outputs[name].append(text)
        for name in names:
            times[name].append(spent[name] * 1000 / len(pages))
    return times, outputs


# --- cross-validation of the selection rule ---------------------------------------------------------


@dataclass(frozen=True)
class PageCase:
    """One page as the rule sees it: trafilatura's words, the page's paragraph words, and the scores of
    trafilatura's text alone and of the selection with each truncated ratio of the grid."""

    primary_words: int
    paragraph_words: int
    primary: PageScore
    selected: dict[float, PageScore]
    trafilatura: PageScore


def page_cases(pages: list[Page], trafilatura_texts: Sequence[str]) -> list[PageCase]:
    cases = []
    for (_, url, html, truth), traf_text in zip(pages, trafilatura_texts, strict=True):
        tree = parse_page(html)
        doc = _trafilatura_document(tree, url, with_metadata=False)
        candidates = Candidates.of(tree, doc.text or "" if doc else "")
        reference = candidates.reference()
        selected = {
            ratio: page_score(truth, select_main_text(candidates.primary, reference, ratio))
            for ratio in GRID_TRUNCATED_RATIO
        }
        cases.append(
            PageCase(
                candidates.primary_words,
                candidates.paragraph_words,
                page_score(truth, candidates.primary),
                selected,
                page_score(truth, traf_text),
            )
        )
    return cases


def apply_rule(rule: Rule, cases: Sequence[PageCase]) -> tuple[list[PageScore], float]:
    """Scores of the pages under ``rule`` and the share of pages on which readability ran."""
    scores, runs = [], 0
    for case in cases:
        if is_doubtful(case.primary_words, case.paragraph_words, rule):
            runs += 1
            scores.append(case.selected[rule.truncated_ratio])
        else:
            scores.append(case.primary)
    return scores, runs / len(cases) if cases else 0.0


def choose_rule(cases: Sequence[PageCase]) -> Rule:
    """The grid's best rule on ``cases`` (see the module doc for the criterion and the ties)."""
    floor = evaluate([c.trafilatura for c in cases]).recall
    best: tuple[Any, ...] | None = None
    chosen = RULE
    grid = itertools.product(GRID_MIN_WORDS, GRID_PARAGRAPH_SHARE, GRID_TRUNCATED_RATIO)
    for min_words, share, ratio in grid:
        rule = Rule(min_words, share, ratio)
        scores, ran = apply_rule(rule, cases)
        metrics = evaluate(scores)
        if ran > READABILITY_BUDGET or metrics.recall < floor:
            continue
        key = (round(metrics.f1, 3), ran, ratio, min_words)
        if best is None or key > best:
            best, chosen = key, rule
    return chosen


def cross_validate(cases: list[PageCase]) -> dict[str, Any]:
    held_out: list[PageScore | None] = [None] * len(cases)
    ran_on = 0
    folds = []
    for fold in range(FOLDS):
        test = list(range(fold, len(cases), FOLDS))
        train = [cases[i] for i in range(len(cases)) if i % FOLDS != fold]
        rule = choose_rule(train)
        scores, ran = apply_rule(rule, [cases[i] for i in test])
        ran_on += round(ran * len(test))
        for i, score in zip(test, scores, strict=True):
            held_out[i] = score
        metrics = evaluate(scores)
        folds.append({"rule": asdict(rule), "pages": len(test), "f1": round(metrics.f1, 4)})
    metrics = evaluate([s for s in held_out if s is not None])
    all_pages = choose_rule(cases)
    return {
        "folds": FOLDS,
        "f1": round(metrics.f1, 4),
        "precision": round(metrics.precision, 4),
        "recall": round(metrics.recall, 4),
        "readability_share": round(ran_on / len(cases), 3),
        "per_fold": folds,
        "rule_on_all_pages": asdict(all_pages),
        "shipped_rule": asdict(RULE),
        "shipped_is_chosen": all_pages == RULE,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_EXTRACT_ROUNDS", "3")))
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (quick checks)")
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args(argv)
    folder = bench_dir()
    if not (folder / "ground-truth.json").is_file():
        print(f"benchmark data not found in {folder} (set NEWSWATCH_EXTRACT_BENCH_DIR)", file=sys.stderr)
        return 2
    pages = load_pages(folder, args.limit)
    print(f"bench-extract: {len(pages)} pages from {folder}; {args.rounds} timing rounds; {machine()}")
    timed = {**EXTRACTORS, "ours_article": ours_article}
    for extract in timed.values():  # warm-up: imports, compiled patterns, lazy caches
        for _, url, html, _ in pages[:3]:
            extract(html, url)
    times, outputs = timed_rounds(timed, pages, max(1, args.rounds))
    results: dict[str, Any] = {}
    rows = []
    base_ms = min(times["trafilatura"])
    for name in EXTRACTORS:
        scores = [page_score(truth, text) for (_, _, _, truth), text in zip(pages, outputs[name], strict=True)]
        metrics = evaluate(scores)
        ci = bootstrap_f1(scores, args.resamples)
        ms = min(times[name])
        ratio = statistics.median(t / b for t, b in zip(times[name], times["trafilatura"], strict=True))
        results[name] = {
            "f1": round(metrics.f1, 4),
            "f1_ci95": round(ci, 4),
            "precision": round(metrics.precision, 4),
            "recall": round(metrics.recall, 4),
            "accuracy": round(metrics.accuracy, 4),
            "ms_per_page": round(ms, 1),
            "ms_per_page_rounds": [round(t, 1) for t in times[name]],
            "time_vs_trafilatura": round(ratio, 3),
        }
        rows.append([
            name, f"{metrics.f1:.3f} ± {ci:.3f}", f"{metrics.precision:.3f}", f"{metrics.recall:.3f}",
            f"{metrics.accuracy:.3f}", ms, f"{ratio:.2f}x",
        ])  # fmt: skip
    article_ms = min(times["ours_article"])
    results["ours"]["extract_article_ms_per_page"] = round(article_ms, 1)
    header = ["extractor", "F1 (± 95 %)", "precision", "recall", "accuracy", "ms/page", "time/trafilatura"]
    print_table("article text extraction (shingle metric of the benchmark)", header, rows)
    rounds = ", ".join(f"{name} " + "/".join(f"{t:.1f}" for t in ts) for name, ts in times.items())
    print(f"\nms/page of each round (interleaved page by page; fastest counts): {rounds}")
    print(
        f"ours with metadata (extract_article: text, title, dates, author, canonical URL): {article_ms:.1f} ms/page"
        f" ({article_ms / base_ms:.2f}x trafilatura's text alone)"
    )

    cases = page_cases(pages, outputs["trafilatura"])
    _, shipped_share = apply_rule(RULE, cases)
    results["ours"]["readability_share"] = round(shipped_share, 3)
    cv = cross_validate(cases)
    results["ours_cross_validated"] = cv
    print(f"\nours ran readability on {shipped_share:.1%} of the pages (rule {asdict(RULE)})")
    print_table(
        f"ours, {FOLDS}-fold cross-validation of the rule (thresholds chosen on the other folds)",
        ["", "F1", "precision", "recall", "readability on"],
        [
            ["held-out folds", cv["f1"], cv["precision"], cv["recall"], f"{cv['readability_share']:.1%}"],
            ["all pages (ours)", results["ours"]["f1"], results["ours"]["precision"], results["ours"]["recall"],
             f"{shipped_share:.1%}"],
            ["trafilatura", results["trafilatura"]["f1"], results["trafilatura"]["precision"],
             results["trafilatura"]["recall"], ""],
        ],
    )  # fmt: skip
    for index, fold in enumerate(cv["per_fold"]):
        print(f"  fold {index}: {fold['pages']} pages, rule {fold['rule']}, held-out F1 {fold['f1']:.4f}")
    verdict = "the shipped rule" if cv["shipped_is_chosen"] else f"NOT the shipped rule {cv['shipped_rule']}"
    print(f"  chosen on all pages: {cv['rule_on_all_pages']} — {verdict}")
    path = write_result("extract", results)
    print(f"\nwritten to {Path(path).relative_to(Path.cwd()) if Path(path).is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
