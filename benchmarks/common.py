"""Helpers shared by the benchmarks: where results go, a PostgreSQL scratch database (the tests' own
helpers, ``tests.support.services``, on the benchmarks' server), table printing."""

from __future__ import annotations

import json
import os
import platform
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from tests.support.services import postgres_check, scratch_database

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
PG_ADMIN_URL = os.environ.get("NEWSWATCH_BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_result(name: str, payload: dict[str, Any]) -> Path:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def print_table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    cells = [header, *[[_cell(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        if index == 0:
            print("  ".join("-" * w for w in widths))


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def postgres_available() -> bool:
    try:
        postgres_check(PG_ADMIN_URL)
        return True
    except Exception:  # no server: the benchmark says so and measures SQLite only
        return False


def scratch_postgres() -> AbstractContextManager[str]:
    """A new, empty PostgreSQL database for one benchmark run, dropped afterwards."""
    return scratch_database(PG_ADMIN_URL, "newswatch_bench")
