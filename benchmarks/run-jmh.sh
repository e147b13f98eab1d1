#!/usr/bin/env bash
# Builds the benchmarks module (and what it needs) and runs JMH with the given options, e.g.
#   benchmarks/run-jmh.sh -f 1 -wi 3 -i 5 WireFormat
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -B -q -ntp -DskipTests -pl benchmarks -am package)
cp="$root/benchmarks/target/classes:$root/collector-core/target/classes:$root/processors/target/classes"
cp="$cp:$root/kafka-common/target/classes:$root/kafka-exporter/target/classes"
for j in "$root"/benchmarks/target/lib/*.jar; do
  case "$(basename "$j")" in collector-core-*|processors-*|kafka-common-*|kafka-exporter-*) continue ;; esac
  cp="$cp:$j"
done
exec java ${JAVA_OPTS:-} -cp "$cp" org.openjdk.jmh.Main "$@"
