# Convenience targets; each is one plain Go command you can also type yourself.
GO ?= go

.PHONY: run test ci bench load fuzz lint

run:   ## start the gateway: embedded Redis, purelogs seeded
	$(GO) run ./cmd/stixgate serve

test:  ## the test command (same as the README)
	$(GO) test -race ./...

ci:    ## everything CI runs
	bash .ci/run

bench: ## micro-benchmarks
	$(GO) test -run '^$$' -bench . -benchmem ./...

load:  ## load harness against a fresh in-process gateway (see README, Performance)
	$(GO) run ./cmd/stixgate bench --objects $${OBJECTS:-10000}

fuzz:  ## every fuzz target for FUZZTIME (default 30s)
	bash .ci/fuzz $${FUZZTIME:-30s}

lint:
	gofmt -l $$(git ls-files '*.go')
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
