#!/usr/bin/env bash
# The suites of `npm test`: the workerd and Node suites, and beside them the docs' examples
# against a local instance. The examples mostly wait on that instance (starting, answering curl),
# so they run alongside the suites instead of after them; their log is printed when both end,
# and either failing fails the whole.
set -uo pipefail
mkdir -p .wrangler
docs_log=.wrangler/test-docs.log
npm run -s test:docs >"$docs_log" 2>&1 &
docs=$!
# Stop the examples' instance too if this script is interrupted.
trap 'kill "$docs" 2>/dev/null' INT TERM
vitest run && npm run -s test:node
suites=$?
wait "$docs"
docs_status=$?
cat "$docs_log"
[ "$docs_status" -eq 0 ] || echo "npm run test:docs failed (exit $docs_status): see above" >&2
[ "$suites" -eq 0 ] && [ "$docs_status" -eq 0 ]
