#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every build and test dependency of syntask from Debian packages. Safe to re-run: it only
# adds what is missing. libgit2 1.8 and Catch2 v3 come from bookworm-backports, whose apt source is
# derived from the machine's own Debian source file so that no mirror host is written here.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

BUILD_PACKAGES=(
  build-essential cmake pkg-config git
  libcli11-dev libyaml-cpp-dev libcurl4-openssl-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libssl-dev libsodium-dev libsqlite3-dev libarchive-dev
  # libgit2's static archive is linked with these libraries' own (cmake/Linking.cmake); GSSAPI stays shared.
  libmbedtls-dev libhttp-parser-dev libpcre2-dev libssh2-1-dev zlib1g-dev libgssapi-krb5-2
)
BACKPORT_PACKAGES=(libgit2-dev catch2)
# The git test servers (tests/servers/git.sh): nginx + fcgiwrap in front of git-http-backend, an sshd
# for a key-only git user, git-daemon, and openssl for the test CA and htpasswd hashes.
# The Docker test servers (tests/servers/docker.sh): dockerd, docker-registry with htpasswd (bcrypt from
# apache2-utils), and what the base images and test wheels are made of.
TEST_PACKAGES=(tmux python3 clang-format nginx fcgiwrap openssh-server openssh-client openssl curl ca-certificates
  docker.io docker-registry apache2-utils busybox-static python3-pip python3-setuptools python3-wheel)
# The object storage test servers are npm packages (tests/servers/s3.sh installs its own). A nodejs
# package from NodeSource ships npm itself; Debian's nodejs needs Debian's npm beside it.
TEST_PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || TEST_PACKAGES+=(npm)

backports_list=/etc/apt/sources.list.d/syntask-backports.sources

# Writes a deb822 source for <codename>-backports using the URI of the machine's main Debian source.
add_backports_source() {
  local codename uri
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  if grep -rqs "${codename}-backports" /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
    return 1
  fi
  uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    # First URI of a stanza whose Suites include the plain codename (not -security).
    uri=$(awk -v c="$codename" '
      /^URIs:/ { u=$2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == c && u != "") { print u; exit } }
    ' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk -v c="$codename" '$1 == "deb" && $0 !~ /security/ {
      for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { u = $i; s = $(i + 1); break }
      if (s == c) { print u; exit } }' /etc/apt/sources.list)
  fi
  if [ -z "$uri" ]; then
    echo "install-deps: cannot find the Debian source to derive ${codename}-backports from" >&2
    exit 1
  fi
  printf 'Types: deb\nURIs: %s\nSuites: %s-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" "$codename" | $SUDO tee "$backports_list" >/dev/null
  return 0
}

missing() {
  local pkg out=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || out+=("$pkg")
  done
  echo "${out[@]:-}"
}

want_tests=0
[ "${1:-}" = "--tests" ] && want_tests=1

updated=0
if add_backports_source; then $SUDO apt-get update -qq; updated=1; fi

need=$(missing "${BUILD_PACKAGES[@]}" "${BACKPORT_PACKAGES[@]}")
if [ "$want_tests" = 1 ]; then need="$need $(missing "${TEST_PACKAGES[@]}")"; fi
need=$(echo "$need" | xargs)
if [ -n "$need" ]; then
  [ "$updated" = 1 ] || $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $(echo "$need" | tr ' ' '\n' | grep -v -e '^libgit2-dev$' -e '^catch2$' | xargs) >/dev/null
  backports=$(echo "$need" | tr ' ' '\n' | grep -e '^libgit2-dev$' -e '^catch2$' | xargs || true)
  if [ -n "$backports" ]; then
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends -t "${codename}-backports" $backports >/dev/null
  fi
fi
echo "install-deps: all dependencies present"
