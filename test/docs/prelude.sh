# Sourced first in each docs session (test/docs/session.ts), once __vigil_url and __vigil_token
# hold the instance's URL and admin token.
set -euo pipefail

# The docs write plain `curl -s ...`: here an HTTP status of 400 or more fails the block, and the
# answer's body is shown with the command that got it.
curl() {
  local rc=0
  command curl --fail-with-body "$@" || rc=$?
  if [ "$rc" -eq 22 ]; then
    printf '\n[docs] curl got an HTTP status of 400 or more: curl %s\n' "${*//"$__vigil_token"/\$ADMIN_TOKEN}" >&2
  fi
  return "$rc"
}

# Run after each block. VIGIL is the instance's again: the README's first block shows a reader
# `export VIGIL=http://localhost:8787`, and the instance under test serves on another port.
# ADMIN_TOKEN must still be the instance's: that block reads it from .dev.vars, which in the
# session's working directory is the instance's own, so a wrong command there fails here.
__vigil_after() {
  export VIGIL="$__vigil_url"
  if [ "${ADMIN_TOKEN-}" != "$__vigil_token" ]; then
    echo "[docs] the block left ADMIN_TOKEN set to something other than the instance's token (its .dev.vars)" >&2
    return 1
  fi
}

export VIGIL="$__vigil_url" ADMIN_TOKEN="$__vigil_token"
