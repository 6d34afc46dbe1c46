# Sourced by scripts/test: colony-server's PythonClientTest runs the Python client's unittest suite
# (clients/python) with python3 from the standard library only. Installs Debian's python3 when missing
# and apt-get is at hand.
if ! command -v python3 >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "python-env: installing python3 with apt-get (the Python client's tests need it)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 >/dev/null
  else
    echo "python-env: python3 is missing and apt-get is not available; install Python 3.8 or later first" >&2
    exit 1
  fi
fi
