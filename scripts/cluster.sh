#!/usr/bin/env bash
# The cluster profile on one machine: scheduler, dag-processor, API server, triggerer and Celery workers,
# each its own process, against the PostgreSQL and Redis given by scripts/cluster-env.sh.
#
#   scripts/cluster.sh start    migrate, create the pool, start every process, wait until all are up
#   scripts/cluster.sh stop     stop exactly the processes recorded in $CLUSTER_HOME/pids/
#   scripts/cluster.sh status   each process: up or down
#
# Process output goes to $CLUSTER_HOME/logs/<name>.log and each pid to $CLUSTER_HOME/pids/<name>.pid
# (CLUSTER_HOME defaults to var/cluster). Each process runs in its own session (setsid), so stopping one
# signals its process group — the component and its children (Celery pool processes, running tasks) —
# and nothing else on the machine. Knobs: the variables of scripts/cluster-env.sh, plus
# CLUSTER_START_TIMEOUT (s, default 240), CLUSTER_STOP_TIMEOUT (s, default 30) and
# CLUSTER_HTTP_POOL_SLOTS (default 4).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/env.sh"
. "$ROOT/scripts/cluster-env.sh"

PIDS="$CLUSTER_HOME/pids"
LOGS="$CLUSTER_HOME/logs"
PY="$NEWSWATCH_ROOT/.venv/bin/python"
START_TIMEOUT="${CLUSTER_START_TIMEOUT:-240}"
STOP_TIMEOUT="${CLUSTER_STOP_TIMEOUT:-30}"
POOL_SLOTS="${CLUSTER_HTTP_POOL_SLOTS:-4}"
PASSWORDS="$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"
API_URL="http://$CLUSTER_API_HOST:$CLUSTER_API_PORT"

components() {
  echo scheduler dag-processor api-server triggerer
  for i in $(seq 1 "$CLUSTER_WORKERS"); do echo "worker$i"; done
}

# Everything with a pid file, also what a start with other settings (more workers) left running.
recorded() {
  local f
  for f in "$PIDS"/*.pid; do [ -e "$f" ] && basename "$f" .pid; done
  return 0
}

known() { (components | tr ' ' '\n'; recorded) | awk 'NF && !seen[$0]++'; }

worker_name() { echo "$1@$CLUSTER_NODE"; }  # worker1 → worker1@host, the Celery node name

# The recorded pid of a component when that process (or what is left of its process group) still runs.
# The start time recorded beside the pid tells our process from another that got the same pid later.
live_pid() {
  local name="$1" pid started
  [ -s "$PIDS/$name.pid" ] || return 1
  pid="$(cat "$PIDS/$name.pid")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  if [ -e "/proc/$pid" ]; then
    started="$(ps -o lstart= -p "$pid" 2>/dev/null || true)"
    [ "$started" = "$(cat "$PIDS/$name.start" 2>/dev/null)" ] || return 1
  fi
  # A pid stays reserved while a process group of that id exists, so a live group is ours.
  kill -0 -- "-$pid" 2>/dev/null || return 1
  echo "$pid"
}

launch() {  # launch NAME ENV-ASSIGNMENTS... -- COMMAND...
  local name="$1" pid
  shift
  local assignments=()
  while [ "$1" != "--" ]; do assignments+=("$1"); shift; done
  shift
  # Not a process group leader here (no job control in scripts), so setsid does not fork: $! is the process.
  env ${assignments[@]+"${assignments[@]}"} setsid nohup "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDS/$name.pid"
  ps -o lstart= -p "$pid" >"$PIDS/$name.start" 2>/dev/null || true
  echo "  $name: pid $pid, log $LOGS/$name.log"
}

log_tails() {
  local name
  for name in $(components); do
    if [ -s "$LOGS/$name.log" ]; then
      echo "----- $LOGS/$name.log (last 25 lines)" >&2
      tail -n 25 "$LOGS/$name.log" >&2
    fi
  done
}

# Check PostgreSQL, Redis and the API port; create the metadata and warehouse databases if missing.
prepare_services() {
  "$PY" - <<'PY'
import os, socket, sys

import redis
from sqlalchemy import create_engine, make_url, text

def fail(message: str) -> None:
    sys.exit(f"cluster: {message}")

host, port = os.environ["CLUSTER_API_HOST"], int(os.environ["CLUSTER_API_PORT"])
with socket.socket() as sock:
    try:
        sock.bind((host, port))
    except OSError as exc:
        fail(f"port {host}:{port} for the API server is taken ({exc.strerror}): is `make run` or another "
             "cluster running? Set CLUSTER_API_PORT to a free port.")

broker = os.environ["AIRFLOW__CELERY__BROKER_URL"]
try:
    redis.Redis.from_url(broker, socket_connect_timeout=3).ping()
except Exception as exc:
    fail(f"Redis broker {broker} does not answer: {exc}")

databases = [("metadata", os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])]
if os.environ["NEWSWATCH_WAREHOUSE_URL"].startswith("postgres"):
    databases.append(("warehouse", os.environ["NEWSWATCH_WAREHOUSE_URL"]))
for role, url in databases:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("select 1 from pg_database where datname = :n"), {"n": parsed.database})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
                print(f"  created the {role} database {parsed.database}")
    except Exception as exc:
        fail(f"PostgreSQL for the {role} database ({parsed.render_as_string()}) does not answer: {exc}")
    finally:
        admin.dispose()
PY
}

run_logged() {  # run_logged LOGNAME COMMAND...: quiet unless it fails
  local log="$LOGS/$1.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    echo "cluster: '$*' failed; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
}

# Wait until the API server reports the metadata database, scheduler, triggerer and dag-processor healthy
# and every Celery worker answers a ping; fail early when a process exits.
wait_until_up() {
  local args=()
  local name
  for name in $(components); do args+=("$name=$(cat "$PIDS/$name.pid")"); done
  "$PY" - "$START_TIMEOUT" "$API_URL" "${args[@]}" <<'PY'
import json, os, sys, time, urllib.request

from celery import Celery

timeout, api = float(sys.argv[1]), sys.argv[2]
pids = dict(arg.split("=", 1) for arg in sys.argv[3:])
workers = {f"{name}@{os.environ['CLUSTER_NODE']}" for name in pids if name.startswith("worker")}
app = Celery(broker=os.environ["AIRFLOW__CELERY__BROKER_URL"])
deadline = time.monotonic() + timeout
health: dict = {}
answered: set = set()
while True:
    for name, pid in pids.items():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            sys.exit(f"cluster: {name} (pid {pid}) exited during start-up")
    try:
        with urllib.request.urlopen(f"{api}/api/v2/monitor/health", timeout=5) as response:
            health = json.load(response)
    except OSError:
        health = {}
    down = [part for part in ("metadatabase", "scheduler", "triggerer", "dag_processor")
            if (health.get(part) or {}).get("status") != "healthy"]
    try:
        answered = {name for reply in app.control.ping(timeout=1.0) for name in reply}
    except Exception:
        answered = set()
    missing = sorted(workers - answered)
    if not down and not missing:
        print(f"  healthy: {', '.join(sorted(health))}; workers: {', '.join(sorted(answered & workers))}")
        sys.exit(0)
    if time.monotonic() > deadline:
        what = [f"API health at {api}: " + (", ".join(f"{p} not healthy" for p in down) if health else "no answer")
                ] if down else []
        what += [f"workers not answering: {', '.join(missing)}"] if missing else []
        sys.exit(f"cluster: not up after {timeout:.0f} s — {'; '.join(what)}")
    time.sleep(2)
PY
}

start() {
  local name running=()
  for name in $(known); do
    if live_pid "$name" >/dev/null; then running+=("$name"); fi
  done
  if [ ${#running[@]} -gt 0 ]; then
    echo "cluster: already running (${running[*]}); 'scripts/cluster.sh stop' first" >&2
    exit 1
  fi
  mkdir -p "$PIDS" "$LOGS" "$NEWSWATCH_RAW_STORE" "$NEWSWATCH_OUTBOX"
  rm -f "$PIDS"/*.pid "$PIDS"/*.start
  echo "cluster: metadata $(redact "$AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"), broker $(redact "$AIRFLOW__CELERY__BROKER_URL")," \
    "warehouse $(redact "$NEWSWATCH_WAREHOUSE_URL"), shared storage $CLUSTER_SHARED"
  prepare_services
  echo "cluster: migrating the metadata database and the warehouse"
  run_logged db-migrate airflow db migrate
  run_logged pools airflow pools set newswatch_http "$POOL_SLOTS" "HTTP polling and fetching across all newswatch tasks"
  run_logged warehouse-upgrade newswatch db upgrade
  if [ ! -s "$PASSWORDS" ]; then
    "$PY" -c "import json, os, secrets, sys; fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600); \
os.write(fd, json.dumps({'admin': secrets.token_urlsafe(12)}).encode())" "$PASSWORDS"
  fi

  echo "cluster: starting $(components | tr '\n' ' ')"
  launch scheduler -- airflow scheduler
  launch dag-processor -- airflow dag-processor
  launch api-server -- airflow api-server --host "$CLUSTER_API_HOST" --port "$CLUSTER_API_PORT"
  # All processes share this machine's log folder, so the API server reads task logs from disk and no
  # log-serving port is opened (on separate machines, use remote logging: see docs/cluster.md).
  launch triggerer -- airflow triggerer --skip-serve-logs
  for i in $(seq 1 "$CLUSTER_WORKERS"); do
    # Two workers on one machine share its host name; each reports its Celery node name instead, so the
    # task instances say which worker ran them.
    launch "worker$i" NEWSWATCH_WORKER_HOSTNAME="$(worker_name "worker$i")" \
      AIRFLOW__CORE__HOSTNAME_CALLABLE=newswatch.cluster.worker_hostname -- \
      airflow celery worker --celery-hostname "$(worker_name "worker$i")" \
      --concurrency "$CLUSTER_WORKER_CONCURRENCY" --skip-serve-logs --without-mingle --without-gossip
  done

  echo "cluster: waiting (up to ${START_TIMEOUT} s) for the API server, scheduler, dag-processor, triggerer and workers"
  if ! wait_until_up; then
    log_tails
    echo "cluster: start-up failed; stopping what was started (logs kept in $LOGS)" >&2
    stop >&2
    exit 1
  fi
  echo "cluster: up — UI and API on $API_URL, log in as admin with password" \
    "$("$PY" -c "import json, sys; print(json.load(open(sys.argv[1]))['admin'])" "$PASSWORDS") (kept in $PASSWORDS)"
  echo "cluster: 'make cluster-status' shows the processes, 'make cluster-stop' stops them"
}

redact() { sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#' <<<"$1"; }

# Every descendant of a process. Airflow's task supervisor puts each task process in a process group of
# its own, so signalling a worker's group alone would leave its running tasks behind.
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

stop() {
  local name pid signalled=() tree=()
  for name in $(known); do
    if pid="$(live_pid "$name")"; then
      tree+=($(descendants "$pid"))
      kill -TERM -- "-$pid" 2>/dev/null || true
      signalled+=("$name:$pid")
    fi
  done
  for pid in ${tree[@]+"${tree[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
  local deadline=$((SECONDS + STOP_TIMEOUT)) entry alive
  while :; do
    alive=()
    for entry in ${signalled[@]+"${signalled[@]}"}; do
      if kill -0 -- "-${entry#*:}" 2>/dev/null; then alive+=("$entry"); fi
    done
    for pid in ${tree[@]+"${tree[@]}"}; do
      if kill -0 "$pid" 2>/dev/null; then alive+=("task-process:$pid"); fi
    done
    [ ${#alive[@]} -eq 0 ] && break
    if [ $SECONDS -ge $deadline ]; then
      for entry in "${alive[@]}"; do
        echo "cluster: ${entry%%:*} (pid ${entry#*:}) still running after ${STOP_TIMEOUT} s: KILL" >&2
        for pid in $(descendants "${entry#*:}"); do kill -KILL "$pid" 2>/dev/null || true; done
        kill -KILL -- "-${entry#*:}" 2>/dev/null || kill -KILL "${entry#*:}" 2>/dev/null || true
      done
      sleep 1
      break
    fi
    sleep 0.5
  done
  for entry in ${signalled[@]+"${signalled[@]}"}; do echo "cluster: stopped ${entry%%:*} (pid ${entry#*:})"; done
  [ ${#signalled[@]} -gt 0 ] || echo "cluster: nothing running"
  rm -f "$PIDS"/*.pid "$PIDS"/*.start
}

status() {
  local name pid any_down=0
  for name in $(known); do
    if pid="$(live_pid "$name")" && [ -e "/proc/$pid" ]; then
      printf '%-14s up    pid %-8s since %s\n' "$name" "$pid" "$(cat "$PIDS/$name.start" 2>/dev/null)"
    elif [ -n "${pid:-}" ]; then
      printf '%-14s down  (pid %s exited, processes of its group remain: stop ends them)\n' "$name" "$pid"
      any_down=1
    elif [ -s "$PIDS/$name.pid" ]; then
      printf '%-14s down  (pid %s exited; see %s)\n' "$name" "$(cat "$PIDS/$name.pid")" "$LOGS/$name.log"
      any_down=1
    else
      printf '%-14s down\n' "$name"
      any_down=1
    fi
    pid=""
  done
  echo "API: $API_URL"
  return $any_down
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
