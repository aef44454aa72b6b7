"""`make bench`: the whole pipeline end to end on a generated corpus, in-process and as real DAG runs.

A generated corpus (``benchmarks/corpus.py``; default 100 sources × 50 items, pages of 30–150 KB, 20 %
syndicated copies, 5 % India–Italy defence stories) is served by a local HTTP server in its own process.
On that same corpus, in one run:

1. **in-process** (the baseline): a child process calls the stage functions the DAGs call, in the DAGs'
   order, on a fresh SQLite warehouse: per cycle ``sync_sources``, ``poll_source`` and ``fetch_pages`` for
   every source, ``process_articles`` (at most ``PROCESS_BATCH`` pages), ``send_immediate_alerts``;
   cycles repeat until no fetched page is left (as many cycles as the DAG needs runs); then the digest
   (``ingest_coverage``, ``preview_digest``, ``send_digest``). Inside ``process_articles`` the functions
   it calls are timed by wrapping them (module attributes patched in the child only, timing only):
   pages (extraction, cleaning and tagging in the page workers, one per core: the time spent waiting
   for their results), dedup (story index), events (event index), load (warehouse reads and writes).
   Before it all, bare ``trafilatura.extract`` on a sample of the same pages, one process: the ceiling
   the pipeline's rate is held against.
2. **local**: Airflow with LocalExecutor on a SQLite metadata database (as ``airflow standalone``):
   scheduler, dag-processor, API server and triggerer as processes of a private ``AIRFLOW_HOME`` under
   ``var/bench/e2e/local/``; the warehouse on SQLite.
3. **celery**: the production profile, ``scripts/cluster.sh`` with the benchmark's own PostgreSQL
   databases, Redis database and port (2 Celery workers × 2 slots); the warehouse on PostgreSQL.

In both Airflow profiles ``newswatch_ingest`` is triggered through the REST API, run after run, until
the corpus is drained (same cycles as in-process), ``newswatch_alerts`` runs on the Asset events the
ingest runs emit, then ``newswatch_digest`` is triggered for the corpus's day. Immediate alerts are on
(min_score 0.97, through the Variable ``newswatch_recipients``) and mail goes over SMTP to a local sink,
so the alert DAGs do real work.

Figures: wall seconds from the first trigger to the last success; articles/s = articles in the
warehouse / wall; stage seconds = the sum of the task instances' durations per stage (Airflow's start →
end, so they include each task's own start-up and DAG parsing); Airflow's overhead = 1 − in-process
wall / DAG wall; peak RSS per process (psutil, every 0.5 s, all processes of the profile and their
children; task processes by task id). Memory as the corpus grows ×10: the in-process child's peak RSS
at ``sources/10`` and at ``sources`` (both on a fresh warehouse). Then the story index's clustering cost per
new article at 5,000 and 50,000 articles in the window (``benchmarks/bench_story_index.py``,
``index_ms_per_article_at``). Results go to ``var/bench/e2e.json``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import BENCH_DIR, PG_ADMIN_URL, ROOT, machine, print_table, write_result
from newswatch.config import CONFIG_DIR
from tests.support.net import free_port
from tests.support.services import create_databases, drop_databases

E2E_DIR = BENCH_DIR / "e2e"
PY = sys.executable
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
RECIPIENTS_WITH_ALERTS = (
    (CONFIG_DIR / "recipients.yaml")
    .read_text(encoding="utf-8")
    .replace("immediate:\n  enabled: false", "immediate:\n  enabled: true")
)
STAGES = ("sync", "poll", "fetch", "process", "alerts", "digest")
# "pages": extraction, cleaning and tagging in the page workers (wall time waiting for their results)
PROCESS_PARTS = ("pages", "dedup", "events", "load", "other")
TASK_STAGE = {
    "list_sources": "sync",
    "source.poll_source": "poll",
    "source.fetch_pages": "fetch",
    "process_articles": "process",
    "send_immediate_alerts": "alerts",
    "wait_for_ingest": "digest",
    "preview_digest": "digest",
    "deliver_digest": "digest",
}
RUN_TIMEOUT_S = 1800
CELERY_REDIS_DB = int(os.environ.get("NEWSWATCH_BENCH_REDIS_DB", "11"))
CLUSTER_ENV_OWNS = (
    "AIRFLOW_HOME",
    "AIRFLOW__API_AUTH__JWT_SECRET",
    "AIRFLOW__API__SECRET_KEY",
    "AIRFLOW__CORE__FERNET_KEY",
    "AIRFLOW__API__PORT",
    "AIRFLOW__API__BASE_URL",
    "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
)
CELERY_META_DB, CELERY_WAREHOUSE_DB = "nw_bench_e2e_meta", "nw_bench_e2e_wh"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# The corpus server (its own process) and the mail sink


@dataclass
class Served:
    base_url: str
    sources_file: Path
    describe: dict[str, int]
    process: subprocess.Popen[str]

    def stats(self) -> dict[str, int]:
        import httpx

        return dict(httpx.get(f"{self.base_url}/_stats", timeout=10).json())


@contextlib.contextmanager
def corpus_server(sources: int, items: int, seed: int, anchor: datetime, folder: Path) -> Iterator[Served]:
    folder.mkdir(parents=True, exist_ok=True)
    sources_file = folder / "sources.yaml"
    command = [PY, "-m", "benchmarks.corpus", "serve", "--sources", str(sources), "--items", str(items)]
    command += ["--seed", str(seed), "--anchor", anchor.isoformat(), "--sources-file", str(sources_file)]
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = json.loads(process.stdout.readline())
        base = first.pop("base_url")
        yield Served(base, sources_file, first, process)
    finally:
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --------------------------------------------------------------------------------------------------
# Memory: RSS of every process of a profile, sampled


class RssSampler:
    """Samples the RSS of the given root processes and all their descendants every ``interval`` s.

    Peaks are kept per label: a root's own name, or for a descendant what it runs (a task by its id,
    ``executor-worker``, ``celery-pool`` …); ``total`` is the peak of the sum over all processes.
    """

    def __init__(self, roots: dict[str, int], interval: float = 0.5) -> None:
        self.roots = dict(roots)
        self.interval = interval
        self.peaks: dict[str, int] = {}
        self.total_peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._procs: dict[int, Any] = {}

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def add_root(self, name: str, pid: int) -> None:
        self.roots[name] = pid

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def _process(self, pid: int) -> Any:
        import psutil

        proc = self._procs.get(pid)
        if proc is None:
            proc = self._procs[pid] = psutil.Process(pid)
        return proc

    def sample(self) -> None:
        import psutil

        total = 0
        for name, pid in list(self.roots.items()):
            try:
                root = self._process(pid)
                family = [(name, root)] + [(None, child) for child in root.children(recursive=True)]
            except psutil.Error:
                continue
            for label, proc in family:
                try:
                    rss = proc.memory_info().rss
                    label = label or process_label(proc.cmdline(), name)
                except psutil.Error:
                    continue
                total += rss
                if rss > self.peaks.get(label, 0):
                    self.peaks[label] = rss
        self.samples += 1
        self.total_peak = max(self.total_peak, total)

    def peaks_mb(self) -> dict[str, float]:
        found = {k: round(v / 2**20, 1) for k, v in sorted(self.peaks.items())}
        found["total"] = round(self.total_peak / 2**20, 1)
        return found


def process_label(cmdline: list[str], root: str) -> str:
    """What a descendant of a profile's component runs, from its command line (Airflow sets proctitles).

    A task process is ``ti:<task instance id>`` (mapped to its task id once the run is over).
    """
    text = " ".join(cmdline)
    if text.startswith("airflow worker -- LocalExecutor"):
        return "executor-worker"  # LocalExecutor's worker, which also supervises the task it runs
    if text.startswith("airflow supervisor:"):
        return "task-supervisor"
    if text.startswith("airflow worker -- "):
        return "ti:" + text.removeprefix("airflow worker -- ").strip()
    if "serve-logs" in text:
        return "serve-logs"
    if root.startswith("worker"):
        return "celery-pool"
    return f"{root}:child"


def label_tasks(peaks: dict[str, float], instances: list[dict[str, Any]]) -> dict[str, float]:
    """Task processes by task id (the largest of its instances), other processes as they are."""
    task_of = {str(ti.get("id")): ti["task_id"] for ti in instances}
    out: dict[str, float] = {}
    for label, mb in peaks.items():
        if label.startswith("ti:"):
            label = "task:" + task_of.get(label[3:], "unknown")
        out[label] = max(out.get(label, 0.0), mb)
    return out


# --------------------------------------------------------------------------------------------------
# 1. In-process: the stage functions in a child process of their own


class StageClock:
    """Seconds per stage: outer stages around whole stage functions, parts inside ``process_articles``."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self.outer: str | None = None
        self._inner = False

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.outer, started = name, time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started
            self.calls[name] += 1
            self.outer = None

    def wrap_generator(self, owner: Any, attr: str, part: str) -> None:
        """Like :meth:`wrap` for a function returning an iterator: the time spent drawing from it counts."""
        original = getattr(owner, attr)
        clock = self

        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            iterator = iter(original(*args, **kwargs))
            while True:
                started = time.perf_counter()
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    if clock.outer == "process":
                        clock.seconds[f"process.{part}"] += time.perf_counter() - started
                yield item

        setattr(owner, attr, timed)

    def wrap(self, owner: Any, attr: str, part: str) -> None:
        """Replace ``owner.attr`` by a timed version counting into ``part`` while in ``process``."""
        original = getattr(owner, attr)
        clock = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            if clock.outer != "process" or clock._inner:
                return original(*args, **kwargs)
            clock._inner, started = True, time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                clock.seconds[f"process.{part}"] += time.perf_counter() - started
                clock._inner = False

        setattr(owner, attr, timed)


def instrument(clock: StageClock) -> None:
    """Time the functions ``process_articles`` calls, from outside (timing only); the page workers' part
    as the time spent waiting for their results."""
    from newswatch import dedup, process
    from newswatch.warehouse import load, queries

    clock.wrap_generator(process, "build_pages", "pages")
    for owner, attr, part in (
        (process, "recent_story_index", "dedup"),
        (dedup.StoryIndex, "assign", "dedup"),
        (dedup.StoryIndex, "add", "dedup"),
        (process, "cluster_id_for", "dedup"),
        (process, "place_in_events", "events"),
        (queries, "fetched_items", "load"),
        (load, "upsert_articles", "load"),
        (load, "write_article_details", "load"),
        (load, "refresh_story_clusters", "load"),
        (load, "refresh_events", "load"),
        (load, "mark_items", "load"),
    ):
        clock.wrap(owner, attr, part)


def backlog(settings: Any) -> int:
    """Pages still to process: fetched and not yet processed, or queued and not yet tried."""
    from sqlalchemy import func, or_, select

    from newswatch.ingest.fetch import MAX_FETCH_ATTEMPTS
    from newswatch.warehouse.schema import FeedItemRow
    from newswatch.warehouse.session import warehouse

    with warehouse(settings) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(FeedItemRow)
                .where(
                    or_(
                        FeedItemRow.status == "fetched",
                        (FeedItemRow.status == "new") & (FeedItemRow.attempts < MAX_FETCH_ATTEMPTS),
                    )
                )
            )
            or 0
        )


def warehouse_counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            one = conn.execute(
                text(
                    "select (select count(*) from articles), (select count(*) from articles where relevant), "
                    "(select count(*) from story_clusters), (select count(*) from feed_items), "
                    "(select count(*) from feed_items where status = 'done'), "
                    "(select count(*) from alert_deliveries where status = 'sent')"
                )
            ).one()
    finally:
        engine.dispose()
    keys = ("articles", "relevant_articles", "stories", "feed_items", "items_done", "mails_sent")
    return dict(zip(keys, (int(v) for v in one), strict=True))


def in_process_child(args: argparse.Namespace) -> int:
    """Run in a child process: the whole pipeline in-process; prints one JSON line of figures."""
    from newswatch import process
    from newswatch.alerts import send
    from newswatch.alerts.deliver import SmtpTransport
    from newswatch.config import load_settings
    from newswatch.ingest import fetch, poll
    from newswatch.warehouse.session import init_warehouse

    settings = load_settings()
    transport = SmtpTransport(host="127.0.0.1", port=args.smtp_port, timeout_s=30) if args.smtp_port else None
    anchor = datetime.fromisoformat(args.anchor)
    clock = StageClock()
    instrument(clock)
    cycles = 0
    started = time.perf_counter()
    while True:
        cycles += 1
        with clock.stage("sync"):  # what list_sources does
            init_warehouse(settings)
            names = poll.sync_sources(settings)
        for name in names:
            with clock.stage("poll"):
                poll.poll_source(settings, name, datetime.now(UTC))
            with clock.stage("fetch"):
                fetch.fetch_pages(settings, name, datetime.now(UTC))
        with clock.stage("process"):
            process.process_articles(settings, datetime.now(UTC))
        with clock.stage("alerts"):
            send.send_immediate_alerts(
                settings, datetime.now(UTC), transport=transport, recipients_text=RECIPIENTS_WITH_ALERTS
            )
        if backlog(settings) == 0 or cycles >= args.max_cycles:
            break
    with clock.stage("digest"):
        window_start, window_end = anchor - timedelta(days=1), anchor
        if not send.ingest_coverage(settings, window_end).covered:
            raise SystemExit("in-process: ingest does not cover the digest window")
        send.preview_digest(settings, window_start, window_end)
        report = send.send_digest(settings, window_start, window_end, transport, RECIPIENTS_WITH_ALERTS)
        if report.failed:
            raise SystemExit(f"in-process: digest failed for {report.failed}")
    wall = time.perf_counter() - started
    process_total = clock.seconds["process"]
    parts = {p: clock.seconds[f"process.{p}"] for p in PROCESS_PARTS if p != "other"}
    parts["other"] = process_total - sum(parts.values())
    print(
        json.dumps(
            {
                "wall_s": wall,
                "cycles": cycles,
                "stages_s": {s: clock.seconds[s] for s in STAGES},
                "process_parts_s": parts,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "counts": warehouse_counts(settings.warehouse_url),
            }
        ),
        flush=True,
    )
    return 0


def run_in_process(served: Served, folder: Path, anchor: datetime, smtp_port: int | None) -> dict[str, Any]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = clean_env()
    env.update(
        NEWSWATCH_SOURCES=str(served.sources_file),
        NEWSWATCH_VAR=str(folder),
        NEWSWATCH_WAREHOUSE_URL=f"sqlite:///{folder / 'warehouse.db'}",
    )
    command = [PY, "-m", "benchmarks.bench_e2e", "--in-process-child", "--anchor", anchor.isoformat()]
    if smtp_port:
        command += ["--smtp-port", str(smtp_port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    with RssSampler({"in-process": process.pid}) as sampler:
        out, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"in-process run failed (exit {process.returncode})")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = {"in-process": round(result["peak_rss_mb"], 1), "sampled": sampler.peaks_mb()["total"]}
    return result


def clean_env() -> dict[str, str]:
    """This environment without newswatch, Airflow and cluster settings, the venv first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSWATCH_", "AIRFLOW_", "CLUSTER_"))}
    env["PATH"] = f"{Path(PY).parent}:{os.environ.get('PATH', '')}"
    env["NEWSWATCH_ROOT"] = str(ROOT)
    env["PYTHONPATH"] = str(ROOT)
    return env


# --------------------------------------------------------------------------------------------------
# 2./3. Airflow profiles


@dataclass
class Profile:
    name: str
    home: Path
    api: str
    env: dict[str, str]
    warehouse_url: str
    password: str
    pids: dict[str, int] = field(default_factory=dict)
    stop: Callable[[], None] = lambda: None


def airflow_env(home: Path, port: int, served: Served, smtp: str, extra: dict[str, str]) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = clean_env()
    env.update(
        AIRFLOW_HOME=str(home / "airflow"),
        AIRFLOW_CONFIG=str(ROOT / "airflow.cfg"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__API_AUTH__JWT_SECRET=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        AIRFLOW__API__SECRET_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        AIRFLOW__CORE__FERNET_KEY=Fernet.generate_key().decode(),
        AIRFLOW__API__PORT=str(port),
        AIRFLOW__API__BASE_URL=f"http://127.0.0.1:{port}",
        AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://127.0.0.1:{port}/execution/",
        # DAGs paused until the benchmark unpauses them (see run_profile); the job schedule stays on, so
        # that the alert DAG runs on the ingest runs' Asset events.
        AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="True",
        AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True",
        # Parse the DAG folder once, in one process, not again during the benchmark (as tests/test_cluster.py).
        AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="600",
        AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL="600",
        AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES="1",
        AIRFLOW_CONN_SMTP_DEFAULT=smtp,
        AIRFLOW_VAR_NEWSWATCH_RECIPIENTS=RECIPIENTS_WITH_ALERTS,
        NEWSWATCH_SOURCES=str(served.sources_file),
    )
    env.update(extra)
    return env


def start_local(served: Served, smtp: str, extra: dict[str, str]) -> Profile:
    home = E2E_DIR / "local"
    stop_recorded(home)
    shutil.rmtree(home, ignore_errors=True)
    (home / "airflow").mkdir(parents=True)
    (home / "logs").mkdir()
    port = free_port()
    env = airflow_env(home, port, served, smtp, extra)
    env.update(
        NEWSWATCH_VAR=str(home / "var"),
        NEWSWATCH_WAREHOUSE_URL=f"sqlite:///{home / 'warehouse.db'}",
        AIRFLOW__CORE__EXECUTOR=extra.get("AIRFLOW__CORE__EXECUTOR", "LocalExecutor"),
    )
    password = secrets.token_urlsafe(12)
    passwords = home / "airflow" / "simple_auth_manager_passwords.json.generated"
    passwords.write_text(json.dumps({"admin": password}))
    for command in (
        ["db", "migrate"],
        ["pools", "set", "newswatch_http", env.get("CLUSTER_HTTP_POOL_SLOTS", "4"), "HTTP"],
    ):
        done = subprocess.run([AIRFLOW, *command], env=env, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise SystemExit(f"airflow {' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    profile = Profile("local", home, f"http://127.0.0.1:{port}", env, env["NEWSWATCH_WAREHOUSE_URL"], password)
    components = {
        "scheduler": ["scheduler"],
        "dag-processor": ["dag-processor"],
        "api-server": ["api-server", "--host", "127.0.0.1", "--port", str(port)],
        "triggerer": ["triggerer"],
    }
    for name, command in components.items():
        with open(home / "logs" / f"{name}.log", "wb") as out:
            process = subprocess.Popen(
                [AIRFLOW, *command], env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        profile.pids[name] = process.pid
    (home / "pids.json").write_text(json.dumps(profile.pids))
    profile.stop = lambda: stop_recorded(home)
    return profile


def stop_recorded(home: Path) -> None:
    """Stop the process groups recorded in ``home/pids.json`` (ours: started with their own session)."""
    record = home / "pids.json"
    if not record.exists():
        return
    pids = json.loads(record.read_text())
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_group_alive(pid) for pid in pids.values()):
        time.sleep(0.5)
    for pid in pids.values():
        if _group_alive(pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
    record.unlink()


def _group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def start_celery(served: Served, smtp: str, extra: dict[str, str]) -> Profile:
    home = E2E_DIR / "celery"
    cluster_env = clean_env()
    cluster_env.update(
        CLUSTER_HOME=str(home),
        CLUSTER_PG=PG_ADMIN_URL.rsplit("/", 1)[0],
        CLUSTER_META_DB=CELERY_META_DB,
        CLUSTER_WAREHOUSE_DB=CELERY_WAREHOUSE_DB,
        CLUSTER_REDIS_DB=str(CELERY_REDIS_DB),
        CLUSTER_NODE="nwbench",
        CLUSTER_START_TIMEOUT="300",
    )
    subprocess.run(["bash", str(ROOT / "scripts" / "cluster.sh"), "stop"], env=cluster_env, capture_output=True)
    shutil.rmtree(home, ignore_errors=True)
    databases = (CELERY_META_DB, CELERY_WAREHOUSE_DB)  # the benchmark's own
    drop_databases(PG_ADMIN_URL, databases)
    create_databases(PG_ADMIN_URL, databases)
    _redis().flushdb()
    port = free_port()
    env = airflow_env(home, port, served, smtp, extra)
    for key in CLUSTER_ENV_OWNS:
        env.pop(key)  # cluster-env.sh sets these (secrets generated once into CLUSTER_HOME)
    env.update(cluster_env)
    env["CLUSTER_API_PORT"] = str(port)
    started = subprocess.run(
        ["bash", str(ROOT / "scripts" / "cluster.sh"), "start"], env=env, capture_output=True, text=True, timeout=600
    )
    if started.returncode != 0:
        raise SystemExit(f"cluster.sh start failed:\n{started.stdout[-3000:]}\n{started.stderr[-5000:]}")
    password = json.loads((home / "airflow" / "simple_auth_manager_passwords.json.generated").read_text())["admin"]
    warehouse = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{CELERY_WAREHOUSE_DB}"
    profile = Profile("celery", home, f"http://127.0.0.1:{port}", env, warehouse, password)
    for pid_file in sorted((home / "pids").glob("*.pid")):
        profile.pids[pid_file.stem] = int(pid_file.read_text().strip())

    def stop() -> None:
        subprocess.run(["bash", str(ROOT / "scripts" / "cluster.sh"), "stop"], env=env, capture_output=True, text=True)
        drop_databases(PG_ADMIN_URL, databases)
        _redis().flushdb()

    profile.stop = stop
    return profile


def _redis() -> Any:
    import redis

    return redis.Redis.from_url(f"redis://127.0.0.1:6379/{CELERY_REDIS_DB}", socket_connect_timeout=3)


class Api:
    """The REST API of a profile with a JWT for admin."""

    def __init__(self, profile: Profile) -> None:
        import httpx

        self.profile = profile
        deadline = time.monotonic() + 300
        while True:
            try:
                health = httpx.get(f"{profile.api}/api/v2/monitor/health", timeout=5).json()
                if all((health.get(p) or {}).get("status") == "healthy" for p in ("metadatabase", "scheduler")):
                    break
            except (httpx.HTTPError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{profile.name}: the API server is not healthy after 300 s\n{self.log_tails()}")
            time.sleep(1)
        token = httpx.post(
            f"{profile.api}/auth/token", json={"username": "admin", "password": profile.password}, timeout=30
        )
        token.raise_for_status()
        self.client = httpx.Client(
            base_url=f"{profile.api}/api/v2",
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
            timeout=60,
        )

    def log_tails(self, lines: int = 30) -> str:
        out = []
        for path in sorted((self.profile.home / "logs").glob("*.log")):
            out.append(f"----- {path}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:]))
        return "\n".join(out)

    def get(self, path: str, **params: Any) -> Any:
        response = self.client.get(path, params=params)
        response.raise_for_status()
        return response.json()

    def wait_for_dags(self, dag_ids: tuple[str, ...], timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        for dag_id in dag_ids:
            while self.client.get(f"/dags/{dag_id}").status_code == 404:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{dag_id} not parsed after {timeout} s\n{self.log_tails()}")
                time.sleep(1)

    def pause(self, dag_id: str, paused: bool) -> None:
        self.client.patch(f"/dags/{dag_id}", json={"is_paused": paused}).raise_for_status()

    def wait_for_active(self, dag_id: str, timeout: float = 5) -> str | None:
        """The id of the DAG's queued or running run, waiting up to ``timeout`` s for one; else None."""
        deadline = time.monotonic() + timeout
        while True:
            active = [r for r in self.runs(dag_id) if r["state"] in ("queued", "running")]
            if active:
                return str(min(active, key=lambda r: parse_time(r.get("queued_at")) or 0)["dag_run_id"])
            if time.monotonic() > deadline:
                return None
            time.sleep(0.5)

    def trigger(self, dag_id: str, run_id: str, body: dict[str, Any]) -> None:
        response = self.client.post(f"/dags/{dag_id}/dagRuns", json={"dag_run_id": run_id, **body})
        if response.status_code != 200:
            raise SystemExit(f"trigger {dag_id} {run_id}: {response.status_code} {response.text}")

    def wait(self, dag_id: str, run_id: str, poll: float = 0.5) -> dict[str, Any]:
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while True:
            run: dict[str, Any] = self.get(f"/dags/{dag_id}/dagRuns/{run_id}")
            if run["state"] in ("success", "failed"):
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"{dag_id} {run_id} still {run['state']} after {RUN_TIMEOUT_S} s")
            time.sleep(poll)
        if run["state"] != "success":
            states = {(t["task_id"], t["map_index"]): t["state"] for t in self.task_instances(dag_id, run_id)}
            failed = {k: v for k, v in states.items() if v != "success"}
            raise SystemExit(f"{dag_id} {run_id}: {run['state']}; tasks not successful: {failed}\n{self.log_tails()}")
        return run

    def runs(self, dag_id: str) -> list[dict[str, Any]]:
        return list(self.get(f"/dags/{dag_id}/dagRuns", limit=1000, order_by="id")["dag_runs"])

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            page = self.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", limit=100, offset=len(found))
            found += page["task_instances"]
            if len(found) >= page["total_entries"] or not page["task_instances"]:
                return found


def parse_time(value: str | None) -> float | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() if value else None


def run_profile(profile: Profile, anchor: datetime, max_runs: int) -> dict[str, Any]:
    """Drain the corpus with ingest runs, let the alert runs finish, run the digest; the figures.

    The scheduler runs with its job schedule on, as in production, so that ``newswatch_alerts`` runs on
    the Asset events of the ingest runs. Unpausing ``newswatch_ingest`` makes the scheduler create its
    first (scheduled) run at once; the benchmark triggers the next ones through the API, one after the
    other, until no fetched page is left, and pauses the DAG then (a scheduled run due meanwhile is one
    more ingest run). Unpausing ``newswatch_digest`` afterwards creates its scheduled run of the latest
    08:00 IST, whose window is the corpus's day.
    """
    api = Api(profile)
    api.wait_for_dags(("newswatch_ingest", "newswatch_alerts", "newswatch_digest"))
    api.pause("newswatch_alerts", False)
    started = time.time()
    api.pause("newswatch_ingest", False)
    triggered = 0
    first = True
    while True:
        # The scheduled run the unpausing creates takes a scheduler loop to appear; later runs are ours.
        active = api.wait_for_active("newswatch_ingest", timeout=60 if first else 0)
        first = False
        if active is None:  # nothing queued or running: the next run is ours to trigger
            if triggered >= max_runs:
                raise SystemExit(f"{profile.name}: corpus not drained after {max_runs} triggered runs")
            triggered += 1
            api.trigger("newswatch_ingest", f"bench_ingest_{triggered:03d}", {"logical_date": None})
            continue
        api.wait("newswatch_ingest", active)
        left = profile_backlog(profile.warehouse_url)
        done = sum(1 for r in api.runs("newswatch_ingest") if r["state"] == "success")
        log(f"{profile.name}: ingest run {done} ({active}) done, {left} page(s) left")
        if left == 0:
            api.pause("newswatch_ingest", True)
            break
    ingest_runs = [r for r in api.runs("newswatch_ingest") if r["state"] == "success"]
    last = max(ingest_runs, key=lambda r: parse_time(r["end_date"]) or 0)
    last_event = max(
        parse_time(ti["end_date"]) or 0
        for ti in api.task_instances("newswatch_ingest", last["dag_run_id"])
        if ti["task_id"] == "process_articles"
    )
    # The Asset-triggered alert runs: wait until one was queued after the last ingest run's Asset event
    # (the end of its process_articles) and all have ended.
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while True:
        alert_runs = api.runs("newswatch_alerts")
        latest = max((parse_time(r.get("queued_at")) or 0 for r in alert_runs), default=0)
        if latest >= last_event and all(r["state"] in ("success", "failed") for r in alert_runs):
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"alert runs not done: {[(r['dag_run_id'], r['state']) for r in alert_runs]}")
        time.sleep(0.5)
    failed = [r["dag_run_id"] for r in alert_runs if r["state"] != "success"]
    if failed:
        raise SystemExit(f"alert runs failed: {failed}\n{api.log_tails()}")
    api.pause("newswatch_digest", False)
    deadline = time.monotonic() + 120
    while not (digest_runs := api.runs("newswatch_digest")):
        if time.monotonic() > deadline:
            raise SystemExit("newswatch_digest: no scheduled run created on unpausing")
        time.sleep(0.5)
    digest = api.wait("newswatch_digest", digest_runs[0]["dag_run_id"])
    if parse_time(digest["data_interval_end"]) != anchor.timestamp():
        log(f"warning: the digest run covers up to {digest['data_interval_end']}, the corpus's day ends {anchor}")
    api.pause("newswatch_digest", True)
    run_rows = [dict(r, dag_id="newswatch_ingest") for r in ingest_runs]
    run_rows += [dict(r, dag_id="newswatch_alerts") for r in alert_runs] + [dict(digest, dag_id="newswatch_digest")]
    instances = [
        dict(ti, dag_id=r["dag_id"]) for r in run_rows for ti in api.task_instances(r["dag_id"], r["dag_run_id"])
    ]
    ended = max(parse_time(r["end_date"]) or 0 for r in run_rows)
    return {
        "wall_s": ended - started,
        "ingest_runs": len(ingest_runs),
        "triggered_runs": triggered,
        "alert_runs": len(alert_runs),
        "timeline": timeline(instances, run_rows, started, ended),
        "stages_s": stage_sums(instances),
        "tasks": len(instances),
        "counts": warehouse_counts(profile.warehouse_url),
        "hostnames": dict(Counter(ti.get("hostname") or "?" for ti in instances)),
        "instances": instances,
    }


def profile_backlog(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.scalar(
                    text(
                        "select count(*) from feed_items where status = 'fetched' or (status = 'new' and attempts < 3)"
                    )
                )
                or 0
            )
    finally:
        engine.dispose()


def stage_sums(instances: list[dict[str, Any]]) -> dict[str, float]:
    sums: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    for ti in instances:
        stage = TASK_STAGE.get(ti["task_id"])
        if stage and ti.get("duration") is not None:
            sums[stage] += float(ti["duration"])
    return sums


def timeline(
    instances: list[dict[str, Any]], runs: list[dict[str, Any]], started: float, ended: float
) -> dict[str, Any]:
    """Where the DAG wall goes: time any task runs, gaps with none, queueing, task time per task."""
    spans = sorted(
        (parse_time(ti["start_date"]) or 0, parse_time(ti["end_date"]) or 0)
        for ti in instances
        if ti.get("start_date") and ti.get("end_date")
    )
    busy, cursor = 0.0, started
    for begin, end in spans:
        begin = max(begin, cursor)
        if end > begin:
            busy += end - begin
            cursor = end
    queued = [
        (parse_time(ti["start_date"]) or 0) - (parse_time(ti["queued_when"]) or 0)
        for ti in instances
        if ti.get("queued_when") and ti.get("start_date")
    ]
    scheduled = [
        (parse_time(ti["queued_when"]) or 0) - (parse_time(ti["scheduled_when"]) or 0)
        for ti in instances
        if ti.get("queued_when") and ti.get("scheduled_when")
    ]
    ingest = [r for r in runs if r["dag_id"] == "newswatch_ingest"]
    run_time = sum(
        (parse_time(r["end_date"]) or 0) - (parse_time(r["start_date"]) or 0) for r in runs if r["start_date"]
    )
    durations = [float(ti["duration"]) for ti in instances if ti.get("duration") is not None]
    per_task: dict[str, list[float]] = {}
    for ti in instances:
        if ti.get("duration") is not None:
            per_task.setdefault(ti["task_id"], []).append(float(ti["duration"]))
    return {
        "busy_s": busy,
        "idle_s": (ended - started) - busy,
        "task_time_s": sum(durations),
        "tasks": len(durations),
        "mean_task_s": sum(durations) / len(durations) if durations else 0.0,
        "mean_queued_to_start_s": sum(queued) / len(queued) if queued else 0.0,
        "mean_scheduled_to_queued_s": sum(scheduled) / len(scheduled) if scheduled else 0.0,
        "ingest_run_s": [
            round((parse_time(r["end_date"]) or 0) - (parse_time(r["start_date"]) or 0), 2) for r in ingest
        ],
        "run_time_s": run_time,
        "mean_task_s_by_task": {k: round(sum(v) / len(v), 2) for k, v in sorted(per_task.items())},
        "task_count_by_task": {k: len(v) for k, v in sorted(per_task.items())},
    }


def measure_profile(
    kind: str, served: Served, anchor: datetime, smtp: str, extra: dict[str, str], max_runs: int
) -> dict[str, Any]:
    starter = start_local if kind == "local" else start_celery
    log(f"{kind}: starting Airflow")
    profile = starter(served, smtp, extra)
    try:
        with RssSampler(profile.pids) as sampler:
            result = run_profile(profile, anchor, max_runs)
        result["peak_rss_mb"] = label_tasks(sampler.peaks_mb(), result.pop("instances"))
        result["rss_samples"] = sampler.samples
    finally:
        log(f"{kind}: stopping Airflow")
        profile.stop()
    return result


# --------------------------------------------------------------------------------------------------
# Report


def summarise(name: str, measured: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    articles = measured["counts"]["articles"]
    wall = measured["wall_s"]
    rate = articles / wall if wall else 0.0
    base_rate = baseline["counts"]["articles"] / baseline["wall_s"]
    out = {
        "articles": articles,
        "wall_s": round(wall, 1),
        "articles_per_s": round(rate, 2),
        "in_process_articles_per_s": round(base_rate, 2),
        "in_process_wall_s": round(baseline["wall_s"], 1),
        "share_of_in_process_rate": round(rate / base_rate, 3),
        "overhead": round(1 - baseline["wall_s"] / wall, 3),
        "stages_s": {k: round(v, 1) for k, v in measured["stages_s"].items()},
        "peak_rss_mb": measured["peak_rss_mb"],
        "counts": measured["counts"],
    }
    for key in ("ingest_runs", "alert_runs", "tasks", "timeline", "hostnames", "cycles", "process_parts_s"):
        if key in measured:
            out[key] = measured[key]
    return out


def report(results: dict[str, Any]) -> None:
    columns = [k for k in ("in_process", "local", "celery") if k in results]
    head = ["", *columns]
    rows: list[list[Any]] = [
        ["articles loaded", *(results[c]["articles"] for c in columns)],
        ["wall s", *(results[c]["wall_s"] for c in columns)],
        ["articles/s", *(results[c]["articles_per_s"] for c in columns)],
        ["share of in-process rate", *(results[c].get("share_of_in_process_rate", 1.0) for c in columns)],
        ["Airflow overhead", *(f"{results[c].get('overhead', 0.0):.1%}" for c in columns)],
        ["ingest runs / cycles", *(results[c].get("ingest_runs", results[c].get("cycles")) for c in columns)],
    ]
    for stage in STAGES:
        rows.append([f"{stage} s", *(results[c]["stages_s"].get(stage, 0.0) for c in columns)])
    parts = results["in_process"].get("process_parts_s", {})
    for part in PROCESS_PARTS:
        rows.append([f"  process: {part} s", round(parts.get(part, 0.0), 1), *("" for _ in columns[1:])])
    for c in columns[1:]:
        t = results[c]["timeline"]
        rows.append([f"{c}: task time / busy / idle s", "", *(
            f"{t['task_time_s']:.0f} / {t['busy_s']:.0f} / {t['idle_s']:.0f}" if c == cc else "" for cc in columns[1:]
        )])  # fmt: skip
    print_table("end to end (stage seconds: in-process timed calls; DAGs: sum of task instance durations)", head, rows)
    print_table("goals (same run)", ["ratio", "measured", "goal"], goals(results))
    processes = sorted({p for c in columns for p in results[c]["peak_rss_mb"]})
    memory_rows = [[p, *(results[c]["peak_rss_mb"].get(p, "") for c in columns)] for p in processes]
    print_table("peak RSS (MB) per process", ["process", *columns], memory_rows)
    if "memory_scale" in results:
        m = results["memory_scale"]
        rows = [
            [f"{label} ({m[size]['sources']} sources)", m[size]["items"], m[size]["peak_rss_mb"], m[size]["wall_s"]]
            for label, size in (("×1", "small"), ("×10", "large"))
        ]
        rows.append(["ratio", "", m["ratio"], ""])
        print_table(
            "memory as the corpus grows (in-process peak RSS)", ["corpus", "items", "peak RSS MB", "wall s"], rows
        )


BARE_SAMPLE_PAGES = 1_000  # a rate needs no more; the whole corpus would add minutes to the run


def bare_trafilatura(sources: int, items: int, seed: int, anchor: datetime) -> dict[str, Any]:
    """Plain ``trafilatura.extract`` over an evenly spread sample of the corpus's pages, one process, no
    pipeline: what extraction alone costs, the ceiling the pipeline's rate is held against."""
    import trafilatura

    from benchmarks.corpus import Corpus

    corpus = Corpus(sources, items, seed, anchor)
    everything = [(s, i) for s in range(sources) for i in range(items)]
    step = max(1, len(everything) // BARE_SAMPLE_PAGES)
    pages = [(corpus.page(s, i).decode("utf-8"), corpus.page_url(s, i)) for s, i in everything[::step]]
    started = time.perf_counter()
    for html, url in pages:
        trafilatura.extract(html, url=url)
    elapsed = time.perf_counter() - started
    return {"pages": len(pages), "wall_s": round(elapsed, 2), "pages_per_s": round(len(pages) / elapsed, 2)}


def goals(results: dict[str, Any]) -> list[list[Any]]:
    """The issue's ratios: the pipeline against bare extraction, the DAG profiles against in-process."""
    rows: list[list[Any]] = []
    bare = results.get("bare_trafilatura_pages_per_s")
    base = results.get("in_process", {}).get("articles_per_s")
    if bare and base:
        rows.append(["in-process / bare trafilatura", round(base / bare, 2), "≥ 0.8"])
    for kind in ("local", "celery"):
        if kind in results and base:
            rows.append([f"{kind} / in-process", round(results[kind]["articles_per_s"] / base, 2), "≥ 0.7"])
    return rows


def digest_day_end(now: datetime) -> datetime:
    """The end of the latest digest window (08:00 Asia/Kolkata, the digest DAG's cron) at or before ``now``.

    The corpus is published in the 24 hours before it, so that the digest run the scheduler creates when
    the DAG is unpaused (catchup off: the latest 08:00 IST) covers the whole corpus.
    """
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo("Asia/Kolkata"))
    end = local.replace(hour=8, minute=0, second=0, microsecond=0)
    if end > local:
        end -= timedelta(days=1)
    return end.astimezone(UTC)


def parse_overrides(values: list[str]) -> dict[str, str]:
    overrides = {}
    for value in values:
        key, _, setting = value.partition("=")
        if not key or not _:
            raise SystemExit(f"--airflow-env expects KEY=VALUE, got {value!r}")
        overrides[key] = setting
    return overrides


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=int(os.environ.get("BENCH_E2E_SOURCES", "100")))
    parser.add_argument("--items", type=int, default=int(os.environ.get("BENCH_E2E_ITEMS", "50")))
    parser.add_argument("--scale", type=int, default=1, help="multiply the number of sources")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--quick", action="store_true", help="a small smoke run: 6 sources × 20 items")
    parser.add_argument("--skip-celery", action="store_true")
    parser.add_argument("--skip-local", action="store_true")
    parser.add_argument("--skip-memory-scale", action="store_true", help="no in-process run at a tenth of the sources")
    parser.add_argument("--skip-story-index", action="store_true", help="no story index cost at 5,000 and 50,000")
    parser.add_argument("--airflow-env", action="append", default=[], metavar="KEY=VALUE",
                        help="an Airflow setting for both profiles, e.g. AIRFLOW__CORE__PARALLELISM=16")  # fmt: skip
    parser.add_argument("--pool-slots", type=int, default=4, help="slots of the newswatch_http pool (4 as installed)")
    parser.add_argument("--output", default="e2e", help="results go to var/bench/OUTPUT.json")
    parser.add_argument("--max-runs", type=int, default=200, help="at most this many ingest runs per profile")
    parser.add_argument("--baseline-from", type=Path, help="take the in-process figures from this earlier result")
    parser.add_argument("--in-process-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--anchor", help=argparse.SUPPRESS)
    parser.add_argument("--smtp-port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--max-cycles", type=int, default=200, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # A TERM (timeout, kill) unwinds like Ctrl-C, so that the Airflow processes started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.in_process_child:
        return in_process_child(args)
    if args.quick:
        args.sources, args.items = 6, 20
    sources = args.sources * args.scale
    overrides = parse_overrides(args.airflow_env)
    if args.pool_slots != 4:
        overrides["CLUSTER_HTTP_POOL_SLOTS"] = str(args.pool_slots)  # read by cluster.sh and start_local
    anchor = digest_day_end(datetime.now(UTC))
    print(
        f"bench-e2e: {sources} sources × {args.items} items (seed {args.seed}), pages 30–150 KB, "
        f"20 % syndicated, 5 % relevant; {machine()}"
    )
    from tests.support.mailsink import MailSink

    results: dict[str, Any] = {}
    started = time.monotonic()
    log(f"bare trafilatura on a sample of {BARE_SAMPLE_PAGES} pages, one process")
    bare = bare_trafilatura(sources, args.items, args.seed, anchor)
    results["bare_trafilatura"] = bare
    results["bare_trafilatura_pages_per_s"] = bare["pages_per_s"]
    with (
        MailSink(E2E_DIR / "mailbox") as sink,
        corpus_server(sources, args.items, args.seed, anchor, E2E_DIR) as served,
    ):
        log(f"corpus on {served.base_url}: {served.describe}")
        if args.baseline_from:  # knob experiments: the DAG profiles against a stored in-process run
            stored = json.loads(args.baseline_from.read_text())
            if stored["corpus"]["items"] != served.describe["items"] or stored["corpus"]["seed"] != args.seed:
                raise SystemExit(f"{args.baseline_from} measured another corpus")
            base = results["in_process"] = stored["in_process"]
            results["in_process"]["from"] = str(args.baseline_from)
        else:
            log("in-process: running the stage functions")
            base = run_in_process(served, E2E_DIR / "in_process", anchor, sink.port)
            results["in_process"] = {
                "articles": base["counts"]["articles"],
                "wall_s": round(base["wall_s"], 1),
                "articles_per_s": round(base["counts"]["articles"] / base["wall_s"], 2),
                "stages_s": {k: round(v, 1) for k, v in base["stages_s"].items()},
                "process_parts_s": {k: round(v, 1) for k, v in base["process_parts_s"].items()},
                "cycles": base["cycles"],
                "peak_rss_mb": base["peak_rss_mb"],
                "counts": base["counts"],
            }
        log(f"in-process: {base['counts']['articles']} articles in {base['wall_s']:.1f} s")
        for kind, skip in (("local", args.skip_local), ("celery", args.skip_celery)):
            if skip:
                continue
            measured = measure_profile(kind, served, anchor, sink.airflow_connection, overrides, args.max_runs)
            results[kind] = summarise(kind, measured, base)
            log(f"{kind}: {results[kind]['articles']} articles in {results[kind]['wall_s']} s")
        results["corpus"] = {**served.describe, "items_per_source": args.items, "seed": args.seed,
                             "server": served.stats()}  # fmt: skip
    if not args.skip_memory_scale and not args.baseline_from and sources >= 10:
        small_sources = max(1, sources // 10)
        log(f"memory: in-process at {small_sources} sources × {args.items} items")
        with corpus_server(small_sources, args.items, args.seed, anchor, E2E_DIR / "small") as small:
            small_run = run_in_process(small, E2E_DIR / "in_process_small", anchor, None)
        results["memory_scale"] = {
            "small": {"sources": small_sources, "items": small_run["counts"]["articles"],
                      "peak_rss_mb": small_run["peak_rss_mb"]["in-process"], "wall_s": round(small_run["wall_s"], 1)},
            "large": {"sources": sources, "items": base["counts"]["articles"],
                      "peak_rss_mb": base["peak_rss_mb"]["in-process"], "wall_s": round(base["wall_s"], 1)},
        }  # fmt: skip
        results["memory_scale"]["ratio"] = round(
            results["memory_scale"]["large"]["peak_rss_mb"] / results["memory_scale"]["small"]["peak_rss_mb"], 2
        )
    if not args.skip_story_index:  # issue #16: clustering cost per new article against the window's size
        from benchmarks.bench_story_index import index_cost, report_cost

        log("story index: clustering cost per new article with 5,000 and 50,000 articles in the window")
        cost = index_cost()
        report_cost(cost)
        results["index_ms_per_article_at"] = cost["index_ms_per_article_at"]
        results["story_index"] = cost
    results["machine"] = machine()
    results["process_workers"] = os.cpu_count()
    results["airflow_env"] = overrides
    results["bench_s"] = round(time.monotonic() - started, 1)
    report(results)
    path = write_result(args.output, results)
    print(f"\nwritten to {path.relative_to(ROOT)} ({results['bench_s']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
