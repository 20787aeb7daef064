"""The evaluation service's own problem types: one stable `type` per distinct failure, so a client can tell them
apart without reading the detail. Titles are translated (`libs/kit/src/kit/locale`); details name the records.

Types of one aggregate that predate this module stay beside their use case with their published slugs:
`report-text/stale`, `annual-report/year-not-ended`, `annual-report/incomplete`,
`annual-report/not-open-for-submission`, `annual-report/decision-out-of-order`, `evaluation/upload-invalid`
(see the README's table).
"""

from __future__ import annotations

from kit.problems import Conflict, InvalidInput


class UnknownReference(InvalidInput):
    """An id in the body names nothing the record may refer to (a programme, measure, goal, funding area or partner
    the programme service does not know for it, an unknown national goal, finding or indicator); `errors[0].loc`
    names the field."""

    type_slug = "evaluation/unknown-reference"
    title = "A referenced record does not exist or does not fit"


class InvalidStatusTransition(InvalidInput):
    """A status change the evaluation's life cycle does not allow; `allowed_next` lists what is."""

    type_slug = "evaluation/invalid-transition"
    title = "This status change is not allowed"


class IndicatorCodeTaken(Conflict):
    type_slug = "evaluation/indicator-code-taken"
    title = "An indicator with this code exists already"


class IndicatorMisplaced(InvalidInput):
    """A national indicator serves a national goal and belongs to no programme; a programme's indicator measures
    one of its goals or measures."""

    type_slug = "evaluation/indicator-misplaced"
    title = "The indicator does not fit where it is placed"


class RuleInvalid(InvalidInput):
    """A plausibility rule relates two different indicators of one canton with the same unit."""

    type_slug = "evaluation/rule-invalid"
    title = "The plausibility rule cannot relate these indicators"


class RuleExists(Conflict):
    type_slug = "evaluation/rule-exists"
    title = "This plausibility rule exists already"


class ValueExists(Conflict):
    """One value per indicator, programme, year and breakdown category; `value_id` names the existing one."""

    type_slug = "evaluation/value-exists"
    title = "A value for this year exists already"


class ValueConfirmed(Conflict):
    """The canton confirmed the value; a partner no longer changes it."""

    type_slug = "evaluation/value-confirmed"
    title = "The canton has confirmed this value"


class ValueImplausible(InvalidInput):
    """A value breaks a plausibility rule; `rule` names it (the values endpoint's description lists the rules)."""

    type_slug = "evaluation/value-implausible"
    title = "The value is not plausible"


class YearOutsidePeriod(InvalidInput):
    type_slug = "evaluation/year-outside-period"
    title = "The year lies outside the programme's period"
