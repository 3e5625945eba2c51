#!/usr/bin/env bash
# Installs the Debian packages snnipred needs (idempotent) and builds it in Release
# into ./build. Usage: scripts/setup.sh [extra cmake args]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  libeigen3-dev libonnx-dev libprotobuf-dev protobuf-compiler
  nlohmann-json3-dev libcli11-dev libfmt-dev libtorch-dev gnuplot-nox
  libsodium-dev libssl-dev libsqlite3-dev zlib1g-dev
  python3-dev pybind11-dev python3-pytest python3-numpy python3-matplotlib
  python3-torch python3-torchvision python3-onnx
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build -j"$(nproc)"

# `import snnipred`: a .pth file puts build/python on the path of Debian's python3 and of
# the python3 first on PATH when it is the same CPython (the extension's ABI).
package_dir="$PWD/build/python"
abi() { "$1" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))'; }
for interpreter in /usr/bin/python3 "$(command -v python3 || true)"; do
  [ -x "$interpreter" ] && [ "$(abi "$interpreter")" = "$(abi /usr/bin/python3)" ] || continue
  site=$("$interpreter" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  if ! { mkdir -p "$site" && echo "$package_dir" > "$site/snnipred.pth"; } 2>/dev/null; then
    site=$("$interpreter" -m site --user-site)
    mkdir -p "$site" && echo "$package_dir" > "$site/snnipred.pth"
  fi
done
