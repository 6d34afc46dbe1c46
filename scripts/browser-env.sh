# Sourced by scripts/test: the dashboard's browser tests (colony-server, DashboardBrowserTest) drive Debian's
# chromium through chromedriver with Selenium. Installs both packages when missing and apt-get is at hand.
BROWSER_ENV_MISSING=""
if ! command -v chromium >/dev/null 2>&1; then
  BROWSER_ENV_MISSING="chromium"
fi
if ! command -v chromedriver >/dev/null 2>&1; then
  BROWSER_ENV_MISSING="$BROWSER_ENV_MISSING chromium-driver"
fi
if [ -n "$BROWSER_ENV_MISSING" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "browser-env: installing$BROWSER_ENV_MISSING with apt-get (the dashboard's browser tests)"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086 # the list is meant to split into package names
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $BROWSER_ENV_MISSING >/dev/null
  else
    echo "browser-env: missing$BROWSER_ENV_MISSING and apt-get is not available; install chromium and chromedriver first" >&2
    exit 1
  fi
fi
