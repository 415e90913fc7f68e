#!/usr/bin/env bash
# One multi-core server: N parts at once with GNU parallel, then one merged summary.
# Usage: docs/shards/parallel.sh INPUT OUTPUT [N]   (N defaults to the number of cores)
set -euo pipefail
input=${1:?input folder}
output=${2:?output folder}
parts=${3:-$(nproc)}
mkdir -p "$output"
# Each part builds its units one at a time, so N parts use N cores. `|| true`: a part whose units
# have error-level findings still has a summary to merge; `renstra summary` gives the exit code.
seq 1 "$parts" | RAYON_NUM_THREADS=1 parallel --line-buffer \
  "renstra build '$input' --out '$output' --shard {}/$parts --json --quiet > '$output/ringkasan-{}.json' || true"
renstra summary --out "$output" "$output"/ringkasan-*.json
