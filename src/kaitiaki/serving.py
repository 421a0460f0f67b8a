"""What each worker of `kaitiaki serve --workers N` imports: the application factory.

Importing the application builds some 200,000 objects (routes, models, mappings) that live as long
as the worker. The garbage collector, left on, runs its passes over them again and again during
the import and frees almost nothing: a tenth to a fifth of the import's CPU. So it is paused for
the import, what the import built is moved out of its reach (`gc.freeze`, as the application's
lifespan does again once the policy pack is loaded), and it is started again before the factory
runs. docs/performance.md, "A worker's start", has the figures.
"""

from __future__ import annotations

import gc

_was_collecting = gc.isenabled()
gc.disable()
try:
    from kaitiaki.app import create_app
finally:
    gc.freeze()
    if _was_collecting:
        gc.enable()

__all__ = ["create_app"]
