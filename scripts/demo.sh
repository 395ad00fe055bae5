#!/usr/bin/env bash
# The main job on the embedded default: demo data, a SQLite repository, the demo pipeline run locally.
#   scripts/demo.sh [WORKDIR]   (default: ./demo-work)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$PWD/demo-work}
butler() { node "$root/dist/cli/butler-ts.js" "$@"; }
qg() { node "$root/dist/cli/qg.js" "$@"; }

rm -rf "$work/repo" "$work/data"
mkdir -p "$work"
butler make-demo-data "$work/data"
butler create "$work/repo"
butler setup-demo "$work/repo" "$work/data"
qg run -b "$work/repo" -p "$root/pipelines/demo/DRP-demo.yaml" -i DemoCam/defaults -o u/demo -j 2
butler query-datasets "$work/repo" deepCoadd_calexp --collections u/demo
