#!/usr/bin/env python3
"""Start-up time of a colony command (docs/benchmarks/serve.md, ADR 0051). Prints two figures: the seconds from
the spawn to the point below (wall), and the CPU seconds (user + system) the command used from its start to its
exit, which a loaded machine inflates less than the wall time. The point:

  start-time.py mcp COMMAND...    the first line on standard output after one MCP initialize request is written
                                  to standard input (the initialize answer); then standard input is closed
  start-time.py serve COMMAND...  the first 200 of GET /health/ready, the address taken from the command's
                                  "listening on" line; then the command gets SIGTERM

for example: scripts/start-time.py mcp ./colony mcp   (with COLONY_URL and COLONY_TOKEN of a running server)
             scripts/start-time.py serve ./colony serve --port 0 --data /tmp/start-data
"""
import json
import re
import resource
import subprocess
import sys
import time
import urllib.error
import urllib.request

INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "start-time", "version": "1"}}}


def mcp(command):
    t0 = time.monotonic()
    p = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    p.stdin.write(json.dumps(INITIALIZE) + "\n")
    p.stdin.flush()
    line = p.stdout.readline()
    elapsed = time.monotonic() - t0
    if '"serverInfo"' not in line:
        sys.exit("start-time.py: no initialize answer, got: " + line[:200])
    p.stdin.close()
    p.wait(timeout=120)
    return elapsed


def serve(command):
    t0 = time.monotonic()
    p = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = p.stdout.readline()
        found = re.search(r"listening on (\S+)", line)
        if not found:
            sys.exit("start-time.py: no 'listening on' line, got: " + line[:200])
        url = found.group(1).rstrip("/") + "/health/ready"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=30) as answer:
                    if answer.status == 200:
                        return time.monotonic() - t0
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.005)
    finally:
        p.terminate()
        p.wait(timeout=120)


def cpu_of_children():
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("mcp", "serve"):
        sys.exit(__doc__)
    before = cpu_of_children()
    wall = (mcp if sys.argv[1] == "mcp" else serve)(sys.argv[2:])
    print(f"{wall:.3f} {cpu_of_children() - before:.2f}")
