#!/bin/sh
# Rebuilds the Go binary fixtures hello-go-linux-amd64.gz, hello-go-windows-amd64.exe.gz, hello-go-darwin-arm64.gz.
# Needs a Go toolchain (Debian: apt-get install golang-go; go1.19.8 was used), git, zip and gzip; no network.
# The program is tiny and stripped (-s -w, -trimpath) so the fixtures stay small (gzipped: ~360 KB each).
# Its module requires
#   example.com/greet v1.2.3  served from a file:// module proxy built here, so the `dep` line carries an h1: hash;
#   example.com/local v0.0.0  replaced by the directory ./local, so the build info has a `=>` line.
# It is built inside a git repository with a fixed commit date, so the vcs.* build settings are present.
set -eu
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
export HOME="$work/home" GOPATH="$work/gopath" GOCACHE="$work/gocache"
export GOPROXY="file://$work/proxy" GOSUMDB=off GOFLAGS=-mod=mod CGO_ENABLED=0

# a one-module proxy (https://go.dev/ref/mod#goproxy-protocol): list, .info, .mod and .zip
mkdir -p "$work/src/example.com/greet@v1.2.3" "$work/proxy/example.com/greet/@v"
printf 'module example.com/greet\n\ngo 1.19\n' > "$work/src/example.com/greet@v1.2.3/go.mod"
printf 'package greet\n\nfunc Hello() string { return "hello" }\n' > "$work/src/example.com/greet@v1.2.3/greet.go"
(cd "$work/src" && TZ=UTC touch -t 202401020304 example.com/greet@v1.2.3/* && zip -qX -r "$work/proxy/example.com/greet/@v/v1.2.3.zip" example.com/greet@v1.2.3)
cp "$work/src/example.com/greet@v1.2.3/go.mod" "$work/proxy/example.com/greet/@v/v1.2.3.mod"
printf '{"Version":"v1.2.3","Time":"2024-01-02T03:04:05Z"}\n' > "$work/proxy/example.com/greet/@v/v1.2.3.info"
printf 'v1.2.3\n' > "$work/proxy/example.com/greet/@v/list"

mkdir -p "$work/hello/local"
cd "$work/hello"
cat > go.mod <<'MOD'
module example.com/hello

go 1.19

require (
	example.com/greet v1.2.3
	example.com/local v0.0.0
)

replace example.com/local v0.0.0 => ./local
MOD
cat > main.go <<'SRC'
package main

import (
	"example.com/greet"
	"example.com/local"
)

func main() { println(greet.Hello(), local.Name()) }
SRC
printf 'module example.com/local\n\ngo 1.19\n' > local/go.mod
printf 'package local\n\nfunc Name() string { return "local" }\n' > local/local.go
go mod tidy
git init -q .
git add -A
GIT_AUTHOR_DATE=2024-01-02T03:04:05Z GIT_COMMITTER_DATE=2024-01-02T03:04:05Z \
  git -c user.name=fixture -c user.email=fixture@example.com commit -q -m fixture
build() { GOOS=$1 GOARCH=$2 go build -trimpath -ldflags="-s -w" -o "$work/$3" . && gzip -9 -n -c "$work/$3" > "$out/$3.gz"; }
build linux amd64 hello-go-linux-amd64
build windows amd64 hello-go-windows-amd64.exe
build darwin arm64 hello-go-darwin-arm64
go version -m "$work/hello-go-linux-amd64"
cat go.sum
