#!/usr/bin/env bash
# Checks that .ci/tools.sh names what is missing and how to get it, by
# running it with a PATH that lacks the tool.
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
expect_missing() { # description, PATH to use, text the message must contain
  local out
  if out=$(env -i HOME="$HOME" PATH="$2" bash .ci/tools.sh build 2>&1); then
    echo "FAIL: $1: tools.sh succeeded without the tool"; fail=1; return
  fi
  if ! grep -q "missing: " <<<"$out" || ! grep -q "how to get it: .*$3" <<<"$out"; then
    echo "FAIL: $1: unexpected message:"; echo "$out"; fail=1; return
  fi
  echo "ok: $1"
}

# A directory with only the basics a shell script needs, and no cargo.
bare=$(mktemp -d); trap 'rm -rf "$bare"' EXIT
for tool in bash env grep cut awk id cat dirname printf; do
  ln -s "$(command -v "$tool")" "$bare/$tool"
done
expect_missing "no Rust" "$bare" "rustup"

# Rust present but no npm.
for tool in cargo rustup rustc; do ln -s "$(command -v "$tool")" "$bare/$tool"; done
ln -s "$(command -v brotli)" "$bare/brotli"
expect_missing "no Node.js" "$bare" "nodejs npm"

[ "$fail" = 0 ] || exit 1
