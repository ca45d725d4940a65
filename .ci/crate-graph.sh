#!/usr/bin/env bash
# The rules of SURY's crate graph, checked with `cargo tree` (`make lint`):
# - no service links another service's implementation, only its API crate;
# - basket and ordering link no image codec, S3 SDK or mail library;
# - an API crate without its client is plain types, usable in the browser
#   build;
# - the storefront's caches link no service implementation.
# Dev-dependencies do not count: a service's tests may start a real
# neighbour (basket's tests price against a real catalog).
set -euo pipefail
cd "$(dirname "$0")/.."

services=(identity catalog basket ordering)
failed=0

# Crates in `cargo tree -p <spec>`'s normal and build dependencies, one
# name per line.
deps() {
  cargo tree "$@" -e normal,build --prefix none --format '{p}' \
    | awk '{print $1}' | sort -u
}

# refuse <what> <crate list> -- <cargo tree arguments>
refuse() {
  local what=$1 banned=$2
  shift 3
  local found
  found=$(deps "$@" | grep -Fxf <(tr ' ' '\n' <<<"$banned") || true)
  if [[ -n $found ]]; then
    echo "crate graph: $* links $what: $(tr '\n' ' ' <<<"$found")" >&2
    failed=1
  fi
}

for service in "${services[@]}"; do
  others=$(printf '%s\n' "${services[@]}" | grep -vx "$service" | tr '\n' ' ')
  refuse "another service's implementation" "$others" -- -p "$service"
done
for service in basket ordering; do
  refuse "an image codec, the S3 SDK or a mail library" \
    "image webp libwebp-sys aws-sdk-s3 lettre" -- -p "$service"
done
refuse "server-side crates" "platform sqlx axum tokio" \
  -- -p catalog-api --no-default-features
refuse "a service's implementation" "${services[*]}" -- -p storefront

if (( failed )); then
  exit 1
fi
echo "crate graph: every rule holds"
