#!/usr/bin/env bash
# Times `groundcrew inventory --aws` against moto_server seeded with 200 IAM roles, 500 secrets and 50 ECS services
# (override with ROLES/SECRETS/SERVICES). Needs moto_server, the aws CLI and python3 with boto3 (moto brings it).
# Run from the repository root after `dotnet build src/Groundcrew.Cli`; INVENTORY_ARGS adds options (e.g. --call-timeout 240).
set -euo pipefail
ROLES=${ROLES:-200} SECRETS=${SECRETS:-500} SERVICES=${SERVICES:-50}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1 && break; sleep 0.2; done
python3 bench/live/seed.py "http://127.0.0.1:$port" "$ROLES" "$SECRETS" "$SERVICES"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
out=$(mktemp)
start=$(date +%s.%N)
dotnet src/Groundcrew.Cli/bin/Debug/net10.0/groundcrew.dll inventory --aws --region us-east-1 --endpoint-url "http://127.0.0.1:$port" -o "$out" ${INVENTORY_ARGS:-}
end=$(date +%s.%N)
python3 - "$out" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
a = s["aws"]
print(f'snapshot: {len(a["roles"])} roles, {len(a["secrets"])} secrets, {sum(len(c["services"]) for c in a["ecsClusters"])} services, '
      f'{len(a["taskDefinitions"])} task definition revisions, {len(s["notCollected"])} parts not collected')
PY
echo "inventory took $(echo "$end - $start" | bc) s on $(nproc) cores"
rm -f "$out"
