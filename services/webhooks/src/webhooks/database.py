"""The webhooks service's declarative base; its metadata holds this service's tables only."""

from __future__ import annotations

from kit.db import Base as KitBase
from kit.db import make_metadata


class Base(KitBase):
    __abstract__ = True
    metadata = make_metadata()
