#!/usr/bin/env bash
# Installs, from Debian's packages, the tools minik's tests and benchmarks use.
# Idempotent: does nothing (no apt-get update) when every binary is already there.
#   bash scripts/install-tools.sh              # tests + benchmarks: ps, taskset, nginx, wrk, hyperfine
#   bash scripts/install-tools.sh --test-only  # what the test suite needs: ps, taskset, git, chromium (dashboard tests),
#                                              # redis-server and psql/pg_dump/pg_restore (add-ons), and the
#                                              # Ruby, PHP, Go, JDK, Maven and Leiningen toolchains the buildpack tests build with
#                                              # (Scala needs only the JDK: minik fetches sbt's launcher from Maven Central)
# Never leaves a system nginx running: the package's init script is kept from starting it, and if
# one got started anyway it is stopped through /run/nginx.pid (that process only).
set -euo pipefail

mode=all
for arg in "$@"; do
  case "$arg" in
    --test-only) mode=test ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "install-tools: unknown option '$arg' (try --test-only)" >&2; exit 2 ;;
  esac
done

# binary -> Debian package providing it
declare -A pkg_of=([ps]=procps [taskset]=util-linux [git]=git [chromium]=chromium [ruby]=ruby [bundle]=ruby-bundler [php]=php-cli [go]=golang-go [java]=default-jdk-headless [mvn]=maven)
# Clojure (issue 19): Debian's Leiningen (it brings Clojure itself as a Debian library), and Debian's clojure
# (only clojure.main, not the Clojure CLI: the test of a deps.edn app without the CLI runs it).
pkg_of+=([lein]=leiningen [clojure]=clojure)
# Add-ons (issue 11): Redis's server, and Postgres's client tools (the server comes from npm).
pkg_of+=([redis-server]=redis-server [redis-cli]=redis-tools [psql]=postgresql-client [pg_dump]=postgresql-client [pg_restore]=postgresql-client)
# Gems the Ruby fixture uses, from Debian's packages (RubyGems itself may be out of reach): checked as files.
declare -A gem_pkg_of=([/usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec]=ruby-rack [/usr/share/rubygems-integration/all/specifications/webrick-1.8.1.gemspec]=ruby-webrick)
if [[ $mode == all ]]; then
  pkg_of+=([nginx]=nginx-light [wrk]=wrk [hyperfine]=hyperfine)
fi

have() { command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 || -x /sbin/$1 ]]; }

missing=()
for bin in "${!pkg_of[@]}"; do
  have "$bin" || [[ " ${missing[*]} " == *" ${pkg_of[$bin]} "* ]] || missing+=("${pkg_of[$bin]}")
done
for spec in "${!gem_pkg_of[@]}"; do
  compgen -G "${spec%-*}-*.gemspec" >/dev/null || missing+=("${gem_pkg_of[$spec]}")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
    echo "install-tools: missing ${missing[*]} and not root (no sudo): install them by hand" >&2
    exit 1
  fi
else
  SUDO=()
fi

# Keep Debian's maintainer scripts from starting services (nginx) while we install.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod 755 "$policy"
  added_policy=1
fi
cleanup() { if ((added_policy)); then "${SUDO[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

echo "install-tools: installing ${missing[*]}" >&2
apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300)
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=300 >/dev/null
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" "${missing[@]}" >/dev/null

# If the package started a system nginx anyway, stop that master (and only it).
pidfile=/run/nginx.pid
if [[ -s $pidfile ]]; then
  pid=$(tr -dc '0-9' <"$pidfile")
  if [[ -n $pid ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == nginx ]]; then
    echo "install-tools: stopping the nginx service the package started (pid $pid)" >&2
    "${SUDO[@]}" kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do [[ -d /proc/$pid ]] || break; sleep 0.1; done
    [[ -d /proc/$pid ]] && "${SUDO[@]}" kill -KILL "$pid" 2>/dev/null || true
  fi
fi

for bin in "${!pkg_of[@]}"; do
  have "$bin" || { echo "install-tools: '$bin' still missing after installing ${pkg_of[$bin]}" >&2; exit 1; }
done
