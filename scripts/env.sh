# Source this file (bash) to run Airflow and newswatch commands on this project:
#   . scripts/env.sh && airflow dags list
# It points Airflow at the committed airflow.cfg and at its home, $AIRFLOW_HOME if set (made absolute),
# else var/airflow; puts the venv first on PATH; and generates the per-machine secrets (JWT secret,
# Fernet key) once into $AIRFLOW_HOME/secrets.env.
NEWSWATCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
export NEWSWATCH_ROOT
AIRFLOW_HOME="${AIRFLOW_HOME:-$NEWSWATCH_ROOT/var/airflow}"
case "$AIRFLOW_HOME" in
  /*) ;;
  *) AIRFLOW_HOME="$PWD/$AIRFLOW_HOME" ;;  # airflow.cfg's paths (${AIRFLOW_HOME}/airflow.db, logs) need it absolute
esac
export AIRFLOW_HOME
export AIRFLOW_CONFIG="$NEWSWATCH_ROOT/airflow.cfg"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export PATH="$NEWSWATCH_ROOT/.venv/bin:$PATH"
mkdir -p "$AIRFLOW_HOME"
if [ ! -s "$AIRFLOW_HOME/secrets.env" ]; then
  "$NEWSWATCH_ROOT/.venv/bin/python" - "$AIRFLOW_HOME/secrets.env" <<'PY'
import base64, os, sys
from cryptography.fernet import Fernet
with open(sys.argv[1], "w") as f:
    f.write(f"AIRFLOW__API_AUTH__JWT_SECRET={base64.urlsafe_b64encode(os.urandom(32)).decode()}\n")
    f.write(f"AIRFLOW__CORE__FERNET_KEY={Fernet.generate_key().decode()}\n")
os.chmod(sys.argv[1], 0o600)
PY
fi
set -a
. "$AIRFLOW_HOME/secrets.env"
set +a
