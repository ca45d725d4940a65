#!/usr/bin/env bash
# Installs what SURY's build and tests need, once; says what is missing and
# how to get it when it cannot install something itself.
# Usage: .ci/tools.sh build|test
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
missing() {
  printf '\nmissing: %s\n  how to get it: %s\n\n' "$1" "$2" >&2
  exit 1
}

# Debian packages: installed with apt-get when we are root (or have sudo);
# otherwise we say which package to install.
apt_install() {
  local pkgs=("$@") sudo=()
  if ! command -v apt-get >/dev/null; then
    missing "${pkgs[*]}" "install the ${pkgs[*]} package(s) with your system's package manager"
  fi
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      missing "${pkgs[*]}" "sudo apt-get install -y ${pkgs[*]}"
    fi
  fi
  say "installing Debian packages: ${pkgs[*]}"
  # The package lists may be stale or absent on a fresh machine.
  "${sudo[@]}" apt-get update -qq >/dev/null || true
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${pkgs[@]}" >/dev/null
}

need_command() { # command package
  command -v "$1" >/dev/null || apt_install "$2"
  command -v "$1" >/dev/null || missing "$1" "apt-get install $2"
}

ensure_rust() {
  command -v cargo >/dev/null ||
    missing "cargo (Rust $(grep -m1 rust-version Cargo.toml | cut -d'"' -f2) or newer)" \
      "install Rust with rustup, then run make again"
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    command -v rustup >/dev/null ||
      missing "the wasm32-unknown-unknown target" "install Rust with rustup, which can add targets"
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_cargo_leptos() {
  if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
    say "building cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes, once)"
    # no_downloads: it must use the tools on PATH rather than fetch its own.
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
}

ensure_wasm_bindgen() {
  # The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
  [ -n "$want" ] || missing "wasm-bindgen in Cargo.lock" "run cargo generate-lockfile"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
    say "installing wasm-bindgen-cli $want"
    # Not --locked: its lock file names a crate version the registry lacks.
    cargo install "wasm-bindgen-cli@$want"
  fi
}

ensure_node_packages() {
  command -v npm >/dev/null ||
    missing "Node.js 20+ and npm" "apt-get install nodejs npm (or install Node.js 20 from your usual source)"
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages (Tailwind, Playwright)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

case "${1:-build}" in
  build)
    ensure_rust
    need_command brotli brotli
    ensure_node_packages
    ensure_cargo_leptos
    ensure_wasm_bindgen
    ;;
  test)
    "$0" build
    need_command chromium chromium
    # A real S3-compatible server for the media tests (0.17 needs a newer rustc).
    if ! command -v s3s-fs >/dev/null; then
      say "building s3s-fs 0.14.1 (an S3-compatible test server, about a minute)"
      cargo install s3s-fs@0.14.1 --locked --features binary
    fi
    ;;
  *)
    echo "usage: $0 build|test" >&2
    exit 2
    ;;
esac
