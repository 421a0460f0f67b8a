"""Starts the local OpenID provider on a free port, reads its discovery document, stops it.

    python3 tools/oidc-provider/smoke_check.py      # exit 0 and one line when it works

Standard library only: .ci/run runs it before the virtualenv exists.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
START_SECONDS = 30


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    port = free_port()
    process = subprocess.Popen(
        ["node", str(HERE / "start.mjs")],
        cwd=HERE.parents[1],
        env={**os.environ, "OIDC_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], START_SECONDS)
        line = process.stdout.readline() if ready else ""  # "" too when node exits first
        if not line.startswith("OIDC_READY "):
            process.kill()
            _out, err = process.communicate(timeout=START_SECONDS)
            print(f"The local OpenID provider did not start:\n{line}{err}", file=sys.stderr)
            return 1
        issuer = json.loads(line.split(" ", 1)[1])["issuer"]
        url = f"{issuer}/.well-known/openid-configuration"
        with urllib.request.urlopen(url, timeout=START_SECONDS) as response:
            discovery = json.load(response)
        if discovery.get("issuer") != issuer:
            print(f"Discovery names {discovery.get('issuer')!r}, not {issuer!r}", file=sys.stderr)
            return 1
        print(f"Local OpenID provider answered discovery at {url}")
        return 0
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(10)


if __name__ == "__main__":
    sys.exit(main())
