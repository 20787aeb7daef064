"""The programme service's own problem types: one stable `type` per distinct failure, so a client can tell them
apart without reading the detail. Titles are translated (`libs/kit/src/kit/locale`); details name the records."""

from __future__ import annotations

from kit.problems import Conflict, InvalidInput


class ProgrammeClosed(Conflict):
    """A closed programme (and its structure: goals, measures) no longer changes."""

    type_slug = "programme/programme-closed"
    title = "The programme is closed"


class ProgrammeExists(Conflict):
    """A canton has one programme per period; `programme_id` names the existing one."""

    type_slug = "programme/programme-exists"
    title = "The canton has a programme for this period already"


class InvalidStatusTransition(InvalidInput):
    """A status change the life cycle does not allow (e.g. closed back to active)."""

    type_slug = "programme/invalid-transition"
    title = "This status change is not allowed"


class PeriodExists(Conflict):
    type_slug = "programme/period-exists"
    title = "A period with this code exists already"


class FundingAreaExists(Conflict):
    type_slug = "programme/funding-area-exists"
    title = "The period has a funding area with this code already"


class MeasureCodeTaken(Conflict):
    type_slug = "programme/measure-code-taken"
    title = "The programme has a measure with this code already"


class PartnerSlugTaken(Conflict):
    type_slug = "programme/partner-slug-taken"
    title = "Another partner has this slug"


class PartnerUidTaken(Conflict):
    type_slug = "programme/partner-uid-taken"
    title = "Another partner is registered with this UID"


class UnknownReference(InvalidInput):
    """An id in the body names nothing the record may refer to (unknown, of another period, canton or programme);
    `errors[0].loc` names the field."""

    type_slug = "programme/unknown-reference"
    title = "A referenced record does not exist or does not fit"


class GoalHierarchy(InvalidInput):
    """Strategic goals are SEM's and belong to no programme; outcome goals belong to a programme; an output goal
    hangs beneath an outcome goal of the same funding area and programme."""

    type_slug = "programme/goal-hierarchy"
    title = "The goal does not fit the goal hierarchy"
