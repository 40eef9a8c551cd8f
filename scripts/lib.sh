# shellcheck shell=bash
# Shared helpers for the scripts in this folder. Source it from a bash script that runs with
# `set -euo pipefail`; every helper also reports its own failures, so it is safe to call them
# where errexit does not apply (in an `if` or on the left of `||`).
#
# Everything the scripts create lives under $ROOT/var/<instance>/ (pg/, redis/, secrets).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
VAR_DIR="$ROOT/var"

# shellcheck disable=SC2034  # the ports are used by the scripts that source this file
DEV_PG_PORT=55432 DEV_REDIS_PORT=56379 TEST_PG_PORT=55433 TEST_REDIS_PORT=56380

# Services started by this shell (e.g. "postgres dev", "redis dev 56379"), so a script can stop
# exactly what it started and leave alone what was already running.
started_services=()

log() { printf 'mundoctor: %s\n' "$*" >&2; }
warn() { printf 'mundoctor: warning: %s\n' "$*" >&2; }
die() {
  printf 'mundoctor: error: %s\n' "$*" >&2
  exit 1
}

is_ci() { [[ "${CI:-}" == "true" ]]; }

# -- packages -------------------------------------------------------------------------------

REQUIRED_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libcaf-dev libboost-dev libboost-system-dev libpqxx-dev libpq-dev libhiredis-dev
  libspdlog-dev libfmt-dev nlohmann-json3-dev libssl-dev libcurl4-openssl-dev zlib1g-dev
  libhowardhinnant-date-dev libtomlplusplus-dev libjemalloc-dev libgtest-dev libgmock-dev googletest
  postgresql-15 postgresql-contrib redis-server redis-tools wrk python3 python3-aiosmtpd
  openssl tzdata ca-certificates curl
)

# Installs the Debian packages that are missing; silent when everything is installed.
ensure_packages() {
  local missing=() pkg status
  for pkg in "${REQUIRED_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == *"ok installed"* ]] || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  if ((EUID != 0)); then
    die "missing packages (install them as root): apt-get install -y ${missing[*]}"
  fi
  log "installing ${#missing[@]} missing package(s): ${missing[*]}"
  apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || die "apt-get install failed for: ${missing[*]}"
}

# -- build ----------------------------------------------------------------------------------

# build_tree DIR TYPE [extra cmake args...]: configures DIR (only when it is new or the
# arguments changed) and builds everything in it. Output goes to DIR/build.log and is shown only
# when something fails.
build_tree() {
  local dir="$1" type="$2"
  shift 2
  [[ "$dir" == /* ]] || dir="$ROOT/$dir"
  local args=(-S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" -DMUNDOCTOR_WERROR=ON "$@")
  local stamp="$dir/.configure-args" build_log="$dir/build.log" wanted
  wanted="$(printf '%s\n' "${args[@]}")"
  mkdir -p "$dir" || die "cannot create $dir"
  : >"$build_log"
  log "building ($type) in ${dir#"$ROOT"/}..."
  if [[ ! -f "$dir/build.ninja" || ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    rm -f "$stamp" "$dir/CMakeCache.txt"
    if ! cmake "${args[@]}" >>"$build_log" 2>&1; then
      cat "$build_log" >&2
      die "cmake configure failed (full log: $build_log)"
    fi
    printf '%s\n' "$wanted" >"$stamp"
  fi
  if ! cmake --build "$dir" -j2 >>"$build_log" 2>&1; then
    cat "$build_log" >&2
    die "build failed (full log: $build_log)"
  fi
}

# -- shared helpers for the services --------------------------------------------------------

# True when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Describes who listens on PORT, for error messages.
port_owner() {
  local owner=""
  if command -v ss >/dev/null 2>&1; then
    owner="$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:.*' | head -n 1 || true)"
  fi
  printf '%s' "${owner:-an unknown process}"
}

# Adds the o+x bit (and only that bit) to DIR and each of its parents that lacks it, so the
# postgres user can reach a cluster below it.
make_traversable() {
  local dir="$1"
  while [[ -n "$dir" && "$dir" != "/" ]]; do
    if [[ -z "$(find "$dir" -maxdepth 0 -perm -o+x 2>/dev/null)" ]]; then
      log "adding o+x to $dir (the postgres user must traverse it)"
      chmod o+x "$dir" || die "cannot chmod o+x $dir"
    fi
    dir="$(dirname "$dir")"
  done
}

# -- PostgreSQL -----------------------------------------------------------------------------

# Sets PG_BIN to the PostgreSQL server binaries (15 preferred). Not a command substitution, so a
# failure stops the calling script.
PG_BIN=""
resolve_pg_bin() {
  [[ -n "$PG_BIN" ]] && return 0
  if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
    PG_BIN=/usr/lib/postgresql/15/bin
    return 0
  fi
  PG_BIN="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$PG_BIN" ]] || die "PostgreSQL server binaries not found (apt-get install postgresql-15)"
}

# Runs a command as the postgres user when we are root (initdb and pg_ctl refuse root).
as_postgres() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_dir() { printf '%s' "$VAR_DIR/$1/pg"; }

# Server options of cluster NAME on PORT. The test cluster trades durability for speed.
pg_server_options() {
  local name="$1" port="$2"
  local opts
  opts="-p $port -k '$(pg_dir "$name")/sock' -c listen_addresses=127.0.0.1"
  if [[ "$name" == "test" ]]; then
    opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
  fi
  printf '%s' "$opts"
}

pg_running() {
  local data
  resolve_pg_bin
  data="$(pg_dir "$1")/data"
  [[ -f "$data/PG_VERSION" ]] && as_postgres "$PG_BIN/pg_ctl" status -D "$data" >/dev/null 2>&1
}

pg_init_cluster() {
  local name="$1" base data
  base="$(pg_dir "$name")"
  data="$base/data"
  resolve_pg_bin
  mkdir -p "$VAR_DIR/$name" || die "cannot create $VAR_DIR/$name"
  if ((EUID == 0)); then
    install -d -o postgres -g postgres "$base" "$base/sock" || die "cannot create $base"
  else
    mkdir -p "$base/sock" || die "cannot create $base"
  fi
  make_traversable "$base"
  [[ -f "$data/PG_VERSION" ]] && return 0
  if [[ -e "$data" ]]; then
    die "$data exists but is not a PostgreSQL cluster; remove it and retry"
  fi
  log "creating PostgreSQL cluster '$name' in ${data#"$ROOT"/}"
  as_postgres "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$base/initdb.log" 2>&1 || {
    cat "$base/initdb.log" >&2
    die "initdb failed for cluster '$name'"
  }
}

pg_create_database() {
  local port="$1" db="$2" psql exists
  [[ "$db" =~ ^[A-Za-z0-9_]+$ ]] || die "invalid database name '$db'"
  psql="$PG_BIN/psql"
  exists="$("$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc \
    "SELECT 1 FROM pg_database WHERE datname = '$db'")" || die "cannot query PostgreSQL on port $port"
  [[ "$exists" == "1" ]] && return 0
  log "creating database '$db'"
  "$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE \"$db\"" \
    || die "cannot create database '$db'"
}

# start_postgres NAME PORT [DATABASE]: starts (or reuses) the project-local cluster NAME under
# var/NAME/pg on 127.0.0.1:PORT and creates DATABASE (default: NAME) when missing.
start_postgres() {
  local name="$1" port="$2" db="${3:-$1}" base running_port
  base="$(pg_dir "$name")"
  pg_init_cluster "$name"
  if pg_running "$name"; then
    running_port="$(sed -n 4p "$base/data/postmaster.pid" 2>/dev/null || true)"
    [[ "$running_port" == "$port" ]] \
      || die "PostgreSQL '$name' already runs on port ${running_port:-?}, not $port; run scripts/stop"
    log "PostgreSQL '$name' already running on port $port (reused)"
  else
    if port_in_use "$port"; then
      die "port $port is taken by $(port_owner "$port"), which is not the '$name' cluster in" \
        "${base#"$ROOT"/}; stop it or free the port"
    fi
    log "starting PostgreSQL '$name' on port $port"
    as_postgres "$PG_BIN/pg_ctl" start -D "$base/data" -l "$base/postgres.log" -w -t 60 \
      -o "$(pg_server_options "$name" "$port")" >/dev/null || {
      tail -n 20 "$base/postgres.log" >&2 || true
      die "PostgreSQL '$name' did not start (log: $base/postgres.log)"
    }
    started_services+=("postgres $name")
  fi
  pg_create_database "$port" "$db"
}

# restart_postgres NAME PORT: restarts the cluster with the options it was started with, waits.
restart_postgres() {
  local name="$1" port="$2" base
  base="$(pg_dir "$name")"
  resolve_pg_bin
  [[ -f "$base/data/PG_VERSION" ]] || die "no PostgreSQL cluster '$name' in $base"
  as_postgres "$PG_BIN/pg_ctl" restart -D "$base/data" -l "$base/postgres.log" -m fast -w \
    -t 60 -o "$(pg_server_options "$name" "$port")" >/dev/null \
    || die "PostgreSQL '$name' did not restart (log: $base/postgres.log)"
}

# stop_postgres NAME: stops the project-local cluster NAME if it runs.
stop_postgres() {
  local name="$1"
  if ! pg_running "$name"; then
    log "PostgreSQL '$name' is not running"
    return 0
  fi
  as_postgres "$PG_BIN/pg_ctl" stop -D "$(pg_dir "$name")/data" -m fast -w -t 60 >/dev/null \
    || die "PostgreSQL '$name' did not stop"
  log "stopped PostgreSQL '$name'"
}

# -- Redis ----------------------------------------------------------------------------------

redis_dir() { printf '%s' "$VAR_DIR/$1/redis"; }

# True when the Redis answering on PORT is the one whose pid file is in var/NAME/redis.
redis_is_ours() {
  local name="$1" port="$2" pidfile pid served_pid
  pidfile="$(redis_dir "$name")/redis.pid"
  [[ -s "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  served_pid="$(redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null \
    | tr -d '\r' | awk -F: '$1 == "process_id" { print $2 }')"
  [[ -n "$served_pid" && "$served_pid" == "$pid" ]]
}

redis_wait() {
  local port="$1" want="$2" i
  for ((i = 0; i < 200; i++)); do
    if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
      [[ "$want" == "up" ]] && return 0
    else
      [[ "$want" == "down" ]] && ! port_in_use "$port" && return 0
    fi
    sleep 0.05
  done
  return 1
}

# start_redis NAME PORT: starts (or reuses) a Redis without persistence under var/NAME/redis.
start_redis() {
  local name="$1" port="$2" dir
  dir="$(redis_dir "$name")"
  if redis_is_ours "$name" "$port"; then
    log "Redis '$name' already running on port $port (reused)"
    return 0
  fi
  if port_in_use "$port"; then
    die "port $port is taken by $(port_owner "$port"), which is not the '$name' Redis in" \
      "${dir#"$ROOT"/}; stop it or free the port"
  fi
  mkdir -p "$dir" || die "cannot create $dir"
  rm -f "$dir/redis.pid"
  log "starting Redis '$name' on port $port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save '' --appendonly no \
    || die "redis-server '$name' did not start (log: $dir/redis.log)"
  if ! redis_wait "$port" up; then
    tail -n 20 "$dir/redis.log" >&2 || true
    die "Redis '$name' does not answer PING on port $port (log: $dir/redis.log)"
  fi
  started_services+=("redis $name $port")
}

# stop_redis NAME PORT: stops the Redis of instance NAME; a foreign Redis on PORT is left alone.
stop_redis() {
  local name="$1" port="$2"
  if ! redis_is_ours "$name" "$port"; then
    if port_in_use "$port"; then
      log "Redis '$name' is not running (port $port belongs to $(port_owner "$port"); left alone)"
    else
      log "Redis '$name' is not running"
    fi
    return 0
  fi
  redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
  redis_wait "$port" down || die "Redis '$name' on port $port did not stop"
  rm -f "$(redis_dir "$name")/redis.pid"
  log "stopped Redis '$name'"
}

# Stops what this shell started, newest first.
stop_started_services() {
  local i entry parts
  for ((i = ${#started_services[@]} - 1; i >= 0; i--)); do
    entry="${started_services[i]}"
    read -r -a parts <<<"$entry"
    case "${parts[0]}" in
      postgres) stop_postgres "${parts[1]}" ;;
      redis) stop_redis "${parts[1]}" "${parts[2]}" ;;
    esac
  done
  started_services=()
}

# -- development environment ----------------------------------------------------------------

# Creates the development data key and ops token under var/dev when missing (mode 600).
ensure_dev_secrets() {
  local dir="$VAR_DIR/dev"
  mkdir -p "$dir" || die "cannot create $dir"
  if [[ ! -s "$dir/data-key" ]]; then
    (umask 077 && openssl rand -base64 32 >"$dir/data-key") || die "cannot create $dir/data-key"
    log "created development data key in var/dev/data-key"
  fi
  if [[ ! -s "$dir/ops-token" ]]; then
    (umask 077 && openssl rand -hex 32 >"$dir/ops-token") || die "cannot create $dir/ops-token"
    log "created development ops token in var/dev/ops-token"
  fi
  chmod 600 "$dir/data-key" "$dir/ops-token"
}

# set_default NAME VALUE: exports NAME=VALUE unless NAME is already set in the environment.
set_default() {
  if [[ -z "${!1+set}" ]]; then
    export "$1=$2"
  fi
}

# Exports the development configuration; MUNDOCTOR_* variables already set take precedence.
export_dev_environment() {
  set_default MUNDOCTOR_ENV development
  set_default MUNDOCTOR_DATABASE_URL "postgresql://postgres@127.0.0.1:$DEV_PG_PORT/mundoctor"
  set_default MUNDOCTOR_REDIS_URL "redis://127.0.0.1:$DEV_REDIS_PORT"
  set_default MUNDOCTOR_LISTEN "127.0.0.1:8000,127.0.0.1:8001"
  set_default MUNDOCTOR_OPS_TOKEN "$(cat "$VAR_DIR/dev/ops-token")"
  set_default MUNDOCTOR_DATA_KEY "$(cat "$VAR_DIR/dev/data-key")"
  set_default MUNDOCTOR_UPLOAD_DIR "$VAR_DIR/dev/uploads"
  set_default MUNDOCTOR_DEV_KEY_DIR "$VAR_DIR/dev"
}
