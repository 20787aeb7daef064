"""What every process of the platform does once its app is built, with or without a database."""

from __future__ import annotations

import gc

_frozen = False


def freeze_startup_objects() -> None:
    """What start-up made (modules, models, routes, metadata) lives as long as the process: after one collection it
    is moved out of the garbage collector's sight (`gc.freeze`), so the full collections that large answers trigger
    do not walk it again and again (they showed as latency spikes of tens of milliseconds).

    Once per process: a process that starts apps again and again (a test run) would otherwise pay a full collection
    each time and freeze, for good, whatever the apps before it still held."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    gc.collect()
    gc.freeze()
