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
	@shape=$$($(SEMROB) shapes --names | head -n 1); \
	  $(SEMROB) render --shape "$$shape" --azimuth 30 --elevation 20 --output $(OUT)/$$shape.png && \
	  echo "semrob: wrote $(OUT)/$$shape.png (and $(OUT)/$$shape.json)"

test: deps
	@Tools/test.sh

bench: build
	@Tools/bench/render

meshes: build
	@Tools/generate-meshes.sh

clean:
	rm -rf .build $(OUT)
