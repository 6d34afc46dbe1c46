# Sourced by scripts/test: the Redis tests (colony-redis) start their own redis-server on a free loopback
# port (also as a TLS server and a Sentinel), and the TLS test makes its certificates with the openssl
# command line, and PythonAgentTest plays an agent with Debian's python3 and python3-redis, so all must be
# installed. Installs Debian's packages when missing and apt-get is at hand.
REDIS_ENV_MISSING=""
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  REDIS_ENV_MISSING="redis-server"
fi
if ! command -v openssl >/dev/null 2>&1; then
  REDIS_ENV_MISSING="$REDIS_ENV_MISSING openssl"
fi
# Debian's module is where apt puts it: /usr/bin/python3 (a pyenv or venv python3 first on the PATH does not see it)
if [ ! -x /usr/bin/python3 ] || ! /usr/bin/python3 -c 'import redis' >/dev/null 2>&1; then
  REDIS_ENV_MISSING="$REDIS_ENV_MISSING python3-redis"
fi
if [ -n "$REDIS_ENV_MISSING" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "redis-env: installing$REDIS_ENV_MISSING with apt-get (the Redis tests start their own servers)"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086 # the list is meant to split into package names
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $REDIS_ENV_MISSING >/dev/null
  else
    echo "redis-env: missing$REDIS_ENV_MISSING and apt-get is not available; install Redis 7 (built with TLS) and openssl first" >&2
    exit 1
  fi
fi
