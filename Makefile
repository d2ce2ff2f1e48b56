# gongjian: the README's two commands are `make run` and `make test`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO      ?= go
NEO4JCTL := neo4j/neo4jctl
BIN     := bin/gongjian
SEED_BIN := bin/seed
PROFILE ?= demo
LOCAL_NEO4J_URI = $${NEO4J_URI:-bolt://127.0.0.1:$${NEO4J_BOLT_PORT:-7687}}
GO_SOURCES := $(shell find . -name '*.go' -not -path './web/node_modules/*') go.mod go.sum $(wildcard schema/*.graphqls)

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

.PHONY: run
run: build neo4j-up ## build everything, start the bundled Neo4j, load the demo data if empty, serve the API
	NEO4J_URI=$(LOCAL_NEO4J_URI) ./$(SEED_BIN) -profile demo -if-empty
	GONGJIAN_ANONYMOUS=$${GONGJIAN_ANONYMOUS:-analyst} GONGJIAN_ANONYMOUS_LOOPBACK_ONLY=true NEO4J_URI=$(LOCAL_NEO4J_URI) ./$(BIN)

.PHONY: seed
seed: $(SEED_BIN) neo4j-up ## load a data profile (PROFILE=demo|city|province) into the bundled Neo4j; idempotent
	NEO4J_URI=$(LOCAL_NEO4J_URI) ./$(SEED_BIN) -profile $(PROFILE)

# start_loaded(data directory, Bolt port, profile, environment): a data directory that holds no
# store yet gets one built by Neo4j's offline importer from the profile's CSV files; then Neo4j
# starts there and seed creates the schema and waits for its indexes (or, over a store that is
# empty, loads the profile over Bolt). The time from the first file to the indexes online is
# printed.
define start_loaded
	started=$$(date +%s%N); imported=; \
	if [ ! -e "$(1)/data/databases/neo4j" ]; then \
	  ./$(SEED_BIN) -profile $(3) -import-files "$(1)/import" && \
	  NEO4J_DATA_DIR="$(1)" $(NEO4JCTL) import "$(1)/import" && rm -rf "$(1)/import" && imported=1; \
	fi; \
	$(4) NEO4J_DATA_DIR="$(1)" NEO4J_BOLT_PORT=$(2) $(NEO4JCTL) up >/dev/null && \
	./$(SEED_BIN) -profile $(3) -if-empty -neo4j-uri bolt://127.0.0.1:$(2) && \
	if [ -n "$$imported" ]; then echo "offline load of profile $(3) into $(1), schema and indexes included: $$(( ($$(date +%s%N) - started) / 1000000 )) ms"; fi
endef

.PHONY: seed-offline
seed-offline: $(SEED_BIN) neo4j-build ## build a new store of PROFILE with Neo4j's offline importer in NEO4J_DATA_DIR (default .data/neo4j; it must hold no store yet), start it and create the schema
	$(call start_loaded,$${NEO4J_DATA_DIR:-.data/neo4j},$${NEO4J_BOLT_PORT:-7687},$(PROFILE),)

.PHONY: build
build: web neo4j-build $(BIN) $(SEED_BIN) ## build the web assets, the bundled Neo4j, the server and the loader

$(BIN): $(GO_SOURCES) web/dist/graphiql.js
	$(GO) build -o $(BIN) ./cmd/gongjian

$(SEED_BIN): $(GO_SOURCES)
	$(GO) build -o $(SEED_BIN) ./cmd/seed

.PHONY: web
web: web/dist/graphiql.js ## bundle the browser assets (npm ci + esbuild)

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error

web/dist/graphiql.js: web/node_modules/.package-lock.json web/build.mjs $(wildcard web/src/*)
	cd web && node build.mjs

.PHONY: neo4j-build neo4j-up neo4j-down neo4j-status
neo4j-build: ## build the bundled Neo4j (Maven)
	$(NEO4JCTL) build
neo4j-up: ## start the bundled Neo4j in the background and wait for Bolt (NEO4J_BOLT_PORT, NEO4J_DATA_DIR)
	$(NEO4JCTL) up
neo4j-down: ## stop the bundled Neo4j
	$(NEO4JCTL) down
neo4j-status:
	$(NEO4JCTL) status

BENCH_DATA ?= .data/bench
BENCH_PORT ?= 7697
BENCH_WRITES_DATA ?= .data/bench-demo
BENCH_WRITES_PORT ?= 7698
BENCHTIME  ?= 100x
BENCH_WRITES_URI = bolt://127.0.0.1:$(BENCH_WRITES_PORT)
BENCH_GO_TEST = $(GO) test -run '^$$' -timeout 60m ./bench/

.PHONY: bench bench-questions bench-writes bench-peer
bench: bench-questions bench-writes ## run every benchmark: the questions on the city profile, the writes on the demo profile

bench-questions: neo4j-build $(SEED_BIN) ## benchmark questions 1, 3, 4, 7 through the HTTP API on the city profile (own Neo4j in .data/bench; city built once by the offline importer)
	$(call start_loaded,$(BENCH_DATA),$(BENCH_PORT),city,)
	GONGJIAN_BENCH_NEO4J_URI=bolt://127.0.0.1:$(BENCH_PORT) $(BENCH_GO_TEST) -bench 'Q[0-9]' -benchtime $(BENCHTIME)
	GONGJIAN_BENCH_NEO4J_URI=bolt://127.0.0.1:$(BENCH_PORT) $(BENCH_GO_TEST) -bench 'RepeatedQueries' -benchtime 3x
	GONGJIAN_BENCH_NEO4J_URI=bolt://127.0.0.1:$(BENCH_PORT) $(BENCH_GO_TEST) -bench 'CachedUnderWrites' -benchtime 3x
	GONGJIAN_BENCH_NEO4J_URI=bolt://127.0.0.1:$(BENCH_PORT) $(BENCH_GO_TEST) -bench 'GCPercent' -benchtime 300x
	GONGJIAN_BENCH_NEO4J_URI=bolt://127.0.0.1:$(BENCH_PORT) $(BENCH_GO_TEST) -bench 'Observability' -benchtime 200x
	$(GO) test -run '^$$' -bench 'MetricsPerOperation' -benchtime 200000x ./server/

PEER_BENCHTIME ?= 40x
PROVINCE_DATA ?= .data/province
PROVINCE_PORT ?= 7701
PROVINCE_HEAP ?= 2g
PROVINCE_PAGECACHE ?= 3g

.PHONY: bench-province
bench-province: neo4j-build $(SEED_BIN) ## load the province profile once (4.9M nodes; own Neo4j in .data/province) beside the city (.data/bench), restart both with the same memory, and compare the local questions about a city of each, warmed alike, request by request
	$(call start_loaded,$(BENCH_DATA),$(BENCH_PORT),city,)
	$(call start_loaded,$(PROVINCE_DATA),$(PROVINCE_PORT),province,NEO4J_HEAP=$(PROVINCE_HEAP) NEO4J_PAGECACHE=$(PROVINCE_PAGECACHE))
	@# Both Neo4j processes start afresh with the same heap and page cache (the province store, 2.3 GB, fits), so that neither has warmed longer.
	for d in "$(BENCH_DATA) $(BENCH_PORT)" "$(PROVINCE_DATA) $(PROVINCE_PORT)"; do set -- $$d; \
	  NEO4J_DATA_DIR=$$1 NEO4J_BOLT_PORT=$$2 $(NEO4JCTL) down; \
	  NEO4J_HEAP=$(PROVINCE_HEAP) NEO4J_PAGECACHE=$(PROVINCE_PAGECACHE) NEO4J_DATA_DIR=$$1 NEO4J_BOLT_PORT=$$2 $(NEO4JCTL) up >/dev/null; done
	GONGJIAN_BENCH_NEO4J_URI=bolt://127.0.0.1:$(BENCH_PORT) GONGJIAN_BENCH_PROVINCE_NEO4J_URI=bolt://127.0.0.1:$(PROVINCE_PORT) \
	  $(BENCH_GO_TEST) -bench 'ProvinceAgainstCity' -benchtime $(BENCHTIME)

bench/peer/node_modules/.package-lock.json: bench/peer/package.json bench/peer/package-lock.json
	cd bench/peer && npm ci --no-audit --no-fund --loglevel=error

bench-peer: neo4j-build $(SEED_BIN) bench/peer/node_modules/.package-lock.json ## compare gongjian with @neo4j/graphql + Apollo Server and with its own statements through the driver, on the city profile (own Neo4j in .data/bench); prints the table, also in test-output/bench-peer.md
	$(call start_loaded,$(BENCH_DATA),$(BENCH_PORT),city,)
	GONGJIAN_BENCH_NEO4J_URI=bolt://127.0.0.1:$(BENCH_PORT) $(BENCH_GO_TEST) -bench 'Peer' -benchtime $(PEER_BENCHTIME)

bench-writes: neo4j-build $(SEED_BIN) ## benchmark the integration path (imports, apply, upserts, a writer beside a 1 KB/s export, feed reads) on the demo profile (own Neo4j in .data/bench-demo)
	NEO4J_DATA_DIR=$(BENCH_WRITES_DATA) NEO4J_BOLT_PORT=$(BENCH_WRITES_PORT) $(NEO4JCTL) up
	./$(SEED_BIN) -profile demo -if-empty -neo4j-uri $(BENCH_WRITES_URI)
	export GONGJIAN_BENCH_WRITES_NEO4J_URI=$(BENCH_WRITES_URI); \
	$(BENCH_GO_TEST) -bench 'Import' -benchtime 10x && \
	$(BENCH_GO_TEST) -bench 'Apply500' -benchtime 20x && \
	$(BENCH_GO_TEST) -bench 'Upsert' -benchtime 2000x && \
	$(BENCH_GO_TEST) -bench 'WriterDuringSlowExport' -benchtime 200x && \
	$(BENCH_GO_TEST) -bench 'FeedRead' -benchtime 20x

.PHONY: bench-down
bench-down: ## stop the benchmarks' Neo4j instances (their data stays in .data/)
	NEO4J_DATA_DIR=$(BENCH_DATA) NEO4J_BOLT_PORT=$(BENCH_PORT) $(NEO4JCTL) down
	NEO4J_DATA_DIR=$(BENCH_WRITES_DATA) NEO4J_BOLT_PORT=$(BENCH_WRITES_PORT) $(NEO4JCTL) down

.PHONY: generate
generate: ## regenerate gqlgen code from schema/*.graphqls
	$(GO) generate ./...

.PHONY: check-generated
check-generated: ## fail when generated code does not match the schema
	@before=$$(cat resolvers/generated/*.go resolvers/model/*.go resolvers/*.resolvers.go | sha256sum); \
	$(GO) generate ./...; \
	after=$$(cat resolvers/generated/*.go resolvers/model/*.go resolvers/*.resolvers.go | sha256sum); \
	if [ "$$before" != "$$after" ]; then \
	  echo "generated code was stale: 'go generate ./...' changed it; commit the result" >&2; \
	  git --no-pager diff --stat -- resolvers >&2 || true; exit 1; \
	fi

.PHONY: test
test: web neo4j-build browser check-generated $(BIN) $(SEED_BIN) ## vet and run every test (Go and browser) against a throw-away Neo4j
	@mkdir -p test-output
	$(GO) vet ./...
	$(NEO4JCTL) with-temp $(GO) test -p 1 -count=1 -timeout 20m ./...
	@# The browser and protocol tests get a database of their own: what the Go tests wrote does not change their answers.
	$(NEO4JCTL) with-temp web/test/run.sh

.PHONY: browser
browser: ## install Debian's Chromium and a CJK font for the browser tests (apt-get; needs root or sudo), unless they are there
	@if [[ ! -x /usr/bin/chromium || ! -d /usr/share/fonts/truetype/wqy ]]; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$([[ $$(id -u) -eq 0 ]] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei >/dev/null; \
	fi

.PHONY: clean
clean: ## remove build output (not the database)
	rm -rf bin web/dist/*.js web/dist/*.css neo4j/target test-output
