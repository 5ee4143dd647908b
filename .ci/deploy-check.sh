#!/usr/bin/env bash
# Deploy check without deploying: bundle the Worker as `wrangler deploy` would, print the upload
# and gzip sizes, and fail when the gzip size is over BUNDLE_BUDGET_KIB (when set; the free
# plan's hard limit is 3 MiB gzip, the project's target 150 KiB).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" WRANGLER_SEND_METRICS=false

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
log="$(wrangler deploy --dry-run --outdir "$out" 2>&1)" || { echo "$log" >&2; exit 1; }
line="$(grep -E 'Total Upload' <<<"$log")"
echo "deploy check: $line"
gzip_kib="$(sed -E 's/.*gzip: ([0-9.]+) KiB.*/\1/' <<<"$line")"
if [ -n "${BUNDLE_BUDGET_KIB:-}" ] && awk -v s="$gzip_kib" -v b="$BUNDLE_BUDGET_KIB" 'BEGIN { exit !(s > b) }'; then
	echo "deploy check: ${gzip_kib} KiB gzip is over the ${BUNDLE_BUDGET_KIB} KiB budget" >&2
	exit 1
fi
