"""What every typed client shares: a tolerant reader and paging through a service's lists.

The models read only the fields a view needs and ignore the rest, so a service that adds a field breaks nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from gateway.errors import UpstreamFailed
from gateway.upstream import CallContext, Upstream

M = TypeVar("M", bound=BaseModel)
PAGE_SIZE = 500
#: A guard against a service whose paging never ends.
MAX_PAGES = 200


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
            return TypeAdapter(list[model]).validate_python(data)  # type: ignore[valid-type]
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
        """Every item of a paged list (`items`, `total`, `limit`, `offset`), or of a plain list."""
        items: list[M] = []
        offset = 0
        for _ in range(MAX_PAGES):
            query = {**(params or {}), "limit": PAGE_SIZE, "offset": offset}
            page = await self.upstream.get_json(path, ctx, _clean(query))
            if isinstance(page, list):  # a list that is not paged
                return self.read_list(model, page)
            batch = self.read_list(model, page)
            items.extend(batch)
            offset += len(batch)
            total = page.get("total", 0) if isinstance(page, dict) else 0
            if not batch or offset >= int(total):
                return items
        raise UpstreamFailed(self.name, f"The {self.name} service's list {path} did not end.")


def _clean(params: dict[str, Any] | None) -> dict[str, Any] | None:
    """Leave out empty query parameters; ids and numbers go as text."""
    if params is None:
        return None
    return {k: str(v) for k, v in params.items() if v is not None}
