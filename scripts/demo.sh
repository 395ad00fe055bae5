#!/usr/bin/env bash
# The main job on the embedded default: a SQLite repository, the local site, the demo data.
#   scripts/demo.sh [WORKDIR]   (default: ./demo-work)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$PWD/demo-work}
butler() { node "$root/dist/cli/butler-ts.js" "$@"; }

rm -rf "$work/repo"
mkdir -p "$work"
butler create "$work/repo"
butler register-dataset-type "$work/repo" calexp ExposureF instrument visit detector
butler query-dataset-types "$work/repo" --verbose
butler query-collections "$work/repo"
