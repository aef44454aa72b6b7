# The cluster profile (bash), sourced after scripts/env.sh:
#   . scripts/env.sh && . scripts/cluster-env.sh && airflow celery list-workers
# PostgreSQL metadata database, CeleryExecutor with Redis as broker, the warehouse on PostgreSQL, and the
# raw store, digest previews and outbox under one folder every worker reaches ($CLUSTER_SHARED).
# scripts/cluster.sh sources both files to start and stop the processes. Every value below is only a
# default: a variable already set in the environment wins (the tests point the profile at their own
# databases, Redis database and port this way). Secrets (JWT secret, Fernet key, API secret key) are
# generated once into $CLUSTER_HOME/secrets.env, never into airflow.cfg.
if [ -z "${NEWSWATCH_ROOT:-}" ]; then
  . "$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)/env.sh"
fi

# Where the profile keeps its state: Airflow home, pid files, process logs, shared data.
export CLUSTER_HOME="${CLUSTER_HOME:-$NEWSWATCH_ROOT/var/cluster}"
# The storage every worker must reach: raw store, digest previews, outbox. On one machine a folder; on
# several machines a shared mount (NFS, EFS) — see docs/cluster.md for object storage.
export CLUSTER_SHARED="${CLUSTER_SHARED:-$CLUSTER_HOME/shared}"

export CLUSTER_PG="${CLUSTER_PG:-postgresql+psycopg://postgres@127.0.0.1:5432}"
export CLUSTER_META_DB="${CLUSTER_META_DB:-newswatch_airflow}"
export CLUSTER_WAREHOUSE_DB="${CLUSTER_WAREHOUSE_DB:-newswatch_cluster}"
export CLUSTER_REDIS="${CLUSTER_REDIS:-redis://127.0.0.1:6379}"
export CLUSTER_REDIS_DB="${CLUSTER_REDIS_DB:-3}"
export CLUSTER_API_HOST="${CLUSTER_API_HOST:-127.0.0.1}"
export CLUSTER_API_PORT="${CLUSTER_API_PORT:-8081}"   # `make run` uses 8080
export CLUSTER_WORKERS="${CLUSTER_WORKERS:-2}"
export CLUSTER_WORKER_CONCURRENCY="${CLUSTER_WORKER_CONCURRENCY:-2}"
export CLUSTER_NODE="${CLUSTER_NODE:-$(hostname 2>/dev/null || echo localhost)}"

# Airflow: its own home, PostgreSQL metadata, Celery on Redis with results in PostgreSQL.
export AIRFLOW_HOME="$CLUSTER_HOME/airflow"
export AIRFLOW__CORE__EXECUTOR="${AIRFLOW__CORE__EXECUTOR:-CeleryExecutor}"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-$CLUSTER_PG/$CLUSTER_META_DB}"
# Airflow derives an asyncpg URL for its async engine unless told otherwise; psycopg 3 does both.
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC="${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC:-$AIRFLOW__DATABASE__SQL_ALCHEMY_CONN}"
export AIRFLOW__CELERY__BROKER_URL="${AIRFLOW__CELERY__BROKER_URL:-$CLUSTER_REDIS/$CLUSTER_REDIS_DB}"
export AIRFLOW__CELERY__RESULT_BACKEND="${AIRFLOW__CELERY__RESULT_BACKEND:-db+$AIRFLOW__DATABASE__SQL_ALCHEMY_CONN}"
export AIRFLOW__CELERY__WORKER_CONCURRENCY="${AIRFLOW__CELERY__WORKER_CONCURRENCY:-$CLUSTER_WORKER_CONCURRENCY}"
export AIRFLOW__API__PORT="$CLUSTER_API_PORT"
export AIRFLOW__API__BASE_URL="${AIRFLOW__API__BASE_URL:-http://127.0.0.1:$CLUSTER_API_PORT}"
# Workers reach the API server's execution API to run tasks (their only way to the metadata database).
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="${AIRFLOW__CORE__EXECUTION_API_SERVER_URL:-http://127.0.0.1:$CLUSTER_API_PORT/execution/}"

# newswatch: the warehouse on PostgreSQL, everything tasks hand to each other on shared storage.
export NEWSWATCH_WAREHOUSE_URL="${NEWSWATCH_WAREHOUSE_URL:-$CLUSTER_PG/$CLUSTER_WAREHOUSE_DB}"
export NEWSWATCH_VAR="${NEWSWATCH_VAR:-$CLUSTER_SHARED}"
export NEWSWATCH_RAW_STORE="${NEWSWATCH_RAW_STORE:-$CLUSTER_SHARED/raw}"
export NEWSWATCH_OUTBOX="${NEWSWATCH_OUTBOX:-$CLUSTER_SHARED/outbox}"

mkdir -p "$AIRFLOW_HOME" "$CLUSTER_SHARED"
if [ ! -s "$CLUSTER_HOME/secrets.env" ]; then
  "$NEWSWATCH_ROOT/.venv/bin/python" - "$CLUSTER_HOME/secrets.env" <<'PY'
import base64, os, sys
from cryptography.fernet import Fernet
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "w") as f:
    f.write(f"AIRFLOW__API_AUTH__JWT_SECRET={base64.urlsafe_b64encode(os.urandom(32)).decode()}\n")
    f.write(f"AIRFLOW__API__SECRET_KEY={base64.urlsafe_b64encode(os.urandom(32)).decode()}\n")
    f.write(f"AIRFLOW__CORE__FERNET_KEY={Fernet.generate_key().decode()}\n")
PY
fi
# The same secrets for every component: the scheduler signs the workers' task tokens that the API
# server checks; the Fernet key encrypts connections and variables in the metadata database.
set -a
. "$CLUSTER_HOME/secrets.env"
set +a
