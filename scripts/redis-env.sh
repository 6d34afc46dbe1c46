# Sourced by scripts/test: the Redis tests (colony-redis) start their own redis-server on a free loopback
# port, so one must be installed. Installs Debian's package when missing and apt-get is at hand.
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "redis-env: installing redis-server with apt-get (the Redis tests start their own server)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis-env: redis-server is not installed and apt-get is not available; install Redis 7 first" >&2
    exit 1
  fi
fi
