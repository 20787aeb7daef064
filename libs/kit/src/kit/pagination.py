"""Offset pagination shared by every list endpoint, with RFC 8288 `Link` headers.

A page answers `items`, `total`, `limit` and `offset` in its body, and the neighbouring pages as
`Link: <…?offset=…>; rel="next", <…>; rel="prev"` (plus `first` and `last`) so generic HTTP clients can walk a
list without reading the body. The page dependency remembers the request's URL and the response of the call
(a context variable, set in the same task as the endpoint); a `Page` built for that request's `limit` and
`offset` writes the header, so every list gets it without each router having to.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import URL

T = TypeVar("T")


class PageParams(BaseModel):
    limit: int
    offset: int


#: The page a request asked for, where it was asked, and the response whose headers the `Link` goes into.
_current: ContextVar[tuple[PageParams, URL, Response] | None] = ContextVar("kip_page", default=None)


async def _page_params(
    request: Request,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=500, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")] = 0,
) -> PageParams:
    params = PageParams(limit=limit, offset=offset)
    _current.set((params, request.url, response))
    return params


PageDep = Annotated[PageParams, Depends(_page_params)]


def page_links(url: URL, limit: int, offset: int, total: int) -> str:
    """The `Link` header value of one page: `first`, `prev` and `next` where they exist, `last`.

    Targets are path-absolute with the request's own query (filters kept, `limit` and `offset` replaced)."""

    def target(at: int) -> str:
        query = url.include_query_params(limit=limit, offset=at).query
        return f"<{url.path}?{query}>"

    links = [f'{target(0)}; rel="first"']
    if offset > 0:
        links.append(f'{target(max(offset - limit, 0))}; rel="prev"')
    if offset + limit < total:
        links.append(f'{target(offset + limit)}; rel="next"')
    last = max(total - 1, 0) // limit * limit
    links.append(f'{target(last)}; rel="last"')
    return ", ".join(links)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Items matching the filters, on all pages.")
    limit: int
    offset: int

    def model_post_init(self, context: Any, /) -> None:
        current = _current.get()
        if current is None:
            return
        params, url, response = current
        if (params.limit, params.offset) == (self.limit, self.offset):
            response.headers["Link"] = page_links(url, self.limit, self.offset, self.total)


async def paginate(session: AsyncSession, query: Select[Any], page: PageParams) -> tuple[list[Any], int]:
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = (await session.scalars(query.limit(page.limit).offset(page.offset))).all()
    return list(rows), int(total or 0)
