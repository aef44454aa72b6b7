"""The ``newswatch`` command: debug one page or one story, run stages by hand, manage the warehouse.

Every subcommand exits 0 on success, 2 on bad input (with a message naming the file or line), 1 when
the work itself failed.
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from newswatch.config import ConfigError, load_settings
from newswatch.warehouse.migrate import UnmanagedSchemaError

LOGGER = logging.getLogger(__name__)

IST = ZoneInfo("Asia/Kolkata")
DIGEST_HOUR_IST = 8


class InputError(Exception):
    """Bad input from the user: printed as it is, exit status 2."""


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _dump(obj: Any, out: TextIO) -> None:
    out.write(json.dumps(obj, ensure_ascii=False, default=_json_default) + "\n")


def cmd_extract(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.clean import clean_article_text
    from newswatch.dedup import canonicalize_url
    from newswatch.extract import extract_article

    path = Path(args.file)
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read file: {exc.strerror}") from exc
    url = args.url or path.resolve().as_uri()
    extracted = extract_article(body, url)
    if extracted is None:
        raise InputError(f"{path}: no article text found")
    cleaned = clean_article_text(extracted.text, title=extracted.title)
    _dump(
        {
            "title": extracted.title,
            "text": cleaned.text,
            "published": extracted.published_at,
            "published_from": extracted.published_from,
            "author": extracted.author,
            "language": extracted.language,
            "canonical_url": canonicalize_url(extracted.canonical_url),
            "dateline": cleaned.dateline,
            "wire": cleaned.wire,
        },
        out,
    )
    return 0


def cmd_tag(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from newswatch.clean import clean_article_text
    from newswatch.tagging import classify, load_lexicon

    settings = load_settings()
    lexicon = load_lexicon(Path(args.taxonomy) if args.taxonomy else settings.taxonomy_file)
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"stdin line {number}: invalid JSON: {exc.msg} (column {exc.colno})") from exc
        if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text", ""), str):
            raise InputError(f'stdin line {number}: expected an object with "id", "title" and "text"')
        title = str(record.get("title") or "")
        # Tagged as the pipeline tags: after the wire furniture (prefixes, trailers, disclaimers) is gone.
        text = clean_article_text(str(record.get("text") or ""), title=title).text
        verdict = classify(title, text, lexicon, record.get("language"))
        _dump(
            {
                "id": record["id"],
                "relevant": verdict.relevant,
                "score": verdict.score,
                "tags": list(verdict.tags),
                "countries": list(verdict.countries),
                "entities": list(verdict.entities),
                "language": verdict.language,
                "evidence": [{"sentence": e.sentence, "terms": list(e.terms)} for e in verdict.evidence],
                "reasons": list(verdict.reasons),
                # Strongest first: what weighed for (weight > 0) and against (weight < 0) the verdict.
                "contributions": [
                    {"feature": c.feature, "description": c.description, "value": c.value, "weight": c.weight}
                    for c in verdict.contributions
                ],
                "model_version": verdict.model_version,
            },
            out,
        )
    return 0


def digest_window(day: date) -> tuple[datetime, datetime]:
    """The window of the digest sent at 08:00 IST on ``day``: the 24 hours before it, in UTC."""
    end = datetime.combine(day, time(DIGEST_HOUR_IST), tzinfo=IST).astimezone(UTC)
    return end - timedelta(days=1), end


def _parse_day(value: str, option: str = "--date") -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{option} must be YYYY-MM-DD, got {value!r}") from exc


def cmd_digest(args: argparse.Namespace, out: TextIO) -> int:
    """The digest of one day exactly as the DAG would send it, without sending or recording anything."""
    from newswatch.alerts.chart import render_chart_png
    from newswatch.alerts.render import render_digest
    from newswatch.alerts.select import chart_days
    from newswatch.alerts.send import build_digest, recipients_config
    from newswatch.warehouse.session import init_warehouse

    settings = load_settings()
    start, end = digest_window(_parse_day(args.date))
    init_warehouse(settings)
    digest = build_digest(settings, start, end)
    if args.recipient:
        config = recipients_config(settings)
        matches = [r for r in config.recipients if r.email.lower() == args.recipient.lower()]
        if not matches:
            raise InputError(f"--recipient {args.recipient!r} is not in {settings.recipients_file}")
        digest = digest.for_recipient(matches[0])
    # A self-contained page: the chart inline as a data: URI instead of the mail's cid: reference.
    png = render_chart_png(chart_days(digest))
    rendered = render_digest(digest, chart_png=png, chart_src="data:image/png;base64," + base64.b64encode(png).decode())
    if args.html:
        out.write(rendered.html)
    else:
        out.write(f"Subject: {rendered.subject}\n\n{rendered.text}")
    return 0


def cmd_db(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.warehouse import migrate
    from newswatch.warehouse.session import engine_for

    settings = load_settings()
    engine = engine_for(settings.warehouse_url)
    where = engine.url.render_as_string(hide_password=True)
    if args.action == "upgrade":
        migrate.upgrade(engine, args.revision or "head")
    elif args.action == "downgrade":
        if not args.revision:
            raise InputError("db downgrade needs a revision (for example: base)")
        migrate.downgrade(engine, args.revision)
    out.write(f"warehouse {where}: revision {migrate.current_revision(engine)} (newest {migrate.head_revision()})\n")
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.warehouse.export import iter_articles, write_export
    from newswatch.warehouse.session import engine_for, init_warehouse

    since = datetime.combine(_parse_day(args.since, "--since"), time(0), tzinfo=UTC)
    until = datetime.combine(_parse_day(args.until, "--until"), time(0), tzinfo=UTC) if args.until else None
    settings = load_settings()
    init_warehouse(settings)
    rows = iter_articles(engine_for(settings.warehouse_url), since, until, args.relevant_only, by=args.by)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            count = write_export(rows, handle, args.format)
    else:
        count = write_export(rows, out, args.format)
    LOGGER.info("exported %d articles", count)
    return 0


def cmd_prune_raw(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.ingest.retention import prune_raw_store

    settings = load_settings()
    days = args.older_than_days if args.older_than_days is not None else settings.raw_retention_days
    _dump(prune_raw_store(settings, datetime.now(UTC) - timedelta(days=days)), out)
    return 0


def cmd_ingest(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch import pipeline

    summary = pipeline.run_ingest(load_settings(), datetime.now(UTC), force=args.force)
    _dump(summary, out)
    return 0


def cmd_retag(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.retag import retag_articles
    from newswatch.warehouse.session import init_warehouse

    since = datetime.combine(_parse_day(args.since, "--since"), time(0), tzinfo=UTC)
    settings = load_settings()
    init_warehouse(settings)
    _dump(retag_articles(settings, since), out)
    return 0


def cmd_check_feeds(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.checkfeeds import Tally, check_directory, escape_controls

    root = Path(args.dir)
    if not root.is_dir():
        raise InputError(f"{root}: {'not a directory' if root.exists() else 'no such directory'}")
    settings = load_settings()
    try:
        results = check_directory(root, settings.max_response_bytes, settings.max_items_per_feed)
    except OSError as exc:
        raise InputError(f"{root}: cannot read directory: {exc.strerror or exc}") from exc
    tally = Tally()
    for result in results:
        tally.add(result)
        if args.json:
            # ASCII JSON: whatever bytes a file name or parser message holds, the line survives any
            # stdout encoding.
            out.write(json.dumps(result.as_dict(), ensure_ascii=True) + "\n")
        elif result.status == "rejected":
            out.write(f"rejected {escape_controls(result.file)}: {result.reason}\n")
    if args.json:
        print(tally.line(), file=sys.stderr)  # stdout holds only the JSON lines
    else:
        out.write(tally.line() + "\n")
    return 0


def cmd_sources(args: argparse.Namespace, out: TextIO) -> int:
    """``sources check``: validate the sources file, then probe each enabled source once."""
    from newswatch.config import load_sources
    from newswatch.sourcecheck import CheckTally, check_sources

    settings = load_settings()
    sources = load_sources(settings.sources_file)  # a ConfigError names file:line and the source: exit 2
    tally = CheckTally()
    for check in check_sources(settings, sources):
        tally.add(check)
        if args.json:
            out.write(json.dumps(check.as_dict(), ensure_ascii=True) + "\n")
        else:
            out.write(check.line() + "\n")
        out.flush()
    summary = tally.line(str(settings.sources_file))
    if args.json:
        print(summary, file=sys.stderr)  # stdout holds only the JSON lines
    else:
        out.write(summary + "\n")
    return 1 if tally.failed else 0


def _label_examples(settings: Any) -> list[Any]:
    """The analysts' labels in the warehouse, as training examples (none when there is no warehouse)."""
    from sqlalchemy.orm import Session

    from newswatch.tagging.training import label_examples
    from newswatch.warehouse.engine import make_engine
    from newswatch.warehouse.labels import training_examples

    engine = make_engine(settings.warehouse_url)
    try:
        with Session(engine) as session:
            return label_examples(training_examples(session))
    finally:
        engine.dispose()


def _figures_line(name: str, metrics: dict[str, Any]) -> str:
    languages = "  ".join(
        f"{lang}: P {m['precision']:.3f} R {m['recall']:.3f} ({m['items']})"
        for lang, m in metrics["by_language"].items()
    )
    return (
        f"{name:<16} precision {metrics['precision']:.3f}  recall {metrics['recall']:.3f}  F1 {metrics['f1']:.3f}"
        f"  items {metrics['items']}   {languages}"
    )


def cmd_train_tagger(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.tagging.retrain import TrainingRefused, shipped_examples, train_tagger

    settings = load_settings()
    taxonomy = Path(args.taxonomy) if args.taxonomy else settings.taxonomy_file
    labels = [] if args.no_labels else _label_examples(settings)
    shipped = shipped_examples(realnews=Path(args.realnews) if args.realnews else None)
    try:
        report = train_tagger(
            taxonomy,
            labels,
            Path(args.output) if args.output else None,
            shipped=shipped,
            taxonomy_changed=args.taxonomy_changed,
            refit=args.refit,
            dry_run=args.dry_run,
        )
    except TrainingRefused as exc:
        print(f"newswatch train-tagger: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{n} {origin}" for origin, n in report.examples.items())
    out.write(f"training examples: {counts}\n")
    out.write("event-grouped cross-validation, scored on real reports and labelled stories:\n")
    out.write(_figures_line("before (no labels)", report.before) + "\n")
    out.write(_figures_line("after (with labels)", report.after) + "\n")
    if report.written:
        out.write(f"model {report.model.version} written to {report.written}\n")
        out.write("apply it to stored articles with: newswatch retag --since YYYY-MM-DD\n")
    else:
        out.write(f"model {report.model.version} not written (--dry-run)\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newswatch", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    extract = sub.add_parser("extract", help="extract one HTML page and print JSON")
    extract.add_argument("file", help="an HTML file")
    extract.add_argument("--url", help="the page's URL (resolves relative links and canonical URL)")

    tag = sub.add_parser("tag", help="tag JSON lines {id,title,text} from stdin")
    tag.add_argument("--taxonomy", help="taxonomy YAML (default: NEWSWATCH_TAXONOMY or the bundled one)")

    digest = sub.add_parser("digest", help="print the digest of one day without sending it")
    digest.add_argument(
        "--date", required=True, help="the day the digest is sent (YYYY-MM-DD); covers the 24 h before 08:00 IST"
    )
    digest.add_argument("--html", action="store_true", help="print the HTML part (chart inline) instead of the text")
    digest.add_argument("--recipient", metavar="EMAIL", help="show this recipient's copy, with their group's filters")

    db = sub.add_parser("db", help="warehouse schema migrations (Alembic)")
    db.add_argument(
        "action", choices=["upgrade", "downgrade", "current"], help="migrate up, down, or show the revision"
    )
    db.add_argument("revision", nargs="?", help="target revision (default for upgrade: head; base removes all)")

    export = sub.add_parser(
        "export",
        help="stream articles as CSV or JSON lines",
        description="Stream articles as CSV or JSON lines. --since and --until compare the time --by names: "
        "first-seen (when newswatch first saw the item in a feed; the default) or published (the "
        "publication time; for an article without a trustworthy one, its first-seen time, as the digest does).",
    )
    export.add_argument("--since", required=True, help="on or after this day (YYYY-MM-DD, UTC), by the --by time")
    export.add_argument("--until", help="before this day (YYYY-MM-DD, UTC), by the --by time")
    export.add_argument(
        "--by",
        choices=["first-seen", "published"],
        default="first-seen",
        help="the time --since/--until compare: first-seen (default) or published",
    )
    export.add_argument("--relevant-only", action="store_true", help="only India–Italy defence articles")
    export.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    export.add_argument("--output", "-o", help="write to this file instead of stdout")

    prune = sub.add_parser("prune-raw", help="delete stored raw HTML older than the retention age")
    prune.add_argument("--older-than-days", type=float, help="default: NEWSWATCH_RAW_RETENTION_DAYS (30)")

    retag = sub.add_parser("retag", help="re-tag stored articles after a taxonomy change")
    retag.add_argument("--since", required=True, help="articles first seen on or after this day (YYYY-MM-DD, UTC)")

    train = sub.add_parser(
        "train-tagger", help="refit the tagger on the shipped data plus analysts' labels; write it if not worse"
    )
    train.add_argument("--taxonomy", help="taxonomy YAML (default: NEWSWATCH_TAXONOMY or the bundled one)")
    train.add_argument("--output", help="model file to write (default: tagger_model.json beside the taxonomy)")
    train.add_argument("--realnews", help="real-news development set (default: NEWSWATCH_REALNEWS or ../shared)")
    train.add_argument("--no-labels", action="store_true", help="do not read analysts' labels from the warehouse")
    train.add_argument("--refit", action="store_true", help="write a model even with no labels (after a taxonomy edit)")
    train.add_argument(
        "--taxonomy-changed", action="store_true", help="accept that the model on disk predates the taxonomy"
    )
    train.add_argument("--dry-run", action="store_true", help="measure only; write nothing")

    check = sub.add_parser("check-feeds", help="run every file under a directory through the feed parser")
    check.add_argument("dir", help="a directory of feed files (searched recursively)")
    check.add_argument("--json", action="store_true", help="one JSON line per file; the summary goes to stderr")

    sources = sub.add_parser("sources", help="the sources file (NEWSWATCH_SOURCES): check it and its feeds")
    sources_sub = sources.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    sources_check = sources_sub.add_parser(
        "check",
        help="validate the sources file and probe each enabled source once: DNS, HTTP, content type, parse, "
        "newest item, robots.txt; exit status 1 if any fails",
        description="Validate the sources file (NEWSWATCH_SOURCES) and probe each enabled source once with the "
        "pipeline's HTTP client: DNS, HTTP status, content type, parse, item count, the newest item's date and "
        "title, robots.txt for its pages. Exit status 0 when all pass, 1 when one fails, 2 when the file is invalid.",
    )
    sources_check.add_argument(
        "--json", action="store_true", help="one JSON object per line and source; the summary goes to stderr"
    )

    ingest = sub.add_parser("ingest", help="poll the due sources, fetch and process, once, in this process")
    ingest.add_argument(
        "--force",
        action="store_true",
        help="poll every enabled source now, whatever its schedule or backoff (robots.txt and per-host "
        "pacing still hold; a server's 429 is still waited out)",
    )
    return parser


COMMANDS = {
    "extract": cmd_extract,
    "digest": cmd_digest,
    "db": cmd_db,
    "ingest": cmd_ingest,
    "retag": cmd_retag,
    "export": cmd_export,
    "prune-raw": cmd_prune_raw,
    "check-feeds": cmd_check_feeds,
    "sources": cmd_sources,
    "train-tagger": cmd_train_tagger,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, stdin: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    try:
        if args.command == "tag":
            return cmd_tag(args, out, stdin or sys.stdin)
        return COMMANDS[args.command](args, out)
    except (InputError, ConfigError, UnmanagedSchemaError) as exc:
        print(f"newswatch {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (say, `head`) stopped early: not an error. Silence the flush at exit too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
