"""Answering with a pydantic model serialised once.

When a handler returns a model, FastAPI dumps it to Python objects, validates them against the response model
again and then serialises them; for the large read models (reports, key figures, composed views) that is most of
the request's time. `ModelResponse` writes the model straight to JSON with pydantic-core. The route keeps its
`response_model=` so the OpenAPI document is unchanged; only the handler's own, already validated model is sent,
so nothing unchecked leaves the service.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Response
from pydantic import BaseModel


class ModelResponse(Response):
    media_type = "application/json"

    def __init__(self, model: BaseModel, status_code: int = 200, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(model.model_dump_json(), status_code=status_code, headers=headers)
