# SURY: `make run` serves the shop, `make test` runs every test.
# Both install what is missing first (see .ci/tools.sh) and are cheap to
# repeat once the tools are there.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Compiled code lives outside the clone, so a fresh clone on the same
# machine (CI's) reuses dependencies instead of rebuilding them all.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/sury/target
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

# The site sits beside the server binary it belongs to: the binary reads
# the hashed asset names from hash.txt next to itself, so a site and a
# binary from different builds must never be paired.
export LEPTOS_SITE_ROOT := $(CARGO_TARGET_DIR)/site
SITE_ROOT := $(LEPTOS_SITE_ROOT)
SERVER_BIN := $(CARGO_TARGET_DIR)/release/server

.PHONY: help tools test-tools tools-check build run distributed test lint unit e2e weight clean

help:
	@echo "make run    build and serve the shop on http://127.0.0.1:3000"
	@echo "make test   lint, unit and integration tests, browser tests (JS on and off)"
	@echo "make distributed  identity, catalog, basket and ordering as their own processes (PostgreSQL, Redis, RabbitMQ, S3, SMTP), storefront on :3000"
	@echo "make weight bytes of JS + wasm the home page loads (brotli)"

tools:
	@.ci/tools.sh build

test-tools:
	@.ci/tools.sh test

# Release build: size-tuned wasm through wasm-opt, hashed file names, then
# brotli and gzip copies of every text asset for the server to send as is.
build: tools
	cargo leptos build --release
	@find $(SITE_ROOT) -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' -o -name '*.txt' \) \
	  -print0 | while IFS= read -r -d '' f; do \
	    [ "$$f.br" -nt "$$f" ] || brotli -kf -q 11 "$$f"; \
	    [ "$$f.gz" -nt "$$f" ] || gzip -kf -9 "$$f"; \
	  done

run: build
	SURY_SITE_ROOT=$(SITE_ROOT) $(SERVER_BIN)

lint:
	cargo fmt --all --check
	.ci/crate-graph.sh
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p app --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

unit:
	cargo test --workspace

# Browser tests against a freshly built release server on a free port with
# a throw-away data directory.
e2e:
	@read -r port smtp mailweb < <(node -e 'const net=require("net");const ss=[];const ps=[];for(let i=0;i<3;i++){const s=net.createServer();ss.push(s);s.listen(0,"127.0.0.1",()=>{ps.push(s.address().port);if(ps.length===3){console.log(ps.join(" "));ss.forEach(x=>x.close());}})}'); \
	data=$$(mktemp -d -t sury-e2e.XXXXXX); trap 'rm -rf "$$data"' EXIT; \
	E2E_PORT=$$port E2E_SMTP_PORT=$$smtp E2E_MAIL_WEB_PORT=$$mailweb E2E_DATA_DIR=$$data \
	E2E_SERVER_BIN=$(SERVER_BIN) E2E_SITE_ROOT=$(SITE_ROOT) \
	  playwright test --config end2end/playwright.config.ts $(E2E_ARGS)

# The installer's own messages, with tools hidden from it.
tools-check:
	@.ci/tools-test.sh

# The distributed shape on this machine: identity, the catalog and
# ordering (PostgreSQL) and the basket (Redis) as their own processes, the
# storefront reaching them over HTTP, events over RabbitMQ.
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
CATALOG_DB_URL ?= postgres://postgres@127.0.0.1:5432/sury_catalog
IDENTITY_DB_URL ?= postgres://postgres@127.0.0.1:5432/sury_identity
ORDERING_DB_URL ?= postgres://postgres@127.0.0.1:5432/sury_ordering
AMQP_URL ?= amqp://guest:guest@127.0.0.1:5672/%2f
REDIS_URL ?= redis://127.0.0.1:6379
# Pictures go to an S3-compatible server (s3s-fs on :8014); a static file
# server over the bucket's folder (:8015) stands in for the CDN.
MEDIA_VARS := SURY_S3_BUCKET=sury-media SURY_S3_ENDPOINT=http://127.0.0.1:8014 \
  SURY_S3_ACCESS_KEY_ID=sury-local SURY_S3_SECRET_ACCESS_KEY=sury-local-secret \
  SURY_MEDIA_BASE_URL=http://127.0.0.1:8015
distributed: build
	@command -v psql >/dev/null || { echo "missing: psql; how to get it: apt-get install postgresql-client"; exit 1; }
	@for db in sury_catalog sury_identity sury_ordering; do \
	  psql "$(PG_ADMIN_URL)" -tAc "SELECT 1 FROM pg_database WHERE datname = '$$db'" | grep -q 1 || \
	    psql "$(PG_ADMIN_URL)" -qc "CREATE DATABASE $$db"; \
	done
	@mkdir -p data && $(SERVER_BIN) identity-public-key > data/identity-public-key.pem
	@command -v s3s-fs >/dev/null || cargo install s3s-fs@0.14.1 --locked --features binary
	@mkdir -p data/s3/sury-media
	maildev --smtp 1025 --web 1080 --ip 127.0.0.1 >/dev/null & mail=$$!; \
	s3s-fs --host 127.0.0.1 --port 8014 --access-key sury-local --secret-key sury-local-secret data/s3 >/dev/null 2>&1 & s3=$$!; \
	python3 -m http.server 8015 --bind 127.0.0.1 --directory data/s3/sury-media >/dev/null 2>&1 & cdn=$$!; \
	export $(MEDIA_VARS); \
	SURY_AMQP_URL='$(AMQP_URL)' SURY_CATALOG_DATABASE_URL=$(CATALOG_DB_URL) \
	  SURY_IDENTITY_PUBLIC_KEY_FILE=data/identity-public-key.pem $(SERVER_BIN) catalog & catalog=$$!; \
	SURY_AMQP_URL='$(AMQP_URL)' SURY_REDIS_URL='$(REDIS_URL)' SURY_CATALOG_URL=http://127.0.0.1:3101 \
	  SURY_IDENTITY_PUBLIC_KEY_FILE=data/identity-public-key.pem $(SERVER_BIN) basket & basket=$$!; \
	SURY_AMQP_URL='$(AMQP_URL)' SURY_CATALOG_URL=http://127.0.0.1:3101 SURY_ORDERING_DATABASE_URL=$(ORDERING_DB_URL) \
	  SURY_SMTP_URL=smtp+insecure://127.0.0.1:1025 \
	  SURY_IDENTITY_PUBLIC_KEY_FILE=data/identity-public-key.pem $(SERVER_BIN) ordering & ordering=$$!; \
	SURY_AMQP_URL='$(AMQP_URL)' SURY_IDENTITY_DATABASE_URL=$(IDENTITY_DB_URL) \
	  SURY_SMTP_URL=smtp+insecure://127.0.0.1:1025 $(SERVER_BIN) identity & identity=$$!; \
	trap 'kill $$catalog $$basket $$ordering $$identity $$mail $$s3 $$cdn 2>/dev/null' EXIT INT TERM; \
	echo "mail the shop sends: http://127.0.0.1:1080"; \
	SURY_AMQP_URL='$(AMQP_URL)' SURY_REDIS_URL='$(REDIS_URL)' SURY_CATALOG_URL=http://127.0.0.1:3101 \
	  SURY_BASKET_URL=http://127.0.0.1:3102 SURY_ORDERING_URL=http://127.0.0.1:3103 \
	  SURY_IDENTITY_URL=http://127.0.0.1:3104 SURY_IDENTITY_PUBLIC_KEY_FILE=data/identity-public-key.pem \
	  SURY_SITE_ROOT=$(SITE_ROOT) $(SERVER_BIN)

test: test-tools tools-check lint unit build e2e

# The page-weight figures of docs/benchmarks.md, against the release build.
weight: build
	$(MAKE) --no-print-directory e2e E2E_ARGS="--project assets"

clean:
	cargo clean
	rm -rf end2end/test-results end2end/playwright-report
