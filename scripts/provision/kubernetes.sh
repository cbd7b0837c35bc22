#!/usr/bin/env bash
# Build the real Kubernetes control plane the kubernetes collector's tests run against:
# kube-apiserver, kube-controller-manager and kube-scheduler v1.20.2 from Debian bookworm's own
# `kubernetes` source package (the one its kubernetes-client comes from, with vendor/), built by
# Debian's Go, offline. Cold: 6.5 min on an idle 2-core machine, about 15 under load; peak about
# 1.3 GiB. Everything goes into a cache directory outside the clone, keyed by the version, and
# every finished step is skipped, so a second run on the same machine takes a second.
#
# usage: scripts/provision/kubernetes.sh            (prints the bin directory on its last line)
# env:   PATROL_CACHE_DIR (default /var/cache/patrol)
set -euo pipefail
VERSION=1.20.2
CACHE=${PATROL_CACHE_DIR:-/var/cache/patrol}
D=$CACHE/kubernetes-$VERSION
BINS=(kube-apiserver kube-controller-manager kube-scheduler)

done_already=1
for b in "${BINS[@]}"; do [ -x "$D/bin/$b" ] || done_already=0; done
if [ $done_already = 1 ]; then echo "$D/bin"; exit 0; fi

if [ "$(id -u)" != 0 ]; then
  echo "kubernetes $VERSION is not built in $D/bin; building it needs apt-get (root): sudo $0" >&2
  exit 1
fi
mkdir -p "$D/src" "$D/bin"
exec 9>"$D/.lock"
flock 9 # two runs on one machine build once

# Source packages need a deb-src entry for the mirror already configured: derive it from the
# deb entry rather than naming a host (the machines reach only their configured mirror).
if [ -z "$(apt-cache showsrc kubernetes 2>/dev/null)" ]; then
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    sed -n '/^Types: deb$/,/^$/p' "$f" | sed 's/^Types: deb$/Types: deb-src/'
  done > /etc/apt/sources.list.d/patrol-deb-src.sources
  if [ ! -s /etc/apt/sources.list.d/patrol-deb-src.sources ] && [ -f /etc/apt/sources.list ]; then
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > /etc/apt/sources.list.d/patrol-deb-src.list
    rm -f /etc/apt/sources.list.d/patrol-deb-src.sources
  fi
  apt-get -o DPkg::Lock::Timeout=600 update -qq
fi
# Go, and reflect2 1.0.2: k8s 1.20 vendors reflect2 1.0.1, which crashes on Go >= 1.18.
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
  golang-go golang-github-modern-go-reflect2-dev dpkg-dev >/dev/null

SRC=$D/src/kubernetes-$VERSION
if [ ! -d "$SRC" ]; then
  (cd "$D/src" && { ls kubernetes_*.orig.tar.gz >/dev/null 2>&1 || apt-get source --download-only kubernetes >/dev/null; })
  tar -C "$D/src" -xzf "$D"/src/kubernetes_*.orig.tar.gz
  R=$SRC/vendor/github.com/modern-go/reflect2
  G=/usr/share/gocode/src/github.com/modern-go/reflect2
  mv "$R" "$R.orig" && mkdir "$R"
  cp "$G"/*.go "$G"/*.s "$R/" && rm -f "$R"/*_test.go && cp "$R.orig/LICENSE" "$R/" && rm -rf "$R.orig"
fi

# GOPATH mode, as k8s 1.20's own hack/ scripts build (`go build -mod=vendor` fails on its go.mod).
export GOPATH=$D/gopath GOCACHE=$D/gocache GOPROXY=off GO111MODULE=off CGO_ENABLED=0 GOFLAGS=
mkdir -p "$GOPATH/src/k8s.io"
[ -L "$GOPATH/src/k8s.io/kubernetes" ] || ln -s "$SRC" "$GOPATH/src/k8s.io/kubernetes"
cd "$GOPATH/src/k8s.io/kubernetes"

# The generated OpenAPI definitions are not in the tarball: generate them once.
if [ ! -s pkg/generated/openapi/zz_generated.openapi.go ]; then
  go build -o "$D/bin/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
  dirs=$(find -H . -not \( \( -path './_*' -o -path './.*' -o -path ./vendor \) -prune \) -type f -name '*.go' -print0 |
    xargs -0 grep -l --color=never '+k8s:openapi-gen=' | sed 's|^./staging/src|vendor|; s|^\./||' | xargs -n200 dirname |
    LC_ALL=C sort -u | grep -v -e '^vendor/k8s.io/code-generator' -e '^vendor/k8s.io/sample-apiserver' || true)
  "$D/bin/openapi-gen" --logtostderr -i "$(echo "$dirs" | sed 's|^|k8s.io/kubernetes/|' | paste -sd, -)" \
    -p k8s.io/kubernetes/pkg/generated/openapi -O zz_generated.openapi \
    -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt -r "$D/openapi_violations.report"
fi

# Stamp the version so discovery's /version reports v1.20.2.
ldflags="-s -w"
for v in k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
  ldflags="$ldflags -X $v.gitVersion=v$VERSION -X $v.gitMajor=1 -X $v.gitMinor=20 -X $v.gitTreeState=clean"
done
for b in "${BINS[@]}"; do
  [ -x "$D/bin/$b" ] && continue
  echo "building $b $VERSION into $D/bin (minutes)" >&2
  go build -tags selinux,notest -trimpath -ldflags "$ldflags" -o "$D/bin/$b.tmp" "./cmd/$b"
  mv "$D/bin/$b.tmp" "$D/bin/$b"
done
# The build tree is not needed to run: keep the binaries, drop the gigabytes.
rm -rf "$D/gopath" "$D/gocache" "$SRC" "$D/bin/openapi-gen"
echo "$D/bin"
