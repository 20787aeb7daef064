"""What every typed client shares: a tolerant reader and paging through a service's lists.

The models read only the fields a view needs and ignore the rest, so a service that adds a field breaks nothing.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from gateway.errors import UpstreamFailed
from gateway.upstream import CallContext, Upstream

M = TypeVar("M", bound=BaseModel)
PAGE_SIZE = 500
#: A guard against a service whose paging never ends.
MAX_PAGES = 200


@lru_cache(maxsize=256)
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    """One adapter per model: building one costs more than validating a page with it."""
    return TypeAdapter(list[model])  # type: ignore[valid-type]


class Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ServiceClient:
    def __init__(self, upstream: Upstream) -> None:
        self.upstream = upstream

    @property
    def name(self) -> str:
        return self.upstream.name

    def read(self, model: type[M], data: Any) -> M:
        try:
            return model.model_validate(data)
        except ValueError as exc:
            raise UpstreamFailed(self.name, f"The {self.name} service answered in an unexpected shape: {exc}") from exc

    def read_list(self, model: type[M], data: Any) -> list[M]:
        if isinstance(data, dict) and "items" in data:
            data = data["items"]
        try:
            return _list_adapter(model).validate_python(data)
        except ValueError as exc:
            raise UpstreamFailed(self.name, f"The {self.name} service answered in an unexpected shape: {exc}") from exc

    async def get(self, model: type[M], path: str, ctx: CallContext, params: dict[str, Any] | None = None) -> M:
        return self.read(model, await self.upstream.get_json(path, ctx, _clean(params)))

    async def get_list(
        self, model: type[M], path: str, ctx: CallContext, params: dict[str, Any] | None = None
    ) -> list[M]:
        return self.read_list(model, await self.upstream.get_json(path, ctx, _clean(params)))

    async def get_all(
        self, model: type[M], path: str, ctx: CallContext, params: dict[str, Any] | None = None
    ) -> list[M]:
        """Every item of a paged list (`items`, `total`, `limit`, `offset`), or of a plain list. The first page
        tells the total; the pages after it are fetched at the same time, not one after another."""
        first = await self.upstream.get_json(path, ctx, _clean({**(params or {}), "limit": PAGE_SIZE, "offset": 0}))
        if isinstance(first, list):  # a list that is not paged
            return self.read_list(model, first)
        items = self.read_list(model, first)
        total = int(first.get("total", 0)) if isinstance(first, dict) else 0
        if not items or len(items) >= total:
            return items
        offsets = range(len(items), total, PAGE_SIZE)
        if len(offsets) >= MAX_PAGES:
            detail = f"The {self.name} service's list {path} has too many pages ({total} items)."
            raise UpstreamFailed(self.name, detail)
        pages = await asyncio.gather(
            *(
                self.upstream.get_json(path, ctx, _clean({**(params or {}), "limit": PAGE_SIZE, "offset": offset}))
                for offset in offsets
            )
        )
        for page in pages:
            items.extend(self.read_list(model, page))
        return items


def _clean(params: dict[str, Any] | None) -> dict[str, Any] | None:
    """Leave out empty query parameters; ids and numbers go as text."""
    if params is None:
        return None
    return {k: str(v) for k, v in params.items() if v is not None}
