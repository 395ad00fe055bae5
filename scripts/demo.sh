#!/usr/bin/env bash
# The main job on the embedded default: demo data, a SQLite repository, and the demo pipeline
# submitted with bps-ts to the local site (88 quanta), then its report and the coadds it made.
# Works in ./demo-work of the project, as bps-configs/demo-local.yaml expects.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
butler() { node "$root/dist/cli/butler-ts.js" "$@"; }
bps() { node "$root/dist/cli/bps-ts.js" "$@"; }

rm -rf demo-work/repo demo-work/data
mkdir -p demo-work
butler make-demo-data demo-work/data
butler create demo-work/repo
butler setup-demo demo-work/repo demo-work/data
run=$(bps submit bps-configs/demo-local.yaml --json | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>process.stdout.write(JSON.parse(s).runId))')
bps report --id "$run"
butler query-datasets demo-work/repo deepCoadd_calexp
