# Shared by scripts/run and scripts/test: installs what is missing, quietly and idempotently, and
# builds the app. Sourced, not run. Every tool version here is pinned; see README.md.

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/tools/build/node_modules/.bin:$PATH"
# Never let rustup update itself or the toolchain behind our back.
export RUSTUP_SELF_UPDATE_DISABLED=1 RUSTUP_AUTO_INSTALL=0

TRUNK_VERSION=0.21.14

# Announces an install or a step that takes time; silence otherwise.
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The version Cargo.lock resolves for a crate.
lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_apt() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_cargo_tool BINARY VERSION CRATE [cargo install flags...]
ensure_cargo_tool() {
  local binary=$1 version=$2 crate=$3
  shift 3
  if "$binary" --version 2>/dev/null | grep -qw -- "$version"; then return; fi
  say "installing $crate $version (a few minutes, once)"
  cargo install --quiet --force "$crate" --version "$version" "$@"
}

# npm packages pinned by a package-lock.json, installed once per lock file.
ensure_npm() {
  local dir=$1 stamp=$1/node_modules/.lane-installed-lock
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then return; fi
  say "installing npm packages in $dir"
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
  cp "$dir/package-lock.json" "$stamp"
}

# Python tools pinned by a requirements.txt, in a virtual environment of their own in DIR/.venv.
ensure_pip() {
  local dir=$1 stamp=$1/.venv/.lane-installed-requirements
  if [ -f "$stamp" ] && cmp -s "$dir/requirements.txt" "$stamp"; then return; fi
  say "installing Python packages in $dir"
  rm -rf "$dir/.venv"
  python3 -m venv "$dir/.venv"
  "$dir/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$dir/requirements.txt"
  cp "$dir/requirements.txt" "$stamp"
}

ensure_build_tools() {
  command -v cargo >/dev/null || { echo "Rust (rustup) is required: https://rustup.rs" >&2; exit 1; }
  command -v npm >/dev/null || ensure_apt nodejs npm
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "installing the wasm32 target"
    rustup target add wasm32-unknown-unknown >/dev/null
  fi
  ensure_cargo_tool trunk "$TRUNK_VERSION" trunk --locked
  local bindgen
  bindgen=$(lock_version wasm-bindgen)
  for config in Trunk.toml bench/floor/Trunk.toml; do
    if ! grep -q "^wasm_bindgen = \"$bindgen\"" "$config"; then
      echo "$config must pin wasm_bindgen = \"$bindgen\", the version Cargo.lock resolves" >&2
      exit 1
    fi
  done
  # Without --locked: its lockfile names a crate version the registry no longer serves.
  ensure_cargo_tool wasm-bindgen "$bindgen" wasm-bindgen-cli
  ensure_npm tools/build
  cargo fetch --locked --quiet
}

# The release app in dist/, built with no download (Trunk's offline mode, tools from PATH).
build_app() {
  CARGO_TERM_QUIET=true trunk build --release --offline=true --quiet "$@" | { grep -v '^post-build:' || true; }
}
