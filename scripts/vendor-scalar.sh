#!/usr/bin/env bash
# Vendors Scalar's API reference for /docs: the standalone browser build of @scalar/api-reference,
# byte for byte as npm publishes it (npm pack checks the tarball's integrity), into assets/docs/
# under a name that carries its version. The Worker serves it from Workers static assets, so the
# page loads nothing from a CDN and the file never enters the Worker bundle.
# Its MIT licence is kept beside it (assets/docs/SCALAR-LICENSE.txt: the package ships none).
# Usage: bash scripts/vendor-scalar.sh 1.76.0, then set SCALAR_VERSION in worker/http/docs.ts.
set -euo pipefail
version="${1:?usage: bash scripts/vendor-scalar.sh <@scalar/api-reference version>}"
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@scalar/api-reference@$version" >/dev/null && tar xzf "scalar-api-reference-$version.tgz" package/dist/browser/standalone.js)
mkdir -p assets/docs
rm -f assets/docs/scalar-api-reference-*.js
cp "$tmp/package/dist/browser/standalone.js" "assets/docs/scalar-api-reference-$version.js"
echo "assets/docs/scalar-api-reference-$version.js ($(wc -c <"assets/docs/scalar-api-reference-$version.js") bytes)"
