#!/usr/bin/env bash
# Installs the real components the test suite uses (Debian packages), only those missing.
# Idempotent and quick when everything is present. Servers are started by the tests themselves.
set -euo pipefail

# command-to-check => Debian package
declare -A NEED=(
  [rpcbind]=rpcbind
  [ganesha.nfsd]="nfs-ganesha nfs-ganesha-vfs"
  [rpcinfo]=rpcbind
  [nfs-ls]=libnfs-utils
  [bindfs]=bindfs
  [fusermount3]=fuse3
  [dnsmasq]=dnsmasq-base
  [journalctl]=systemd
  [systemd-socket-activate]=systemd
  [/lib/systemd/systemd-journal-remote]=systemd-journal-remote
  [prometheus]=prometheus
  [promtool]=prometheus
  [prometheus-node-exporter]=prometheus-node-exporter
  [prometheus-blackbox-exporter]=prometheus-blackbox-exporter
  [prometheus-alertmanager]=prometheus-alertmanager
  [openssl]=openssl
  [perl]=perl-base
  [setpriv]=util-linux
  [unshare]=util-linux
  [python3]=python3
  [chromium]=chromium
  [ip]=iproute2
  [nft]=nftables
  [getent]=libc-bin
  # The agent image (scripts/image/build.sh, test/deploy/image.test.ts).
  [mmdebstrap]=mmdebstrap
  [buildah]=buildah
  [skopeo]=skopeo
)

missing=()
for cmd in "${!NEED[@]}"; do
  if [[ "$cmd" == /* ]]; then [[ -x "$cmd" ]] && continue; else command -v "$cmd" >/dev/null 2>&1 && continue; fi
  missing+=(${NEED[$cmd]})
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

mapfile -t pkgs < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "lab: installing Debian packages: ${pkgs[*]}" >&2
if [[ $(id -u) -ne 0 ]]; then
  # Not fatal: lint, typecheck and every test that needs no system package still run; the tests that
  # need one fail naming it. This line says once what to run.
  echo "lab: missing Debian packages: ${pkgs[*]}" >&2
  echo "lab: the tests that use them will fail; install them once with: sudo npm run lab" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg run (e.g. a concurrent install) instead of failing on its lock.
apt_opts=(-o DPkg::Lock::Timeout=600)
apt-get "${apt_opts[@]}" update -qq >&2
# Debian's packages start nothing here (no systemd as PID 1); policy-rc.d keeps it that way elsewhere.
apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${pkgs[@]}" >&2
