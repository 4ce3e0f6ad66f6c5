#!/usr/bin/env bash
# Regenerates the shipped shape catalogue Meshes/ (OBJ + MTL files, index.json, the contact
# sheet) from the procedural generators, deterministically. Run after changing a generator;
# review the diff like code (ShapesCommandTests checks Meshes/ equals a fresh generation).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product semrob >/dev/null
semrob=.build/release/semrob
mkdir -p Meshes
# Test bodies (no class).
"$semrob" make-mesh --kind box --catalog Meshes --output cube.obj --name cube
"$semrob" make-mesh --kind cylinder --segments 48 --catalog Meshes --output cylinder.obj --name cylinder
"$semrob" make-mesh --kind icosphere --subdivisions 3 --catalog Meshes --output sphere.obj --name sphere
"$semrob" make-mesh --kind bumpy-sphere --subdivisions 4 --catalog Meshes --output bumpy-sphere.obj --name bumpy-sphere
# The evaluation set: ten shapes per class, seeds 1-10.
"$semrob" shapes generate --evaluation-set --catalog Meshes
"$semrob" shapes sheet --meshes Meshes --output Meshes/sheet.png
