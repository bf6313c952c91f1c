#!/usr/bin/env bash
# DataForge launcher. Builds on first use (and when sources changed), then runs the CLI.
#   ./run.sh                          run examples/user-events.yaml until Ctrl-C
#   ./run.sh run FILE [--events N] [--duration D] [--summary FILE]
#   ./run.sh validate FILE
#   ./run.sh chaos [--sink duckdb|postgres|kafka|duckdb+postgres] [--kills N] [--instances K] [--outage 30s] ...
#   ./run.sh bench [--quick] [--pipeline FILE] [--out DIR] [--p99 1ms] [--no-kafka]
#   ./run.sh tune check [--pipeline FILE]
#   ./run.sh --help
# A JVM profile (ops/jvm/NAME.flags) applies with --profile NAME as the first arguments, or DATAFORGE_PROFILE=NAME:
#   ./run.sh --profile low-latency run FILE
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The JVM profile, chosen before anything is built so that a wrong name fails at once (exit 2, as bad input does).
profiles="$here/ops/jvm"
known_profiles() {
  local names=() f
  for f in "$profiles"/*.flags; do [ -f "$f" ] && names+=("$(basename "$f" .flags)"); done
  local IFS=,
  echo "${names[*]}" | sed 's/,/, /g'
}
profile="${DATAFORGE_PROFILE:-}"
profile_from="DATAFORGE_PROFILE"
case "${1:-}" in
  --profile)
    if [ $# -lt 2 ] || [ -z "$2" ]; then
      echo "run.sh: --profile needs a name (known: $(known_profiles))" >&2
      exit 2
    fi
    profile="$2"; profile_from="--profile"; shift 2 ;;
  --profile=*) profile="${1#--profile=}"; profile_from="--profile"; shift ;;
esac
profile_flags=()
if [ -n "$profile" ]; then
  if ! [[ "$profile" =~ ^[a-z0-9][a-z0-9-]*$ ]] || [ ! -f "$profiles/$profile.flags" ]; then
    echo "run.sh: $profile_from: unknown JVM profile '$profile' (known: $(known_profiles))" >&2
    exit 2
  fi
  # one flag a line; '#' starts a comment
  while IFS= read -r line || [ -n "$line" ]; do
    read -r -a words <<< "${line%%#*}"
    profile_flags+=(${words[@]+"${words[@]}"})
  done < "$profiles/$profile.flags"
  echo "run.sh: JVM profile $profile: ${profile_flags[*]}" >&2
fi
lib="$here/dist/target/lib"
stamp="$here/dist/target/.built"

needs_build() {
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$here" -path "$here/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$stamp" -print -quit 2>/dev/null)" ]
}

if needs_build; then
  echo "building DataForge (first run, or sources changed)..." >&2
  rm -rf "$lib" # a jar left from an earlier build (a dependency since removed) would stay on the class path
  (cd "$here" && mvn -q -B -DskipTests -pl dist -am install) >&2
  touch "$stamp"
fi

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
java_major=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1)
flags=(--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
       --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
       --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
       --add-opens=java.base/java.nio=ALL-UNNAMED
       --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
       -Dchronicle.analytics.disable=true)
if [ "${java_major:-17}" -ge 24 ]; then
  flags+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi

export DATAFORGE_HOME="$here"
if [ "${1:-}" = "chaos" ] || [ "${1:-}" = "bench" ]; then
  # the chaos harness and the bench live in perf/ (they run brokers, producers, peers and pipelines)
  tool="$1"
  shift
  perf="$here/perf/target"
  if [ ! -f "$perf/.built" ] || [ -n "$(find "$here" -path "$here/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$perf/.built" -print -quit 2>/dev/null)" ]; then
    echo "building the $tool harness..." >&2
    rm -rf "$perf/lib"
    (cd "$here" && mvn -q -B -DskipTests -pl perf -am install) >&2
    touch "$perf/.built"
  fi
  main=dev.dataforge.perf.chaos.ChaosHarness
  if [ "$tool" = "bench" ]; then
    main=dev.dataforge.perf.bench.Bench
    cd "$here" # its default pipeline and the Kafka job's files are relative to DATAFORGE_HOME
  fi
  # shellcheck disable=SC2086
  exec "$java" "${flags[@]}" ${profile_flags[@]+"${profile_flags[@]}"} ${JAVA_OPTS:-} \
    -cp "$perf/dataforge-perf-0.1.0-SNAPSHOT.jar:$perf/lib/*" "$main" "$@"
fi
# the launcher's flags, then the profile's, then JAVA_OPTS: a later flag wins
# shellcheck disable=SC2086
exec "$java" "${flags[@]}" ${profile_flags[@]+"${profile_flags[@]}"} ${JAVA_OPTS:-} -cp "$lib/*" \
  dev.dataforge.core.cli.Main "$@"
