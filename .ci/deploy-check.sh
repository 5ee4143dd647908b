#!/usr/bin/env bash
# Deploy check without deploying: bundle the Worker as `wrangler deploy` would, print the upload
# and gzip sizes, and fail above 1 MiB gzip. The platform refuses 3 MiB on the free plan; the
# ceiling sits well below that so a dependency that balloons is noticed long before a deploy fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" WRANGLER_SEND_METRICS=false NO_COLOR=1
ceiling_kib=1024

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
log="$(wrangler deploy --dry-run --outdir "$out" 2>&1)" || { echo "$log" >&2; exit 1; }
line="$(grep -E 'Total Upload: .* gzip: [0-9.]+ KiB' <<<"$log")" || { echo "$log" >&2; echo "deploy check: no size in wrangler's output" >&2; exit 1; }
echo "deploy check: $line"
gzip_kib="$(sed -E 's/.*gzip: ([0-9.]+) KiB.*/\1/' <<<"$line")"
if awk -v s="$gzip_kib" -v c="$ceiling_kib" 'BEGIN { exit !(s > c) }'; then
	echo "deploy check: ${gzip_kib} KiB gzip is over the ${ceiling_kib} KiB ceiling" >&2
	exit 1
fi
