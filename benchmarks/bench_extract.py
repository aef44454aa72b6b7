"""`make bench-extract`: article text extraction on the public article-extraction-benchmark, ours against
trafilatura and readability-lxml, side by side in one run.

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
is the share of pages extracted word for word. Time: each extractor runs over all pages once per round,
rounds alternate between extractors, and the fastest round counts (the machine is shared).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura
from readability import Document

from benchmarks.common import machine, print_table, write_result
from benchmarks.shingle_metric import bootstrap_f1, evaluate, page_score
from newswatch.extract import extract_article, extract_text
from newswatch.extract_select import html_block_text

DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "article-extraction-benchmark"
Page = tuple[str, str, str, str]  # id, url, html, true article body


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


def run_round(extract: Callable[[str, str], str], pages: list[Page]) -> tuple[float, list[str]]:
    outputs = []
    started = time.perf_counter()
    for _, url, html, _ in pages:
        outputs.append(extract(html, url))
    return (time.perf_counter() - started) * 1000 / len(pages), outputs


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
    times: dict[str, list[float]] = {name: [] for name in timed}
    outputs: dict[str, list[str]] = {}
    for _ in range(max(1, args.rounds)):
        for name, extract in timed.items():
            ms, texts = run_round(extract, pages)
            times[name].append(ms)
            outputs.setdefault(name, texts)
    results: dict[str, dict[str, float]] = {}
    rows = []
    base_ms = min(times["trafilatura"])
    for name in EXTRACTORS:
        scores = [page_score(truth, text) for (_, _, _, truth), text in zip(pages, outputs[name], strict=True)]
        metrics = evaluate(scores)
        ci = bootstrap_f1(scores, args.resamples)
        ms = min(times[name])
        results[name] = {
            "f1": round(metrics.f1, 4),
            "f1_ci95": round(ci, 4),
            "precision": round(metrics.precision, 4),
            "recall": round(metrics.recall, 4),
            "accuracy": round(metrics.accuracy, 4),
            "ms_per_page": round(ms, 1),
        }
        rows.append([
            name, f"{metrics.f1:.3f} ± {ci:.3f}", f"{metrics.precision:.3f}", f"{metrics.recall:.3f}",
            f"{metrics.accuracy:.3f}", ms, f"{ms / base_ms:.2f}x",
        ])  # fmt: skip
    article_ms = min(times["ours_article"])
    results["ours"]["extract_article_ms_per_page"] = round(article_ms, 1)
    header = ["extractor", "F1 (± 95 %)", "precision", "recall", "accuracy", "ms/page", "time/trafilatura"]
    print_table("article text extraction (shingle metric of the benchmark)", header, rows)
    rounds = ", ".join(f"{name} " + "/".join(f"{t:.1f}" for t in ts) for name, ts in times.items())
    print(f"\nms/page of each round (fastest counts): {rounds}")
    print(
        f"ours with metadata (extract_article: text, title, dates, author, canonical URL): {article_ms:.1f} ms/page"
        f" ({article_ms / base_ms:.2f}x trafilatura's text alone)"
    )
    path = write_result("extract", results)
    print(f"\nwritten to {Path(path).relative_to(Path.cwd()) if Path(path).is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
