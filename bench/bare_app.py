"""The ceiling: a bare FastAPI endpoint returning a small model, no authentication, no database.

`uvicorn bench.bare_app:app` — the same server, worker count and Python as the services, so the ratio of a
service's read to this read is what the service's own work (token, session, query, serialisation) costs.
"""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="bench ceiling")


class Item(BaseModel):
    id: uuid.UUID
    code: str
    title: str
    status: str
    version: int


@app.get("/items/{item_id}", response_model=Item)
async def get_item(item_id: uuid.UUID) -> Item:
    return Item(id=item_id, code="BL-1.01", title="Erstinformationsgespräche", status="active", version=1)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
