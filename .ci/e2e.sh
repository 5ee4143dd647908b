#!/usr/bin/env bash
# The browser test on a fresh machine: Debian's chromium (no browser download by Playwright),
# then `npm run test:e2e`. Called from .ci/run after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
	echo "e2e: /usr/bin/chromium missing, installing Debian's chromium package" >&2
	SUDO=""
	if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
	$SUDO apt-get update
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
fi
/usr/bin/chromium --version 2>/dev/null || true

# npm scripts put node_modules/.bin first on PATH, so the pinned Node 22 runs the test and wrangler.
npm run test:e2e
