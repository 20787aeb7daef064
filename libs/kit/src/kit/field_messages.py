"""The `errors[].msg` of a validation problem in the caller's language.

Pydantic writes its messages in English. Each common error `type` has here an English message with the error's
context as placeholders (`{min_length}`, `{ge}`, `{pattern}`, ...); that message goes through the catalogue like
any other. English keeps pydantic's own text (clients match on it), and a type not listed here keeps pydantic's
English in every language. A `ValueError` raised by a validator with a `Msg` (or a plain text that is a msgid of
the catalogue) is rendered in the caller's language too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kit.i18n import Msg, problem_language, translate

#: English messages by pydantic error type, with the placeholders of the error's context.
MESSAGES: dict[str, str] = {
    "missing": "Field required.",
    "extra_forbidden": "Extra inputs are not permitted.",
    "json_invalid": "Invalid JSON.",
    "json_type": "JSON input should be a string.",
    "string_type": "Input should be a valid string.",
    "string_too_short": "String should have at least {min_length} characters.",
    "string_too_long": "String should have at most {max_length} characters.",
    "string_pattern_mismatch": "String should match pattern {pattern}.",
    "too_short": "Should have at least {min_length} items, not {actual_length}.",
    "too_long": "Should have at most {max_length} items.",
    "greater_than": "Input should be greater than {gt}.",
    "greater_than_equal": "Input should be greater than or equal to {ge}.",
    "less_than": "Input should be less than {lt}.",
    "less_than_equal": "Input should be less than or equal to {le}.",
    "multiple_of": "Input should be a multiple of {multiple_of}.",
    "finite_number": "Input should be a finite number.",
    "int_type": "Input should be a valid integer.",
    "int_parsing": "Input should be a valid integer.",
    "int_from_float": "Input should be a whole number.",
    "float_type": "Input should be a valid number.",
    "float_parsing": "Input should be a valid number.",
    "bool_type": "Input should be a valid boolean.",
    "bool_parsing": "Input should be true or false.",
    "decimal_type": "Input should be a decimal number.",
    "decimal_parsing": "Input should be a valid decimal number.",
    "decimal_max_digits": "Decimal input should have no more than {max_digits} digits in total.",
    "decimal_max_places": "Decimal input should have no more than {decimal_places} decimal places.",
    "decimal_whole_digits": "Decimal input should have no more than {whole_digits} digits before the point.",
    "uuid_type": "Input should be a UUID.",
    "uuid_parsing": "Input should be a valid UUID.",
    "date_type": "Input should be a valid date.",
    "date_parsing": "Input should be a valid date in the format YYYY-MM-DD.",
    "date_from_datetime_parsing": "Input should be a valid date in the format YYYY-MM-DD.",
    "date_from_datetime_inexact": "Input should be a date without a time.",
    "datetime_type": "Input should be a valid date and time.",
    "datetime_parsing": "Input should be a valid date and time (ISO 8601).",
    "datetime_from_date_parsing": "Input should be a valid date and time (ISO 8601).",
    "timezone_aware": "Input should have timezone info.",
    "enum": "Input should be {expected}.",
    "literal_error": "Input should be {expected}.",
    "list_type": "Input should be a valid list.",
    "dict_type": "Input should be a valid object.",
    "model_type": "Input should be a valid object.",
    "model_attributes_type": "Input should be a valid object.",
    "url_parsing": "Input should be a valid URL.",
    "url_scheme": "URL scheme should be {expected_schemes}.",
    "value_error": "Invalid value: {error}",
    "assertion_error": "Invalid value: {error}",
}
#: How pydantic joins the last two of several expected values (`'a', 'b' or 'c'`).
OR = "{first} or {last}"


def _value(key: str, value: Any) -> str:
    if key == "error":
        message = value.args[0] if isinstance(value, BaseException) and value.args else value
        return message.render() if isinstance(message, Msg) else translate(str(message))
    text = str(value)
    if key in ("expected", "expected_schemes") and " or " in text:
        first, _, last = text.rpartition(" or ")
        return translate(OR).format(first=first, last=last)
    return text


def field_message(error: Mapping[str, Any]) -> str:
    """One pydantic error's message in the problem language (pydantic's English where nothing better exists)."""
    english = str(error.get("msg", ""))
    template = MESSAGES.get(str(error.get("type", "")))
    if template is None or problem_language() == "en":
        return english
    context = error.get("ctx") or {}
    try:
        values = {key: _value(key, value) for key, value in context.items()}
        return translate(template).format(**values)
    except (KeyError, IndexError, ValueError):  # a context without the placeholder: pydantic's own words
        return english
