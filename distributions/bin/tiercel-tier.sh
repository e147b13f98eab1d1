# Shared by bin/tiercel-ingestion and bin/tiercel-processing (sourced, not run): $tier names the default config.
#
#   bin/tiercel-<tier> [run|validate|print-config] [--config F ...] [--set a.b=v ...] [other options]
#
# With no command, runs. Without a --config, uses the archive's config/<tier>.yaml. Any other first argument
# (components, demo, --help, --version) goes to bin/tiercel unchanged.
self="$(readlink -f "${BASH_SOURCE[1]}" 2>/dev/null || echo "${BASH_SOURCE[1]}")"
bin="$(cd "$(dirname "$self")" && pwd)"
home="$(cd "$bin/.." && pwd)"

cmd="run"
if [[ $# -gt 0 ]]; then
  case "$1" in
    run|validate|print-config) cmd="$1"; shift ;;
    -*) ;;
    *) exec "$bin/tiercel" "$@" ;;
  esac
  case "${1:-}" in
    -h|--help|-V|--version) exec "$bin/tiercel" "$cmd" "$@" ;;
  esac
fi

has_config=""
for a in "$@"; do
  case "$a" in --config|--config=*) has_config=1 ;; esac
done
if [[ -z "$has_config" ]]; then
  set -- --config "$home/config/$tier.yaml" "$@"
fi
exec "$bin/tiercel" "$cmd" "$@"
