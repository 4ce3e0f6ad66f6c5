# semrob — build, run, test and benchmark.
#   make run     install missing system packages, build (release), run the main job
#   make test    install missing system packages, run the whole test suite
#   make bench   release build + the render benchmark Tools/bench/render (figures in the README)
# Optional: CPU=znver4 (or haswell, skylake-avx512, ...) builds with -target-cpu for this CPU;
# the binary then runs only on CPUs with those instructions (STYLE.md §10).

SWIFT ?= swift
CPU ?=
SWIFTFLAGS := $(if $(CPU),-Xswiftc -target-cpu -Xswiftc $(CPU),)
SEMROB := .build/release/semrob
OUT ?= out

.PHONY: all deps build run test bench meshes clean

all: build

deps:
	@Tools/install-deps.sh

build: deps
	$(SWIFT) build -c release --product semrob $(SWIFTFLAGS)

# The main job: a render of the first shipped shape (the semantic map takes its place once
# `semrob map` exists).
run: build
	@mkdir -p $(OUT)
	@$(SEMROB) render --shape chair01 --azimuth 30 --elevation 20 --material-colours \
	  --output $(OUT)/chair01.png && \
	  echo "semrob: wrote $(OUT)/chair01.png (and $(OUT)/chair01.json)"

test: deps
	@Tools/test.sh

bench: build
	@Tools/bench/render

meshes: build
	@Tools/generate-meshes.sh

clean:
	rm -rf .build $(OUT)
