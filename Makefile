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

.PHONY: all deps build run test bench meshes clean

all: build

deps:
	@Tools/install-deps.sh

build: deps
	$(SWIFT) build -c release --product semrob $(SWIFTFLAGS)

# The main job: the 2-D semantic map of the first shipped shape with the zoo's most accurate
# model → semrob-output/chair01_<model>_nsm.{png,npy,json} and chair01_renders.png.
run: build
	@$(SEMROB) map --shape chair01

test: deps
	@Tools/test.sh

bench: build
	@Tools/bench/render

meshes: build
	@Tools/generate-meshes.sh

clean:
	rm -rf .build semrob-output
