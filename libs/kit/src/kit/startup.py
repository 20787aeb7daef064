"""What every process of the platform does once its app is built, with or without a database."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """What start-up made (modules, models, routes, metadata) lives as long as the process: after one collection it
    is moved out of the garbage collector's sight (`gc.freeze`), so the full collections that large answers trigger
    do not walk it again and again (they showed as latency spikes of tens of milliseconds)."""
    gc.collect()
    gc.freeze()
