"""Today's date, injected: overdue is computed from this clock and never stored.

The app keeps the clock as `app.state.get_today` (a callable returning a date); tests replace it with a fixed
date, so "overdue" is reproducible.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

ZURICH = ZoneInfo("Europe/Zurich")


def swiss_today() -> dt.date:
    """The calendar date in Switzerland, which decides what is due."""
    return dt.datetime.now(ZURICH).date()


async def get_today(request: Request) -> dt.date:
    clock = getattr(request.app.state, "get_today", None) or swiss_today
    today = clock()
    assert isinstance(today, dt.date)
    return today


TodayDep = Annotated[dt.date, Depends(get_today)]
