#!/usr/bin/env bash
# Run by colony-server's MCP client test (McpNodeClientTest): makes sure Node.js (20 or newer) and npm are
# installed (Debian's packages with apt-get when missing), then installs the official MCP TypeScript SDK
# (@modelcontextprotocol/sdk, pinned) into the folder given as the first argument, once.
# Prints the folder's node_modules path on its last line. Needs the npm registry on the first run.
set -euo pipefail
DIR="${1:?usage: mcp-node-env.sh DIR}"
SDK_VERSION="1.32.2"
missing=""
command -v node >/dev/null 2>&1 || missing="nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "mcp-node-env: installing$missing with apt-get (the MCP client test runs the TypeScript SDK)" >&2
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086 # the list is meant to split into package names
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  else
    echo "mcp-node-env: missing$missing and apt-get is not available; install Node.js 20+ and npm first" >&2
    exit 1
  fi
fi
mkdir -p "$DIR"
if [ ! -f "$DIR/node_modules/@modelcontextprotocol/sdk/package.json" ] \
  || ! grep -q "\"version\": \"$SDK_VERSION\"" "$DIR/node_modules/@modelcontextprotocol/sdk/package.json"; then
  echo "mcp-node-env: npm install @modelcontextprotocol/sdk@$SDK_VERSION into $DIR" >&2
  (cd "$DIR" && [ -f package.json ] || echo '{"name":"colony-mcp-test","private":true,"type":"module"}' > "$DIR/package.json")
  npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "@modelcontextprotocol/sdk@$SDK_VERSION" >&2
fi
echo "$DIR/node_modules"
