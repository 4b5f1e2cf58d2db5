# Hearth: on-device personalization. `make run` starts the demo publisher
# site; `make test` installs what the tests need and runs them all.
#
# Tools are pinned: Go modules in go.mod (msgp as a `go tool`), npm packages
# in tests/package-lock.json, Chromium from the system's package manager.

GO       ?= go
PORT     ?= 8080
GOROOT   := $(shell $(GO) env GOROOT)
WASMEXEC := $(GOROOT)/lib/wasm
DIST     := dist
# Fuzz budgets are counts of inputs, not durations: with a duration, Go 1.26's
# fuzz coordinator can report a spurious "context deadline exceeded" when the
# deadline races a busy worker (go.dev/issue/75804, fixed in Go 1.27).
FUZZTIME ?= 50000x

.PHONY: run test test-deps check generate bench size eval assets clean

## run: build the demo assets and catalogue, then serve on 127.0.0.1:$(PORT)
run: assets
	$(GO) run ./web/cmd/hearth-demo -addr 127.0.0.1:$(PORT) -assets $(DIST)

## assets: build wasm, JS, catalogue and precompressed copies into $(DIST)
assets:
	$(GO) run ./build/cmd/hearth-assets -out $(DIST)

## worker: build the Cloudflare Worker serving $(DIST) into web/worker/build (deploy with build/wrangler.toml)
.PHONY: worker
worker: assets
	$(GO) run ./build/cmd/hearth-worker -assets $(DIST) -out web/worker/build

## test: install test dependencies, then run every test; fails when a shipped file is over its size budget
test: test-deps check
	$(GO) test -count=1 ./...
	PATH="$(WASMEXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 ./core/...
	$(GO) test -count=1 -tags hearthlean ./core/... ./wasm/...
	$(MAKE) size
	$(MAKE) fuzz

## test-deps: Chromium for browser tests, npm packages for the Worker tests, static servers for tests/hosts,
## jq for Caddy's access log (build/collab/transitions.sh)
test-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ echo "installing Chromium for the browser tests"; \
		  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@{ command -v caddy && command -v python3 && command -v jq && PATH="$$PATH:/usr/sbin" command -v nginx && \
		test -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so; } >/dev/null 2>&1 || \
		{ echo "installing Caddy, nginx with its brotli static module, Python and jq for the static host and access log tests"; \
		  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy nginx libnginx-mod-http-brotli-static python3 jq >/dev/null; }
	@if [ -f tests/package-lock.json ]; then cd tests && npm ci --no-audit --no-fund --loglevel=error; fi

## fuzz: a short run of every fuzz target (FUZZTIME inputs each)
fuzz:
	@for pkg in $$($(GO) list ./core/... ./wasm/... ./build/...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$f"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

## check: formatting, vet, generated code up to date, core purity, wasm cross-build
check:
	@test -z "$$(gofmt -l core wasm web build tests)" || { gofmt -l core wasm web build tests; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	@test -x tests/node_modules/.bin/tsc || { echo "tsc: run make test-deps first (npm ci in tests/)"; exit 1; }; tests/node_modules/.bin/tsc -p js/tsconfig.json && tests/node_modules/.bin/tsc -p js/tsconfig.worker.json
	@# Every generated file (msgp's reference codecs, leangen's lean codecs, the protocol's JS)
	@# must be what go generate writes from the declarations now: a diff or a new file fails.
	$(GO) generate ./...
	@git diff --quiet && test -z "$$(git ls-files --others --exclude-standard)" || { git --no-pager diff --stat; \
		git ls-files --others --exclude-standard; echo "go generate changed or added the files above: commit the regenerated code"; exit 1; }
	@bad=$$($(GO) list -deps ./core/... | grep -E '^(syscall/js|net/http|github.com/syumai/workers)$$'); \
		test -z "$$bad" || { echo "core must stay pure, but imports: $$bad"; exit 1; }
	@# Size guard: fmt (~123 KB brotli), encoding/json (~144 KB), reflect and the msgp runtime
	@# (~243 KB), time (~34 KB: its package initialisation alone; core and the bridge pass
	@# Unix seconds) and strings with unicode (2.2 KB; core/internal/str) must stay out of the
	@# engine readers download (docs/size.md).
	@bad=$$(GOOS=js GOARCH=wasm $(GO) list -tags hearthlean -deps ./wasm | grep -E '^(fmt|encoding/json|reflect|time|strings|unicode|github.com/tinylib/msgp(/.*)?)$$'); \
		test -z "$$bad" || { echo "the hearthlean wasm engine must not link fmt, encoding/json, reflect, time, strings, unicode or msgp, but depends on:" $$bad; exit 1; }
	@# Layering: build may import web (the served layout), never the reverse (docs/architecture.md).
	@bad=$$($(GO) list -deps ./web/... | grep '^github.com/hearth-dev/hearth/build/'); \
		test -z "$$bad" || { echo "web must not import build, but depends on:" $$bad; exit 1; }
	GOOS=js GOARCH=wasm $(GO) build ./...

## bench: native benchmarks of every hot path (-count 6, benchstat's input) and the browser
## benchmarks (tests/browserbench, docs/performance.md); raw output in bench/, not committed
bench:
	@mkdir -p bench
	$(GO) test -run '^$$' -bench . -benchmem -count $(or $(BENCHCOUNT),6) ./core/... | tee bench/native.txt
	@! grep -q '^\(FAIL\|--- FAIL\)' bench/native.txt
	HEARTH_BENCH=1 $(GO) test -count=1 -timeout 60m -run '^TestSegments_NewsSite$$' -v ./build/pack/ | tee bench/segments.txt
	@! grep -q '^\(FAIL\|--- FAIL\)' bench/segments.txt
	HEARTH_BENCH=1 HEARTH_BENCH_OUT=$(CURDIR)/bench $(GO) test -count=1 -timeout 60m -run '^TestBrowser_(Bench|WhyButtonFont)$$' -v ./tests/browserbench/ | tee bench/browser.txt
	@! grep -q '^\(FAIL\|--- FAIL\)' bench/browser.txt

## size: raw, gzip and brotli bytes of every shipped file, against budgets
size: assets
	$(GO) run ./build/cmd/hearth-size -dir $(DIST)

## eval: ranking quality on real interaction data, beside server-side baselines:
## tunes on validation targets, then rewrites docs/quality.md and docs/quality.png.
## HEARTH_EVAL_DATA=folder runs it on another data set (its report goes to
## eval-reports/<folder name>/, or HEARTH_EVAL_OUT); EVAL_TIMEOUT bounds the run.
EVAL_TIMEOUT ?= 60m
eval:
	HEARTH_EVAL_REPORT=1 $(GO) test -count=1 -run TestQuality -v -timeout $(EVAL_TIMEOUT) ./tests/eval/

clean:
	rm -rf $(DIST)
