#!/bin/sh
# Installs patrol from the unpacked release tarball: no network and no Node.js needed on the
# host (the runtime is in bin/node; it needs glibc 2.28 or newer: RHEL/CentOS 8, Debian 10,
# Ubuntu 18.10 and later; older hosts run the container image).
#
#   sudo ./install.sh [--prefix=/opt/patrol] [--runbook-url=URL] [--no-start]
#   sudo ./install.sh --uninstall [--purge]
#
# It copies this directory to the prefix (an upgrade replaces the old tree in one rename),
# creates the system user `patrol`, installs /etc/patrol/patrol.yml unless one exists (every
# key at its default, see config.example.yaml), checks it, installs the unit and, where
# systemd runs, enables and (re)starts it. --runbook-url rewrites the alert rules in
# <prefix>/alerts so that each alert links to URL/<Alert>.md (e.g. the runbooks patrol itself
# serves: http://<host>:9872/runbooks).
set -eu
# What is installed is root's and readable by everyone (user patrol, whatever umask unpacked it).
umask 022

prefix=/opt/patrol
runbook_url=
start=yes
uninstall=no
purge=no
for arg in "$@"; do
  case "$arg" in
    --prefix=*) prefix=${arg#--prefix=} ;;
    --runbook-url=*) runbook_url=${arg#--runbook-url=} ;;
    --no-start) start=no ;;
    --uninstall) uninstall=yes ;;
    --purge) purge=yes ;;
    -h | --help)
      sed -n '2,15s/^# \{0,1\}//p' "$0"
      exit 0
      ;;
    *)
      echo "install.sh: unknown argument $arg (see --help)" >&2
      exit 2
      ;;
  esac
done

say() { echo "install.sh: $*" >&2; }
die() {
  say "$*"
  exit 1
}

[ "$(id -u)" = 0 ] || die "run as root (it creates a user and installs a systemd unit)"
prefix=${prefix%/}
case "$prefix" in /*) ;; *) die "--prefix must be an absolute path, not $prefix" ;; esac
# The unit's ExecStart splits on spaces, and the prefix goes through sed below.
case "$prefix" in *[[:space:]\#\&]*) die "--prefix must not contain spaces, # or &: $prefix" ;; esac
# The prefix is replaced (or removed) whole: never a directory that is not patrol's own.
if [ -e "$prefix" ] && [ ! -f "$prefix/build-info.json" ]; then
  die "$prefix exists and is not a patrol installation (no build-info.json): choose another --prefix"
fi
systemd_running() { [ -d /run/systemd/system ]; }
unit=/etc/systemd/system/patrol.service

if [ "$uninstall" = yes ]; then
  if systemd_running; then systemctl disable --now patrol.service 2>/dev/null || true; fi
  rm -f "$unit"
  if systemd_running; then systemctl daemon-reload; fi
  rm -rf "$prefix"
  if [ "$purge" = yes ]; then
    rm -rf /etc/patrol /var/lib/patrol
    if getent passwd patrol >/dev/null; then userdel patrol; fi
    if getent group patrol >/dev/null; then groupdel patrol; fi
  fi
  say "patrol removed from $prefix$([ "$purge" = yes ] && echo ', with its configuration, state and user')"
  exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
[ -x "$here/bin/node" ] || die "run install.sh from the unpacked release tarball ($here/bin/node is missing)"

# The bundled runtime is built against glibc 2.28.
arch=$(uname -m)
[ "$arch" = x86_64 ] || die "this tarball is for x86_64, this host is $arch"
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
case "$glibc" in
  '') die "this host has no glibc (musl?): use the container image instead" ;;
esac
if [ "$(printf '%s\n2.28\n' "$glibc" | sort -t. -k1,1n -k2,2n | head -n1)" != 2.28 ]; then
  die "this host has glibc $glibc; the bundled Node.js needs 2.28 or newer: use the container image instead"
fi
"$here/bin/node" -e 0 || die "the bundled runtime does not start on this host"

if ! getent passwd patrol >/dev/null; then
  nologin=/usr/sbin/nologin
  [ -x "$nologin" ] || nologin=/sbin/nologin
  useradd --system --user-group --no-create-home --home-dir /var/lib/patrol --shell "$nologin" patrol
  say "created the system user patrol"
fi
# Log directories (/var/log, nginx, redis) are usually readable by group adm; the unit adds it
# (SupplementaryGroups=adm), this covers running patrol by hand where systemd does not run.
if getent group adm >/dev/null; then usermod -a -G adm patrol; fi
# Without systemd no StateDirectory= makes it: the logs collector keeps its read positions here.
install -d -o patrol -g patrol -m 0750 /var/lib/patrol

install -d -m 0755 /etc/patrol
if [ ! -e /etc/patrol/patrol.yml ]; then
  install -m 0644 "$here/config.example.yaml" /etc/patrol/patrol.yml
  say "wrote /etc/patrol/patrol.yml (every key at its default: add the directories, units, probes to watch)"
fi
# Checked by the new version before anything running is replaced.
"$here/bin/node" "$here/dist/main.js" --config.file=/etc/patrol/patrol.yml --check-config >/dev/null ||
  die "/etc/patrol/patrol.yml is not valid for this version (above); fix it and run install.sh again"

if [ "$here" != "$prefix" ]; then
  mkdir -p "$(dirname "$prefix")"
  rm -rf "$prefix.new"
  cp -R "$here" "$prefix.new"
  rm -f "$prefix.new/install.sh"
  chown -R 0:0 "$prefix.new"
  chmod -R u+rwX,go+rX,go-w "$prefix.new"
  if [ -e "$prefix" ]; then
    rm -rf "$prefix.old"
    mv "$prefix" "$prefix.old"
  fi
  mv "$prefix.new" "$prefix"
  rm -rf "$prefix.old"
fi
say "installed $(cat "$prefix/build-info.json" | tr -d '\n ' ) into $prefix"

if [ -n "$runbook_url" ]; then
  for lang in en zh-CN; do
    dir=$prefix/alerts
    [ "$lang" = en ] || dir=$prefix/alerts/$lang
    "$prefix/bin/node" "$prefix/dist/main.js" --print-rules="$lang" --rules.runbook-url="$runbook_url" \
      >"$dir/patrol.rules.yml.new" || die "cannot set the runbook URL to $runbook_url"
    mv "$dir/patrol.rules.yml.new" "$dir/patrol.rules.yml"
  done
  say "alert rules in $prefix/alerts link to $runbook_url/<Alert>.md: copy them to Prometheus"
fi

sed "s#/opt/patrol/#$prefix/#g" "$prefix/deploy/patrol.service" >"$unit"
chmod 0644 "$unit"
if systemd_running; then
  systemctl daemon-reload
  systemctl enable patrol.service
  if [ "$start" = yes ]; then
    systemctl restart patrol.service
    say "patrol runs: systemctl status patrol; curl -s http://localhost:9872/metrics"
  fi
else
  say "systemd is not running here: the unit is in $unit for when it does; start patrol by hand with"
  say "  setpriv --reuid=patrol --regid=patrol --init-groups $prefix/bin/patrol --config.file=/etc/patrol/patrol.yml"
fi
