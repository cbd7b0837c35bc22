#!/bin/bash
# Run by release.test.ts inside `unshare --mount --net`: a host with no network (only a
# loopback) and no Node.js, where the release tarball is carried in and installed as an operator
# would (./install.sh as root). /etc and /opt are private copies, so the real host is untouched.
# Writes what the test checks into $OUT: the interfaces, install.sh's output, --check-config,
# /metrics and /-/ready of the exporter started with the unit's own command as user patrol.
set -euo pipefail
tarball=$1 work=$2 OUT=$3 runbook_url=$4

ip link set lo up
ip -o link show >"$OUT/links.txt"

mkdir "$work/etc"
cp -a /etc/. "$work/etc/"
mount --bind "$work/etc" /etc
mount -t tmpfs -o mode=0755 tmpfs /opt
# No Node.js on this host: whatever node the machine has is made unrunnable here.
for n in /usr/bin/node /usr/local/bin/node /usr/bin/nodejs; do
  if [ -e "$n" ]; then mount --bind /dev/null "$n"; fi
done
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
if node --version >/dev/null 2>&1; then echo "a Node.js is still runnable" >&2; exit 1; fi

cd "$work"
tar -xzf "$tarball"
./patrol-*/install.sh --runbook-url="$runbook_url" >"$OUT/install.txt" 2>&1
cp /opt/patrol/alerts/patrol.rules.yml "$OUT/rules.en.yml"
cp /opt/patrol/alerts/zh-CN/patrol.rules.yml "$OUT/rules.zh-CN.yml"
cp /etc/systemd/system/patrol.service "$OUT/patrol.service"
# Root's files, readable by everyone, writable by root alone (whatever unpacked the tarball).
find /opt/patrol \( ! -user root -o ! -perm -o+r -o -perm /go+w \) -print >"$OUT/bad-modes.txt"
id patrol >"$OUT/id.txt"
/opt/patrol/bin/patrol --config.file=/etc/patrol/patrol.yml --check-config >"$OUT/check-config.txt"

# The unit's ExecStart, as user patrol with the unit's groups.
cmd=$(sed -n '/^ExecStart=/,/[^\\]$/p' /etc/systemd/system/patrol.service | sed 's/^ExecStart=//; s/\\$//' | tr '\n' ' ')
# shellcheck disable=SC2086
setpriv --reuid=patrol --regid=patrol --init-groups $cmd >"$OUT/exporter.log" 2>&1 &
pid=$!
ready=
for _ in $(seq 1 200); do
  if curl -fsS -o "$OUT/ready.txt" http://127.0.0.1:9872/-/ready 2>/dev/null; then ready=yes; break; fi
  sleep 0.1
done
[ -n "$ready" ] || { echo "not ready after 20 s" >&2; kill "$pid"; exit 1; }
curl -fsS http://127.0.0.1:9872/metrics >"$OUT/metrics.txt"
curl -fsS -o /dev/null -w '%{http_code}\n' http://127.0.0.1:9872/runbooks/PatrolExporterDown.md >"$OUT/runbook-status.txt" || true
grep -E '^(Uid|Gid|Groups):' "/proc/$pid/status" >"$OUT/status.txt"
kill -TERM "$pid"
wait "$pid" || true

# An upgrade (the tarball installed again) keeps the operator's configuration and leaves one
# tree; then --uninstall --purge leaves nothing of patrol's.
echo '# edited by the operator' >>/etc/patrol/patrol.yml
./patrol-*/install.sh >"$OUT/upgrade.txt" 2>&1
tail -n 1 /etc/patrol/patrol.yml >"$OUT/config-after-upgrade.txt"
ls -A /opt >"$OUT/opt-after-upgrade.txt"
./patrol-*/install.sh --uninstall --purge >"$OUT/uninstall.txt" 2>&1
{
  ls -A /opt
  if [ -e /etc/patrol ]; then echo /etc/patrol; fi
  if [ -e /etc/systemd/system/patrol.service ]; then echo /etc/systemd/system/patrol.service; fi
  getent passwd patrol || true
  getent group patrol || true
} >"$OUT/left.txt"

# --prefix never replaces a directory that is not patrol's own.
mkdir /opt/other
echo mine >/opt/other/keep
if ./patrol-*/install.sh --prefix=/opt/other >"$OUT/other-prefix.txt" 2>&1; then
  echo "installed over /opt/other" >&2
  exit 1
fi
cat /opt/other/keep >>"$OUT/other-prefix.txt"
