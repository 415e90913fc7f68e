#!/usr/bin/env bash
# Slurm: one array task per part. Submit with `sbatch docs/shards/slurm-array.sh`; the merge runs
# as a dependent job once every task has ended (`afterany`: a part with findings still merges).
#SBATCH --job-name=renstra
#SBATCH --array=1-100
#SBATCH --cpus-per-task=2
#SBATCH --mem=6G
#SBATCH --time=01:00:00
#SBATCH --output=logs/renstra-%A-%a.log
set -euo pipefail
INPUT=${INPUT:-/shared/renstra/input}
OUTPUT=${OUTPUT:-/shared/renstra/output}
mkdir -p "$OUTPUT"
if [[ -n "${MERGE:-}" ]]; then
  renstra summary --json --out "$OUTPUT" "$OUTPUT"/ringkasan-*.json > "$OUTPUT/ringkasan.json"
  exit 0
fi
K=$SLURM_ARRAY_TASK_ID
N=$SLURM_ARRAY_TASK_COUNT
renstra build "$INPUT" --out "$OUTPUT" --shard "$K/$N" --json --quiet > "$OUTPUT/ringkasan-$K.json" || true
# The last task to start submits the merge, waiting for the whole array.
if [[ "$K" == "$SLURM_ARRAY_TASK_MAX" ]]; then
  sbatch --dependency="afterany:$SLURM_ARRAY_JOB_ID" --array=1 --export=ALL,MERGE=1 "$0"
fi
