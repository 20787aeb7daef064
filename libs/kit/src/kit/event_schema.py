"""The wire form of the platform's events (CloudEvents 1.0, structured JSON) and the feed's bounds.

Shared by the services' feeds (`kit.event_feed`) and the gateway's merged feed; free of database code, so the
gateway reads and re-serves events without SQLAlchemy.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

#: The three actions of a row change (`kit.events` writes them, `EventData.action` names them).
CREATED, UPDATED, DELETED = "created", "updated", "deleted"

MAX_WAIT = 30.0
#: Positions are 64-bit (`BIGINT`): a larger `after` names no position and is refused, not sent to the database.
MAX_POSITION = 2**63 - 1
TYPE_PATTERN = r"^[a-z_]+\.[a-z_]+\.[a-z_]+$"


class EventData(BaseModel):
    """What every event says about the resource it concerns; transition events add the column's new value (e.g.
    `status`) and `previous`. Fetch the resource itself through the API; `version` is its ETag (`"<version>"`)."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="The resource's id.")
    resource: str = Field(description="The resource's kind (its table), e.g. `disbursement`.")
    action: str = Field(description=f"`{CREATED}`, `{UPDATED}` or `{DELETED}`.")
    version: int | None = Field(description="The resource's version after the change (its ETag).")
    canton: str | None
    programme_id: str | None
    partner_id: str | None
    changed: list[str] = Field(description="Fields the change touched (updates only).")


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event in structured JSON mode."""

    specversion: str = "1.0"
    id: str = Field(description="Unique per event; consumers de-duplicate by it.")
    source: str = Field(description="`/kip/<service>`.")
    type: str = Field(description="`<service>.<aggregate>.<what happened>`.", pattern=TYPE_PATTERN)
    subject: str = Field(description="`<resource>/<id>`: events of one subject are delivered in order.")
    time: str
    datacontenttype: str = "application/json"
    sequence: str = Field(description="The event's position in its source's feed.")
    data: EventData


class ServiceEventPage(BaseModel):
    events: list[CloudEvent]
    cursor: int = Field(description="The position to pass as `after` next time (the last one served, or `after`).")
