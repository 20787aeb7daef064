"""What every typed client shares: a tolerant reader and paging through a service's lists.

The models read only the fields a view needs and ignore the rest, so a service that adds a field breaks nothing.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from gateway.cache import PartCache, get_part
from gateway.errors import UpstreamFailed
from gateway.upstream import CallContext, Upstream

M = TypeVar("M", bound=BaseModel)
PAGE_SIZE = 500
#: A guard against a service whose paging never ends.
MAX_PAGES = 200


class _Page(BaseModel, Generic[M]):
    model_config = ConfigDict(extra="ignore")

    items: list[M]
    total: int = 0


@lru_cache(maxsize=256)
def _page_adapter(model: type[BaseModel]) -> TypeAdapter[Any]:
    """A paged list (`items`, `total`) or a plain list of the model, parsed straight from the JSON bytes."""
    return TypeAdapter(_Page[model] | list[model])  # type: ignore[valid-type,arg-type]


class Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ServiceClient:
    def __init__(self, upstream: Upstream, cache: PartCache | None = None) -> None:
        self.upstream = upstream
        self.cache = cache

    async def _content(self, path: str, ctx: CallContext, params: dict[str, Any] | None) -> bytes:
        """A part's bytes, revalidated from the view cache when there is one (see `gateway.cache`)."""
        return await get_part(self.upstream, self.cache, path, ctx, params)

    @property
    def name(self) -> str:
        return self.upstream.name

    def parse(self, model: type[M], content: bytes) -> M:
        """An answer parsed and checked in one pass by pydantic-core (no intermediate Python objects)."""
        try:
            return model.model_validate_json(content)
        except ValidationError as exc:
            raise UpstreamFailed(self.name, f"The {self.name} service answered in an unexpected shape: {exc}") from exc

    def _parse_page(self, model: type[M], content: bytes) -> tuple[list[M], int | None]:
        try:
            page = _page_adapter(model).validate_json(content)
        except ValidationError as exc:
            raise UpstreamFailed(self.name, f"The {self.name} service answered in an unexpected shape: {exc}") from exc
        if isinstance(page, list):
            return page, None
        return page.items, page.total

    async def get(self, model: type[M], path: str, ctx: CallContext, params: dict[str, Any] | None = None) -> M:
        return self.parse(model, await self._content(path, ctx, _clean(params)))

    async def get_list(
        self, model: type[M], path: str, ctx: CallContext, params: dict[str, Any] | None = None
    ) -> list[M]:
        return self._parse_page(model, await self._content(path, ctx, _clean(params)))[0]

    async def get_all(
        self, model: type[M], path: str, ctx: CallContext, params: dict[str, Any] | None = None
    ) -> list[M]:
        """Every item of a paged list (`items`, `total`, `limit`, `offset`), or of a plain list. The first page
        tells the total; the pages after it are fetched at the same time, not one after another."""

        async def page_at(offset: int) -> bytes:
            query = {**(params or {}), "limit": PAGE_SIZE, "offset": offset}
            return await self._content(path, ctx, _clean(query))

        items, total = self._parse_page(model, await page_at(0))
        if total is None or not items or len(items) >= total:  # a plain list, or everything on the first page
            return items
        offsets = range(len(items), total, PAGE_SIZE)
        if len(offsets) >= MAX_PAGES:
            detail = f"The {self.name} service's list {path} has too many pages ({total} items)."
            raise UpstreamFailed(self.name, detail)
        for content in await asyncio.gather(*(page_at(offset) for offset in offsets)):
            items.extend(self._parse_page(model, content)[0])
        return items


def _clean(params: dict[str, Any] | None) -> dict[str, Any] | None:
    """Leave out empty query parameters; ids and numbers go as text."""
    if params is None:
        return None
    return {k: str(v) for k, v in params.items() if v is not None}
