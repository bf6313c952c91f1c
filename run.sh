#!/usr/bin/env bash
# DataForge launcher. Builds on first use (and when sources changed), then runs the CLI.
#   ./run.sh                          run examples/user-events.yaml until Ctrl-C
#   ./run.sh run FILE [--events N] [--duration D] [--summary FILE]
#   ./run.sh validate FILE
#   ./run.sh chaos [--sink duckdb|postgres|kafka] [--kills N] [--instances K] [--outage 30s] ...
#   ./run.sh bench [--quick] [--pipeline FILE] [--out DIR] [--p99 1ms] [--no-kafka]
#   ./run.sh --help
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
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
  exec "$java" "${flags[@]}" ${JAVA_OPTS:-} -cp "$perf/dataforge-perf-0.1.0-SNAPSHOT.jar:$perf/lib/*" "$main" "$@"
fi
# shellcheck disable=SC2086
exec "$java" "${flags[@]}" ${JAVA_OPTS:-} -cp "$lib/*" dev.dataforge.core.cli.Main "$@"
