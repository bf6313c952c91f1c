#!/usr/bin/env bash
# Perf harnesses. Builds perf/ (and what it needs) when missing, then:
#   perf/run.sh jmh [REGEX] [JMH options]   JMH micro-benchmarks with the GC profiler (B/op)
#   perf/run.sh e2e [harness options]       end-to-end pipeline harness (PipelineHarness --help-less; see its javadoc)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/perf/target/dataforge-perf-0.1.0-SNAPSHOT.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/*/target" -prune -o -name '*.java' -newer "$jar" -print -quit)" ]; then
  (cd "$root" && mvn -q -B -DskipTests -pl perf -am package) >&2
fi
cp="$jar:$root/perf/target/lib/*"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
java_major=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1)
flags=(--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
       --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
       --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dchronicle.analytics.disable=true)
if [ "${java_major:-17}" -ge 24 ]; then
  flags+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi
cd "$root"
case "${1:-}" in
  jmh) shift; exec "$java" -cp "$cp" org.openjdk.jmh.Main -prof gc "${@:-FieldAccess|Filter|Enrich}" ;;
  e2e) shift; exec "$java" "${flags[@]}" -Xmx2g -cp "$cp" dev.dataforge.perf.PipelineHarness "$@" ;;
  *) echo "usage: perf/run.sh jmh [REGEX] | e2e [--events N] [--runs R] [--warmups W] [--rate EPS] [--pipeline FILE] [--journal off|on|both]" >&2; exit 2 ;;
esac
