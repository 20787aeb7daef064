#!/bin/sh
# The KIP image's entrypoint: `serve`, `migrate`, `setup` or `healthcheck` for the service in $KIP_SERVICE;
# anything else is run as given (e.g. `kip token --role sem`).
set -eu

service="${KIP_SERVICE:-gateway}"
port="${KIP_PORT:-8000}"

case "$service" in
  gateway|programme|funding|evaluation|webhooks) ;;
  *) echo "KIP_SERVICE must be gateway, programme, funding, evaluation or webhooks, not '$service'" >&2; exit 64 ;;
esac

command="${1:-serve}"
case "$command" in
  serve)
    # Header read time is bounded by kit.serving; forwarding headers are believed only from KIP_TRUSTED_PROXIES
    # (kit.proxies; set it to the ingress' or the gateway's addresses).
    exec uvicorn "${service}.main:create_app" --factory --host 0.0.0.0 --port "$port" \
      --no-access-log --http kit.serving:H11Protocol --no-proxy-headers \
      --timeout-graceful-shutdown 20
    ;;
  migrate)
    if [ "$service" = gateway ]; then
      echo "gateway: no database, nothing to migrate"
      exit 0
    fi
    exec python - "$service" <<'PY'
import importlib
import os
import sys

service = sys.argv[1]
url = os.environ.get(f"{service.upper()}_DATABASE_URL")
if not url:
    sys.exit(f"{service.upper()}_DATABASE_URL is not set")
importlib.import_module(f"{service}.cli").migrate(url)
print(f"{service}: migrated to head")
PY
    ;;
  setup)
    if [ -z "${KIP_AUTH_JWKS_URL:-}" ]; then
      python -c "from kit.auth import ensure_local_keypair; from kit.settings import AuthSettings; ensure_local_keypair(AuthSettings().local_key_dir)"
    fi
    kip db-create
    if [ "${KIP_SEED:-false}" = true ]; then
      kip seed
    fi
    ;;
  healthcheck)
    exec python -c "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:${port}/healthz', timeout=3).status == 200 else 1)"
    ;;
  *)
    exec "$@"
    ;;
esac
