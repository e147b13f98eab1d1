#!/usr/bin/env bash
# Builds the benchmarks module (and what it needs) and runs JMH with the given options, e.g.
#   benchmarks/run-jmh.sh -f 1 -wi 3 -i 5 HotPath
# With MAIN=<class>, runs that class instead of JMH (the end-to-end tools), e.g.
#   MAIN=io.tiercel.benchmarks.IngestionThroughput benchmarks/run-jmh.sh 2000000 3
#   MAIN=io.tiercel.benchmarks.load.LoadTool benchmarks/run-jmh.sh --help     (the two-tier load tool, issue 8)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -B -q -ntp -DskipTests -pl benchmarks -am package)
# target/lib holds the module jars built by the package above, so the class path is current.
cp="$root/benchmarks/target/classes:$(printf '%s:' "$root"/benchmarks/target/lib/*.jar)"
exec java ${JAVA_OPTS:-} -cp "$cp" "${MAIN:-org.openjdk.jmh.Main}" "$@"
