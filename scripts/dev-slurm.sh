#!/usr/bin/env bash
# Starts, stops or reports a private one-node Slurm cluster (munged + slurmctld + slurmd) for tests
# and development. Loopback only; config, state, logs, sockets and pid files all live in DIR; nothing
# in /etc is used. Installs Debian's slurm-wlm packages (22.05 on Debian 12) if missing. Run as root.
#   scripts/dev-slurm.sh start|stop|status [DIR]        (DIR defaults to $PWD/.dev/slurm)
# `start` prints the line to export on stdout: SLURM_CONF=DIR/slurm.conf (logs go to stderr).
# `stop` ends only the processes this script started (pid files in DIR/run) and their job steps.
# `status` exits 0 when all three daemons run and the controller answers, 3 otherwise.
# Environment: BPS_SLURM_DIR (DIR), BPS_SLURM_CTLD_PORT (16817), BPS_SLURM_SLURMD_PORT (16818),
#   BPS_SLURM_CPUS (CPUs advertised by the node, default 2).
set -euo pipefail

cmd=${1:-status}
dir=${2:-${BPS_SLURM_DIR:-$PWD/.dev/slurm}}
dir=$(realpath -m -- "$dir")
ctld_port=${BPS_SLURM_CTLD_PORT:-16817}
slurmd_port=${BPS_SLURM_SLURMD_PORT:-16818}
cpus=${BPS_SLURM_CPUS:-2}
conf=$dir/slurm.conf
run=$dir/run
node=$(hostname -s)
export SLURM_CONF=$conf

log() { echo "dev-slurm: $*" >&2; }
die() { log "$*"; exit 1; }

case "$dir" in
  *[[:space:]]*) die "DIR '$dir' contains whitespace, which slurm.conf cannot express; choose another directory" ;;
esac

# A pid is alive when /proc/PID exists, is not a zombie (PID 1 here reaps late) and runs the
# expected program.
alive() {
  local pid=$1 comm=$2 stat
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ]
}

pid_of() { [ -f "$1" ] && tr -dc 0-9 <"$1" || true; }

munged_pid() { pid_of "$run/munged.pid"; }
ctld_pid() { pid_of "$run/slurmctld.pid"; }
slurmd_pid() { pid_of "$run/slurmd-$node.pid"; }

munged_up() { alive "$(munged_pid)" munged; }
ctld_up() { alive "$(ctld_pid)" slurmctld; }
slurmd_up() { alive "$(slurmd_pid)" slurmd; }

install_packages() {
  local need=0 b
  for b in slurmctld slurmd sbatch munged mungekey; do command -v "$b" >/dev/null 2>&1 || need=1; done
  if [ "$need" = 0 ]; then return 0; fi
  [ "$(id -u)" = 0 ] || die "Slurm is not installed and installing it needs root: apt-get install slurmctld slurmd slurm-client munge"
  export DEBIAN_FRONTEND=noninteractive
  local pkgs=(slurmctld slurmd slurm-client munge)
  log "installing ${pkgs[*]}..."
  # Update the package lists only when apt does not know the packages or the install fails (stale lists).
  if ! apt-cache show slurmctld >/dev/null 2>&1; then apt-get update -qq >&2; fi
  if ! apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2; then
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2
  fi
}

real_memory_mb() {
  local kb
  kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
  # 90 % of MemTotal: a RealMemory above what slurmd measures would make the node invalid.
  echo $((kb * 9 / 10 / 1024))
}

write_config() {
  local tmp=$conf.tmp
  cat >"$tmp" <<EOF
# Written by scripts/dev-slurm.sh: a private one-node cluster on loopback. Do not edit; rewritten on start.
ClusterName=bpsdev
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$run/slurmctld.pid
SlurmdPidFile=$run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1024
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,default_queue_depth=1000,bf_interval=5
ReturnToService=2
EnforcePartLimits=ALL
MinJobAge=86400
MaxJobCount=200000
MaxArraySize=100001
KillWait=5
OverTimeLimit=0
InactiveLimit=0
SlurmdParameters=config_overrides
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
NodeName=$node NodeHostname=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$(real_memory_mb) State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  mv -f "$tmp" "$conf"
}

wait_for() {
  local what=$1 tries=$2; shift 2
  local i
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  die "timed out waiting for $what; see $dir/log/"
}

node_ready() {
  local state
  state=$(sinfo -h -N -n "$node" -o %T 2>/dev/null) || return 1
  # idle on a fresh start; mixed/allocated when jobs kept from a previous start are still running.
  case "$state" in idle | mixed | allocated) return 0 ;; *) return 1 ;; esac
}

start_munged() {
  local m=$dir/munge
  if [ ! -s "$m/munge.key" ]; then
    mungekey --create --keyfile="$m/munge.key" 2>/dev/null || dd if=/dev/urandom of="$m/munge.key" bs=1024 count=1 status=none
    chmod 600 "$m/munge.key"
  fi
  rm -f "$m/munge.socket" "$m/munge.socket.lock"
  munged --socket="$m/munge.socket" --key-file="$m/munge.key" --pid-file="$run/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$m/munged.seed" >&2 \
    || die "munged did not start; see $dir/log/munged.log (every directory above $m must be o+x)"
  wait_for "munged" 50 munged_up
  munge -S "$m/munge.socket" -n 2>/dev/null | unmunge -S "$m/munge.socket" >/dev/null 2>&1 \
    || die "munge self-test failed on $m/munge.socket; see $dir/log/munged.log"
}

do_start() {
  [ "$(id -u)" = 0 ] || die "the dev cluster runs its daemons as root (SlurmUser=root); run this script as root"
  install_packages
  mkdir -p "$run" "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  # munged insists that every directory on the path to its socket is o+x and not group/world-writable.
  chmod 755 "$dir" "$dir/munge"
  if munged_up && ctld_up && slurmd_up && scontrol ping >/dev/null 2>&1; then
    log "already running"
    echo "SLURM_CONF=$conf"
    return 0
  fi
  write_config
  munged_up || start_munged
  if ! ctld_up; then
    slurmctld -f "$conf" -i >&2 || die "slurmctld did not start; see $dir/log/slurmctld.log"
  fi
  wait_for "slurmctld (scontrol ping)" 150 scontrol ping
  if ! slurmd_up; then
    slurmd -f "$conf" -N "$node" >&2 || die "slurmd did not start; see $dir/log/slurmd-$node.log"
  fi
  wait_for "node $node to become idle (sinfo)" 150 node_ready
  log "cluster up in $dir"
  echo "SLURM_CONF=$conf"
}

# Kills slurmstepd processes of this cluster (recognised by SLURM_CONF in their environment) and
# their descendants: slurmstepd outlives slurmd by design.
kill_stepds() {
  local p victims=() children
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = slurmstepd ] || continue
    alive "$p" slurmstepd || continue
    { tr '\0' '\n' <"/proc/$p/environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$conf" || continue
    victims+=("$p")
  done
  local i=0
  while [ "$i" -lt "${#victims[@]}" ]; do
    children=$(cat /proc/"${victims[$i]}"/task/*/children 2>/dev/null || true)
    for p in $children; do victims+=("$p"); done
    i=$((i + 1))
  done
  if [ "${#victims[@]}" -gt 0 ]; then
    log "killing leftover job steps: ${victims[*]}"
    kill -KILL "${victims[@]}" 2>/dev/null || true
  fi
}

do_stop() {
  local ids i pids=()
  if ctld_up; then
    ids=$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ' || true)
    if [ -n "${ids// /}" ]; then
      # shellcheck disable=SC2086
      scancel $ids 2>/dev/null || true
      for ((i = 0; i < 75; i++)); do
        [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break
        sleep 0.2
      done
    fi
  fi
  if ctld_up; then pids+=("$(ctld_pid)"); fi
  if slurmd_up; then pids+=("$(slurmd_pid)"); fi
  if [ "${#pids[@]}" -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      ctld_up || slurmd_up || break
      sleep 0.2
    done
    if ctld_up; then kill -KILL "$(ctld_pid)" 2>/dev/null || true; fi
    if slurmd_up; then kill -KILL "$(slurmd_pid)" 2>/dev/null || true; fi
  fi
  kill_stepds
  if munged_up; then
    kill -TERM "$(munged_pid)" 2>/dev/null || true
    for ((i = 0; i < 25; i++)); do munged_up || break; sleep 0.2; done
    if munged_up; then kill -KILL "$(munged_pid)" 2>/dev/null || true; fi
  fi
  rm -f "$run/slurmctld.pid" "$run/slurmd-$node.pid" "$run/munged.pid" "$dir/munge/munge.socket" "$dir/munge/munge.socket.lock"
  log "stopped"
}

do_status() {
  local up=()
  if munged_up; then up+=(munged); fi
  if ctld_up; then up+=(slurmctld); fi
  if slurmd_up; then up+=(slurmd); fi
  if [ "${#up[@]}" = 3 ] && scontrol ping >/dev/null 2>&1; then
    echo "running: SLURM_CONF=$conf"
  elif [ "${#up[@]}" = 0 ]; then
    echo "stopped"
    exit 3
  else
    echo "partly running (${up[*]}); run '$0 stop $dir' then start"
    exit 3
  fi
}

case "$cmd" in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  *)
    echo "usage: $0 start|stop|status [DIR]" >&2
    exit 2
    ;;
esac
