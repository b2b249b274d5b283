#!/usr/bin/env bash
# Make a stand-in for the `python:3.11-slim` base image, for machines that reach Debian, PyPI
# and npm but no container registry (CI here). The Dockerfile builds on it unchanged:
#
#   scripts/docker-base.sh                      # -> pickvs-base:bookworm (skipped if present)
#   docker build --build-arg BASE_IMAGE=pickvs-base:bookworm -t pickvs .
#
# It is Debian bookworm (minbase) with its Python 3.11, venv and pip, made by debootstrap and
# loaded with `docker import`; about a minute. When downloads go through a TLS-intercepting
# proxy, the machine's extra CA certificates (/usr/local/share/ca-certificates), /etc/pip.conf
# and the npm settings (/etc/npmrc, ~/.npmrc) are copied in, so pip, npm and apt inside the
# build trust what this machine trusts. Settings that point at this machine's own files
# (find-links=/opt/..., file:// indexes) are not copied: they would not exist in the image.
#
# Needs root, debootstrap and a running Docker daemon. PICKVS_BASE_MIRROR overrides the Debian
# mirror (default: the one apt uses here, else http://deb.debian.org/debian).
set -euo pipefail

IMAGE="${1:-pickvs-base:bookworm}"
SUITE=bookworm

log() { echo "docker-base.sh: $*" >&2; }

if [ "$#" -gt 1 ]; then
    log "usage: scripts/docker-base.sh [IMAGE]   (default pickvs-base:bookworm)"
    exit 2
fi
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
    log "$IMAGE already exists (docker rmi $IMAGE to make it again)"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    log "debootstrap needs root"
    exit 1
fi
command -v debootstrap >/dev/null 2>&1 || {
    log "debootstrap is missing (apt-get install debootstrap)"
    exit 1
}

# The mirror apt already uses on this machine reaches Debian through whatever is in the way.
apt_mirror() {
    local uri
    uri="$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' \
        | grep -v -- '-security' | head -n 1 || true)"
    [ -n "$uri" ] || uri="$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' \
        | grep -v -- '-security' | head -n 1 || true)"
    echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR="${PICKVS_BASE_MIRROR:-$(apt_mirror)}"

ROOTFS="$(mktemp -d "${TMPDIR:-/tmp}/pickvs-base.XXXXXX")"
trap 'rm -rf "$ROOTFS"' EXIT

started=$SECONDS
log "debootstrap $SUITE from $MIRROR into $ROOTFS"
debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates \
    "$SUITE" "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 || {
    tail -n 30 "$ROOTFS.log" >&2
    rm -f "$ROOTFS.log"
    exit 1
}
rm -f "$ROOTFS.log"

# The machine's extra CAs go where update-ca-certificates finds them, so the bundle keeps
# them when a later apt-get install (npm in the builder) regenerates it.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$ROOTFS/usr/local/share/ca-certificates/"
    # (Its rehash step warns about the bundle itself: expected, so kept out of the log.)
    chroot "$ROOTFS" update-ca-certificates >/dev/null 2>&1 || {
        log "update-ca-certificates failed in the new root"
        exit 1
    }
fi
# pip: only settings that make sense inside the image (cert=, index-url= over the network).
if [ -f /etc/pip.conf ]; then
    grep -v -E '^[[:space:]]*(find-links|extra-index-url)[[:space:]]*=.*(file:|[[:space:]]/)' \
        /etc/pip.conf >"$ROOTFS/etc/pip.conf" || true
fi
# npm: the CA file and registry settings; the builder's npm reads /etc/npmrc.
for npmrc in /etc/npmrc "${HOME:-/root}/.npmrc"; do
    [ -f "$npmrc" ] && cat "$npmrc" >>"$ROOTFS/etc/npmrc"
done
# Like python:3.11-slim: `python` and `pip` are on PATH, UTF-8 everywhere, and no package
# lists or .deb files in the image.
ln -sf python3 "$ROOTFS/usr/bin/python"
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*

tar -C "$ROOTFS" -c . | docker import \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["python3"]' \
    --message "PickVs stand-in for python:3.11-slim (debootstrap $SUITE)" \
    - "$IMAGE" >/dev/null
log "made $IMAGE in $((SECONDS - started))s"
