#!/usr/bin/env bash
# Builds the faultline agent image without any base image from a registry:
#   1. the app: `tsc` output + production node_modules (pure JavaScript, the same for every arch);
#   2. per arch, a root filesystem of three Debian packages (libc6, libstdc++6, libgcc-s1: what the
#      node binary links against), unpacked by mmdebstrap --variant=extract: no shell, no dpkg, no apt;
#   3. the node binary per arch (a given file, or the official build from nodejs.org, checked against
#      its SHASUMS256.txt);
#   4. `buildah build` of ./Containerfile (no RUN steps, so no emulation for foreign arches), one
#      manifest list for all arches; --push sends it to a registry.
#
#   scripts/image/build.sh [--arch amd64,arm64] [--tag NAME] [--push DEST] [--oci-archive FILE]
#   NODE_BINARY_amd64=/usr/bin/node   use this node binary for amd64 instead of downloading
#   NODE_VERSION=20.20.2              the nodejs.org release to download otherwise
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/build/image}
ARCHES=$(dpkg --print-architecture 2>/dev/null || echo amd64)
TAG=localhost/faultline/agent:dev
PUSH=
ARCHIVE=
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
VERSION=$(node -p "require('$ROOT/package.json').version")

while (($#)); do
  case $1 in
    --arch) ARCHES=$2; shift 2 ;;
    --tag) TAG=$2; shift 2 ;;
    --push) PUSH=$2; shift 2 ;;
    --oci-archive) ARCHIVE=$2; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# command => Debian package; a missing tool fails here, naming the package.
declare -A NEED=([mmdebstrap]=mmdebstrap [buildah]=buildah [npm]=npm [tar]=tar [sha256sum]=coreutils)
missing=()
for c in "${!NEED[@]}"; do command -v "$c" >/dev/null 2>&1 || missing+=("${NEED[$c]}"); done
if ((${#missing[@]})); then
  echo "build.sh: missing tools; install the Debian packages: ${missing[*]}" >&2
  exit 1
fi

mkdir -p "$OUT"

# 1. The app.
echo "image: building the app" >&2
(cd "$ROOT" && npx tsc -p tsconfig.build.json)
rm -rf "$OUT/app"
mkdir -p "$OUT/app"
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$OUT/app/"
cp -r "$ROOT/dist/src" "$OUT/app/src"
(cd "$OUT/app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
# bin.js sits under dist/src in the npm package; here under src: keep the npm layout's relative paths.
mkdir -p "$OUT/app/dist" && mv "$OUT/app/src" "$OUT/app/dist/src"
find "$OUT/app/node_modules" \( -name '*.md' -o -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -type f -delete

# Accounts: root (owns the files) and faultline (65532, runs the agent where the probes allow it).
mkdir -p "$OUT/etc"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nfaultline:x:65532:65532:faultline:/nonexistent:/usr/sbin/nologin\n' >"$OUT/etc/passwd"
printf 'root:x:0:\nfaultline:x:65532:\n' >"$OUT/etc/group"

# 2 and 3, per arch. The root filesystem is cached: it changes only with this script.
stamp=$(sha256sum "$0" | cut -c1-16)
IFS=, read -ra arch_list <<<"$ARCHES"
for arch in "${arch_list[@]}"; do
  rootfs="$OUT/rootfs-$arch.tar"
  if [[ ! -s $rootfs || $(cat "$rootfs.stamp" 2>/dev/null) != "$stamp" ]]; then
    echo "image: root filesystem for $arch from Debian $SUITE" >&2
    mmdebstrap --quiet --variant=extract --architectures="$arch" \
      --include=libc6,libstdc++6,libgcc-s1 \
      --skip=output/dev \
      --customize-hook='cd "$1" && rm -rf usr/share/doc usr/share/man usr/share/info usr/share/locale usr/share/lintian etc/apt var/lib/apt var/cache/apt var/lib/dpkg etc/dpkg var/log/* usr/lib/*/gconv' \
      "$SUITE" "$rootfs" "$MIRROR"
    echo "$stamp" >"$rootfs.stamp"
  fi
  var="NODE_BINARY_$arch"
  node_out="$OUT/node-$arch"
  if [[ -n ${!var:-} ]]; then
    cp "${!var}" "$node_out"
  else
    : "${NODE_VERSION:?set NODE_VERSION (nodejs.org release) or NODE_BINARY_$arch}"
    case $arch in amd64) narch=x64 ;; arm64) narch=arm64 ;; *) echo "no node build for $arch" >&2; exit 1 ;; esac
    base="https://nodejs.org/dist/v$NODE_VERSION"
    file="node-v$NODE_VERSION-linux-$narch.tar.xz"
    tmp=$(mktemp -d)
    curl -fsSL -o "$tmp/$file" "$base/$file"
    curl -fsSL -o "$tmp/SHASUMS256.txt" "$base/SHASUMS256.txt"
    (cd "$tmp" && grep " $file\$" SHASUMS256.txt | sha256sum -c - >&2)
    tar -xJf "$tmp/$file" -C "$tmp" "node-v$NODE_VERSION-linux-$narch/bin/node"
    cp "$tmp/node-v$NODE_VERSION-linux-$narch/bin/node" "$node_out"
    rm -rf "$tmp"
  fi
  chmod 0755 "$node_out"
done

# 4. The image: one manifest list for every arch.
platforms=$(printf 'linux/%s,' "${arch_list[@]}")
buildah rmi "$TAG" >/dev/null 2>&1 || buildah manifest rm "$TAG" >/dev/null 2>&1 || true
echo "image: buildah build $TAG for ${platforms%,}" >&2
buildah build --quiet --platform "${platforms%,}" --manifest "$TAG" \
  --build-arg VERSION="$VERSION" \
  --build-arg REVISION="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)" \
  -f "$ROOT/Containerfile" "$OUT" >&2
if [[ -n $ARCHIVE ]]; then
  rm -f "$ARCHIVE"
  buildah manifest push --quiet --all "$TAG" "oci-archive:$ARCHIVE" >&2
fi
if [[ -n $PUSH ]]; then
  buildah manifest push --all "$TAG" "docker://$PUSH" >&2
fi
echo "$TAG"
