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


class FederalAllocationExceeded(Conflict):
    """Commitments or SEM's payments of the federal integration credit would pass what SEM allocated."""

    type_slug = "funding/federal-allocation-exceeded"
    title = "The federal integration credit SEM allocated would be exceeded"


class FederalAllocationMissing(Conflict):
    """No federal integration credit can be committed before SEM records its allocation."""

    type_slug = "funding/federal-allocation-missing"
    title = "SEM has not recorded the programme's federal allocation yet"


class LineExceeded(Conflict):
    """A disbursement would take one agreement line (year × funding area × source) past what it grants."""

    type_slug = "funding/line-exceeded"
    title = "The agreement line's amount would be exceeded"


class SeparationOfDuties(Forbidden):
    """Requester, approver and payer of a disbursement are three different people."""

    type_slug = "funding/separation-of-duties"
    title = "Requester, approver and payer must be different people"


class SemDecides(Forbidden):
    """A setting or record that only SEM may change."""

    type_slug = "funding/sem-decides"
    title = "Only SEM decides this"


class MeasureClosed(Conflict):
    """A closed measure (completed or cancelled in the programme service) takes no new commitments."""

    type_slug = "funding/measure-closed"
    title = "The measure is closed"


class PartnerDeactivated(Conflict):
    """A partner the programme service deactivated takes no new commitments."""

    type_slug = "funding/partner-deactivated"
    title = "The partner organisation is deactivated"
