"""The funding service's own problem types; each names what a person needs to act on it."""

from __future__ import annotations

from kit.problems import Conflict, Forbidden, InvalidInput


class CreditExceeded(Conflict):
    """Signing or approving would take the commitments against an expenditure authorisation past its amount."""

    type_slug = "funding/credit-exceeded"
    title = "The expenditure authorisation (credit) would be exceeded"


class AgreementAmountExceeded(Conflict):
    """A disbursement would take an agreement's disbursements for a year past its amount for that year."""

    type_slug = "funding/agreement-amount-exceeded"
    title = "The agreement's amount for the year would be exceeded"


class FourEyes(Forbidden):
    """Whoever requested a disbursement cannot approve it."""

    type_slug = "funding/four-eyes"
    title = "A second person must approve this disbursement"


class InvalidTransition(Conflict):
    type_slug = "funding/invalid-transition"
    title = "Not possible in the current status"


class IdempotencyKeyReused(InvalidInput):
    type_slug = "funding/idempotency-key-reused"
    title = "The Idempotency-Key was used for a different request"
