"""Several workers from one start: `kaitiaki serve --workers N`.

The application is built once, in the process that supervises the workers, with its policy packs,
models and route handlers loaded (`kaitiaki.app.make_ready`); each worker is then a fork of that
process. A worker so starts in milliseconds instead of importing and loading everything again
(about 1.5 s of CPU each, several seconds of wall time on a busy two-core machine), a worker that
dies is replaced as fast, and the workers share the memory of what was loaded until they change it
(it is moved out of the garbage collector's reach just before the fork, so no collection in a
worker writes to it).

gunicorn supervises (forks, restarts a worker that dies or stops answering, stops them all on
SIGINT or SIGTERM); uvicorn's worker class serves the application in each.
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
from typing import Any

from fastapi import FastAPI
from gunicorn.app.base import BaseApplication
from uvicorn_worker import UvicornWorker

from kaitiaki.config import Settings

WORKER_CLASS = "kaitiaki.web.preforked.Worker"
# A worker that has not told the supervisor it is alive for this long is replaced.
SILENT_WORKER_SECONDS = 60
# On SIGTERM, what workers may take to finish the requests they hold before they are killed.
GRACEFUL_STOP_SECONDS = 30
# uvicorn's own default, which gunicorn's (2 s) would otherwise replace.
KEEP_ALIVE_SECONDS = 5


class Worker(UvicornWorker):
    """uvicorn's worker class, writing access lines only when asked to, and stopping on the
    supervisor's quick stop as on SIGTERM.

    On SIGINT or SIGQUIT the supervisor sends its workers SIGQUIT. uvicorn-worker 0.4 then marks the
    worker as stopping but leaves uvicorn serving, so the supervisor waited its whole graceful
    timeout and killed them. Here SIGQUIT becomes the SIGTERM uvicorn acts on: the worker finishes
    the requests it holds, runs the application's shutdown and exits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # uvicorn formats an access line for every request unless told not to, even when no
        # handler writes it: off unless KAITIAKI_ACCESS_LOG asked gunicorn for an access log.
        self.config.access_log = bool(self.cfg.accesslog)

    def _install_sigquit_handler(self) -> None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGQUIT, os.kill, os.getpid(), signal.SIGTERM)


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class PreforkedServer(BaseApplication):
    """gunicorn, configured from Kaitiaki's settings rather than its command line or a file."""

    def __init__(self, app: FastAPI, settings: Settings, workers: int) -> None:
        self.application = app
        self.options: dict[str, Any] = {
            "bind": [bind_address(settings.host, settings.port)],
            "workers": workers,
            "worker_class": WORKER_CLASS,
            # The application object given here is the one every worker serves: built before forking.
            "preload_app": True,
            "timeout": SILENT_WORKER_SECONDS,
            "graceful_timeout": GRACEFUL_STOP_SECONDS,
            "keepalive": KEEP_ALIVE_SECONDS,
            "accesslog": "-" if settings.access_log else None,
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "kaitiaki",
            # No control socket in the home directory: two servers on one machine would share it.
            "control_socket_disable": True,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> FastAPI:
        # Called just before the workers are forked. What the application built (about 240,000
        # objects) is left out of the garbage collector's passes from here on, in the workers too:
        # a pass would otherwise write to every object's header and so copy each shared page
        # into every worker.
        gc.freeze()
        return self.application
