#!/usr/bin/env bash
# Makes the Pulumi toolchain this project needs available, and prints its bin directory
# on the last line of stdout (everything else goes to stderr):
#   pulumi                         the CLI, v3.248.0 (matches @pulumi/pulumi 3.248.0)
#   pulumi-language-nodejs         the Node.js language host
#   pulumi-resource-pulumi-nodejs  the dynamic-provider launcher (shipped in @pulumi/pulumi)
#
# Order of preference:
#   1. PULUMI_TOOLCHAIN_BIN=<dir> holding all three (no checks beyond presence);
#   2. a `pulumi` on PATH at >= 3.248.0 with pulumi-language-nodejs beside it or on PATH;
#   3. the cache: ${PULUMI_TOOLCHAIN_CACHE:-~/.cache/pulumi-tencentcloud-images}/pulumi-<versions>/bin;
#   4. a build from the Go module proxy into that cache (needs Go >= 1.25).
#
# A build shows its phases, a heartbeat every TOOLCHAIN_HEARTBEAT_SECONDS (default 30) and the
# path of its full log, $cache_root/build.log (kept; on failure its last lines are shown too);
# see scripts/lib/progress.sh.
#
# Why the language host is v3.68.0: the Go module proxy here refuses every version of
# github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 (403 "This module version
# is not available"), the module the host has lived in since v3.69.0. Up to v3.68.0 the host was
# a package of github.com/pulumi/pulumi/sdk/v3, which the proxy serves, so we build it from
# there. The engine (the CLI) is the v3.248.0 one; the host only starts `node` on the SDK's
# own run script (from the project's node_modules, i.e. @pulumi/pulumi 3.248.0).
set -euo pipefail

PULUMI_VERSION="v3.248.0"
LANGUAGE_HOST_SDK_VERSION="v3.68.0"
CLIPBOARD_REPLACE="github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e"
MIN_PATH_VERSION="3.248.0"

say() { printf '[toolchain] %s\n' "$*" >&2; }
die() { printf '[toolchain] error: %s\n' "$*" >&2; exit 1; }

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/progress.sh
. "$repo_root/scripts/lib/progress.sh"
launcher_src="$repo_root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"

version_at_least() { # $1 >= $2 (dotted numbers)
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

complete_bin_dir() { # all three executables present
  [ -x "$1/pulumi" ] && [ -x "$1/pulumi-language-nodejs" ] && [ -x "$1/pulumi-resource-pulumi-nodejs" ]
}

add_launcher() { # the launcher script ships in the npm package; copy it next to the CLI
  local bin="$1"
  [ -x "$bin/pulumi-resource-pulumi-nodejs" ] && return 0
  [ -f "$launcher_src" ] || die "missing $launcher_src: run 'npm install' first."
  cp "$launcher_src" "$bin/pulumi-resource-pulumi-nodejs"
  chmod 755 "$bin/pulumi-resource-pulumi-nodejs"
}

# 1. An explicit toolchain directory.
if [ -n "${PULUMI_TOOLCHAIN_BIN:-}" ]; then
  complete_bin_dir "$PULUMI_TOOLCHAIN_BIN" || die "PULUMI_TOOLCHAIN_BIN=$PULUMI_TOOLCHAIN_BIN lacks pulumi, pulumi-language-nodejs or pulumi-resource-pulumi-nodejs."
  say "using PULUMI_TOOLCHAIN_BIN=$PULUMI_TOOLCHAIN_BIN"
  echo "$PULUMI_TOOLCHAIN_BIN"; exit 0
fi

cache_root="${PULUMI_TOOLCHAIN_CACHE:-$HOME/.cache/pulumi-tencentcloud-images}"

# 2. An installed Pulumi that is recent enough. Its install may lack the dynamic-provider
#    launcher (it ships with the SDK too): then a small folder in the cache links the installed
#    binaries next to a copy of the launcher.
if command -v pulumi >/dev/null 2>&1; then
  path_pulumi="$(readlink -f "$(command -v pulumi)")"
  path_version="$("$path_pulumi" version 2>/dev/null | sed 's/^v//')"
  path_dir="$(dirname "$path_pulumi")"
  path_host="$path_dir/pulumi-language-nodejs"
  [ -x "$path_host" ] || path_host="$(command -v pulumi-language-nodejs 2>/dev/null || true)"
  if [ -n "$path_version" ] && version_at_least "$path_version" "$MIN_PATH_VERSION" && [ -n "$path_host" ] && [ -x "$path_host" ]; then
    if [ -x "$path_dir/pulumi-resource-pulumi-nodejs" ] && [ "$path_host" = "$path_dir/pulumi-language-nodejs" ]; then
      say "using pulumi $path_version from $path_dir"
      echo "$path_dir"; exit 0
    fi
    linked="$cache_root/installed-v$path_version/bin"
    mkdir -p "$linked"
    ln -sf "$path_pulumi" "$linked/pulumi"
    ln -sf "$(readlink -f "$path_host")" "$linked/pulumi-language-nodejs"
    add_launcher "$linked"
    say "using pulumi $path_version from $path_dir, with the launcher from @pulumi/pulumi ($linked)"
    echo "$linked"; exit 0
  fi
  say "pulumi on PATH is '${path_version:-unknown}' (need >= $MIN_PATH_VERSION with the Node.js language host); using this project's own build instead"
fi

# 3. The cache, keyed by version; a cached pulumi must report exactly that version.
key="pulumi-${PULUMI_VERSION}-nodejs-host-${LANGUAGE_HOST_SDK_VERSION}"
target="$cache_root/$key"
if [ -x "$target/bin/pulumi" ] && [ -x "$target/bin/pulumi-language-nodejs" ] \
   && [ "$("$target/bin/pulumi" version 2>/dev/null)" = "$PULUMI_VERSION" ]; then
  add_launcher "$target/bin"
  say "reusing cached toolchain $target/bin ($PULUMI_VERSION)"
  echo "$target/bin"; exit 0
fi

# 4. Build from the Go module proxy.
command -v go >/dev/null 2>&1 || die "neither a Pulumi >= $MIN_PATH_VERSION on PATH nor Go to build one.
Install Pulumi (https://www.pulumi.com/docs/install/, e.g. 'curl -fsSL https://get.pulumi.com | sh') and re-run,
or install Go >= 1.25 (https://go.dev/dl/) so this script can build Pulumi $PULUMI_VERSION from source."
say "building Pulumi $PULUMI_VERSION and the Node.js language host from Go modules (first time only: about 10 minutes on 2 cores, about 3.6 GB of Go module and build caches)"
say "go: $(go version)  GOMODCACHE=$(go env GOMODCACHE)  GOCACHE=$(go env GOCACHE)"
mkdir -p "$cache_root"
work="$(mktemp -d "$cache_root/.build-XXXXXX")"
trap 'progress_stop; rm -rf "$work"' EXIT
build_log="$cache_root/build.log"
progress_start "$build_log"
say "full build log (go's own output): $build_log"
export GOFLAGS=-mod=mod CGO_ENABLED=0
build_flags=(-trimpath -tags osusergo,grpcnotrace)
ldflag() { echo "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$1"; }
started=$(date +%s)
# Each phase runs through run_logged (output to the log, heartbeat on stderr), which calls it with
# `set -e` off, hence the && chains.

# 4a. The CLI: a wrapper module, since `go install` refuses modules with replace directives.
resolve_cli() {
  go mod init example.local/pulumi-cli-build &&
  go mod edit -replace "github.com/atotto/clipboard=$CLIPBOARD_REPLACE" &&
  go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$PULUMI_VERSION" &&
  go get "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION"
}
compile_cli() {
  go build "${build_flags[@]}" -ldflags "$(ldflag "$PULUMI_VERSION")" -o "$work/bin/" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}
mkdir -p "$work/cli" "$work/bin"
{ cd "$work/cli" &&
  run_logged "resolving github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" resolve_cli &&
  run_logged "compiling pulumi (the slow part)" compile_cli
} || die "building the Pulumi CLI failed (see above)."

# 4b. The Node.js language host, from sdk/v3 (see the header for why this version).
resolve_host() {
  go mod init example.local/pulumi-nodejs-host-build &&
  go get "github.com/pulumi/pulumi/sdk/v3@$LANGUAGE_HOST_SDK_VERSION" &&
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"\n' > tools.go &&
  go mod tidy
}
compile_host() {
  go build "${build_flags[@]}" -ldflags "$(ldflag "$LANGUAGE_HOST_SDK_VERSION")" -o "$work/bin/" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
}
mkdir -p "$work/host"
{ cd "$work/host" &&
  run_logged "resolving github.com/pulumi/pulumi/sdk/v3@$LANGUAGE_HOST_SDK_VERSION (Node.js language host)" resolve_host &&
  run_logged "compiling pulumi-language-nodejs" compile_host
} || die "building the Node.js language host failed (see above)."
cd "$cache_root"

add_launcher "$work/bin"
built_version="$("$work/bin/pulumi" version)"
[ "$built_version" = "$PULUMI_VERSION" ] || die "built pulumi reports '$built_version', expected $PULUMI_VERSION."
rm -rf "$target.old"; [ -d "$target" ] && mv "$target" "$target.old"
mkdir -p "$target"; mv "$work/bin" "$target/bin"; rm -rf "$target.old"
say "built in $(( $(date +%s) - started ))s: $(du -sh "$target/bin" | cut -f1) in $target/bin"
echo "$target/bin"
