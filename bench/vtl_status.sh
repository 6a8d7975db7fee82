#!/usr/bin/env bash
# Time of a full `rsmctl changer status --json` of a 10,000-slot tgtd virtual library over
# iSCSI on 127.0.0.1: starts a private library, runs the command RUNS times, prints min,
# median and max wall time, and stops the library.
#   bench/vtl_status.sh BUILD_DIR [RUNS]
set -euo pipefail
build=$1 runs=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/rsm-bench-vtl.XXXXXX)
trap '"$root/tests/vtl/vtl-stop" --dir "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=$("$root/tests/vtl/vtl-start" --dir "$dir" --port "$port" --slots 10000 --drives 4 \
    --ieports 8 --tapes 200)
times=()
for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$build/src/cli/rsmctl" changer --device "$url" status --json >/dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
printf 'vtl_status slots=10000 runs=%d min_ms=%.1f median_ms=%.1f max_ms=%.1f\n' "$n" \
    "$(echo "${sorted[0]}/1000" | bc -l)" "$(echo "${sorted[$((n / 2))]}/1000" | bc -l)" \
    "$(echo "${sorted[$((n - 1))]}/1000" | bc -l)"
