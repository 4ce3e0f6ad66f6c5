#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages semrob builds and tests against, only when missing.
#   libopenblas-dev  BLAS kernels of the network engine (sgemm/sgemv)
#   libpng-dev       PNG read/write (libpng simplified API)
#   libassimp-dev    mesh import for every format besides OBJ (PLY, STL, OFF, glTF, FBX, ...)
#   pkg-config       lets SwiftPM find the three libraries' flags
#   assimp-testmodels  assimp's test and hostile models, used by the test suite
set -euo pipefail

packages=(libopenblas-dev libpng-dev libassimp-dev pkg-config assimp-testmodels)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all system packages present (${packages[*]})"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
  sudo=(sudo)
else
  echo "install-deps: error: missing packages ${missing[*]}, and this user can neither run" \
       "apt-get (not root) nor sudo. Ask an administrator to run:" >&2
  echo "  apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: error: apt-get not found; install ${missing[*]} with your package manager." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
