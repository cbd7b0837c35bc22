#!/usr/bin/env bash
# What the tests need on this machine (npm test runs this first; so does .ci/run): the real
# components the end-to-end tests start. Installed when running as root (Debian packages through
# apt); otherwise named, with the command that installs them, and npm test stops there.
# A second run finds everything in place and takes a fraction of a second.
set -euo pipefail
cd "$(dirname "$0")/.."

# Prometheus + promtool, Alertmanager + amtool, node_exporter (bench peer); openssl (test
# certificates); util-linux (unshare: the hung-mount and systemd tests' private namespaces);
# python3 (the FUSE server of the hung-mount test); systemd + dbus + dbus-user-session (a real
# `systemd --user` manager with its bus); systemd-journal-remote (real journal files for the
# journal source); iproute2 + lsyncd + rsync + libfaketime (the HA pair in two network
# namespaces, a real mirror between them, a skewed clock); etcd-server + etcd-client (the
# Kubernetes control plane's store, and etcdctl to compact it under a watch); curl; nginx (the
# probes' real web server: stub_status, TLS with a valid and an expired certificate);
# redis-server, postgresql-15, mariadb-server + mariadb-client, rabbitmq-server (the probes'
# real middleware; installing starts none of them, the tests start their own); docker.io +
# busybox-static (a Docker daemon of the test's own, and an image imported from busybox);
# iptables (an address that drops packets, inside a network namespace the probes test makes);
# iputils-arping (the HA VIP conflict probe, arping -D, between two network namespaces);
# binutils (strip: the release build's runtime), the release's .deb installed with apt-get.
PACKAGES=(
  prometheus prometheus-alertmanager prometheus-node-exporter openssl util-linux ca-certificates
  python3 systemd dbus dbus-user-session systemd-journal-remote
  iproute2 lsyncd rsync libfaketime etcd-server etcd-client curl nginx
  redis-server postgresql-15 mariadb-server mariadb-client rabbitmq-server docker.io busybox-static
  iptables iputils-arping binutils
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# kubectl, to compare patrol with what kubectl shows: any version (these machines carry 1.32);
# Debian's kubernetes-client where there is none.
command -v kubectl >/dev/null || missing+=(kubernetes-client)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "npm test needs Debian packages that are not installed: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo "(or run npm test as root, which installs them)" >&2
    exit 1
  fi
  echo "installing what the tests need: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Another apt (unattended upgrades, a parallel job) may hold the lock: wait for it.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A real Kubernetes control plane (kube-apiserver, kube-controller-manager, kube-scheduler
# v1.20.2 built from Debian's own source package), into a cache outside the clone keyed by the
# version: minutes the first time on a machine, a second afterwards.
if ! out=$(bash scripts/provision/kubernetes.sh); then
  echo "the Kubernetes tests need the control plane binaries: $out" >&2
  exit 1
fi
