# Qoltanba: `make run` builds everything and starts the demo; `make test` runs every test.
# Both install what is missing first (Rust's wasm32 target, trunk, wasm-bindgen-cli at the
# exact version in Cargo.lock, and for tests Chromium + chromedriver from apt).

SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.cargo/bin:$(PATH)

TRUNK_VERSION := 0.21.14
# trunk only works offline when wasm-bindgen on PATH is exactly the crate's version.
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIND ?= 127.0.0.1:8080

.PHONY: help tools browsers spa server run test lint test-native test-wasm test-e2e fixtures bench

help:
	@echo "make run    build the SPA and the server, start the demo at http://$(BIND)/"
	@echo "make test   every test: formatting, lints, native, wasm in Chromium, end-to-end"
	@echo "make bench  speed side by side with the references, written to bench/results.md"

# The tools only orchestrate and rewrite a few files: built without LTO and lightly
# optimised they install in about half the time (a clean CI machine builds them).
TOOL_BUILD := CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@trunk --version 2>/dev/null | grep -qx "trunk $(TRUNK_VERSION)" || $(TOOL_BUILD) cargo install --locked trunk --version $(TRUNK_VERSION)
	@wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" || $(TOOL_BUILD) cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@# trunk's build stores each file brotli-compressed beside itself (Trunk.toml).
	@command -v brotli >/dev/null || \
	  { $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y brotli; }

# The browsers for the wasm and end-to-end tests, and OpenSSL, the relying party the
# certificate and key store tests check against.
# npm brings axe-core, the accessibility check the end-to-end tests inject into each page.
browsers:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v openssl >/dev/null || \
	  { $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver openssl; }
	@command -v npm >/dev/null || \
	  { $(SUDO) apt-get update && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm; }

spa: tools
	trunk build --release

server:
	cargo build --release -p qoltanba-server

run: spa server
	./target/release/qoltanba-server --demo --bind $(BIND) --static-dir dist --data-dir data

test: tools browsers lint test-native test-wasm test-e2e

lint:
	cargo fmt --all --check
	cargo clippy --workspace --exclude qoltanba-web --all-targets -- -D warnings
	cargo clippy -p qoltanba-web --target wasm32-unknown-unknown --all-targets -- -D warnings
	# The domain's tests are native (proptest); its library is what the browser compiles.
	cargo clippy -p qoltanba-domain --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p qoltanba-face --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy -p qoltanba-face-worker --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p qoltanba-mrz-ocr --target wasm32-unknown-unknown -- -D warnings

test-native: browsers
	cargo test --workspace --exclude qoltanba-web --exclude qoltanba-e2e

test-wasm: browsers
	CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p qoltanba-web
	# The face detector as the browser runs it (the crate's other tests are native).
	CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p qoltanba-face --test in_browser

fixtures:
	cargo run -p qoltanba-fixtures -- tests/fixtures/generated

test-e2e: spa browsers
	@[ -e tests/e2e/node_modules/axe-core ] || npm ci --prefix tests/e2e
	cargo test -p qoltanba-e2e -- --test-threads=2

# Speed is measured here, never asserted in tests. Each figure writes its own table to
# $(BENCH_OUT)/NN-name.md; they are put together, under the machine's CPU and the date,
# in bench/results.md.
BENCH_OUT := target/bench

bench: spa browsers
	rm -rf $(BENCH_OUT) && mkdir -p $(BENCH_OUT)
	# MediaPipe's web face detection, the reference of the first figure (bench only).
	@[ -e bench/web/node_modules/@mediapipe/face_detection ] || npm ci --prefix bench/web
	# In the browser: face detection against MediaPipe, the guidance loop, the first
	# screen's bytes, the key work against `openssl pkcs12 -export`.
	BENCH_OUT=$(abspath $(BENCH_OUT)) cargo test -p qoltanba-e2e --test bench -- --ignored --nocapture --test-threads=1
	# On the server: issuance through the real path against `openssl speed ecdsap384`, and
	# the status check at fixed rates with oha (fully optimised: it shares the cores).
	@oha --version 2>/dev/null | grep -qx "oha 1.16.0" || cargo install --locked oha --version 1.16.0
	BENCH_OUT=$(abspath $(BENCH_OUT)) cargo bench -p qoltanba-server --bench issuance --bench status_under_load
	{ echo "# Benchmarks"; echo; \
	  echo "Written by \`make bench\` on $$(date -u +%F): $$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $$(nproc) cores."; \
	  for f in $(BENCH_OUT)/*.md; do echo; cat "$$f"; done; } > bench/results.md
