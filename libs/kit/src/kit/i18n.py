"""Languages: `Accept-Language` negotiation, the message catalogue (gettext, compiled by Babel) and the labels.

The platform speaks German, French, Italian and English (`SUPPORTED`). A request's `Accept-Language` (q-values
honoured, regional variants such as `de-CH` or `fr-CH` fall back to their language, `gsw` to German) chooses the
language of labels and of problem titles and kit-generic problem details. Without a usable header, labels are
German (the working language of most cantons) and problems English (what clients and tests match on).
Every answer carries `Content-Language` and `Vary: Accept-Language`.

The catalogue is `kit/locale/<lang>/LC_MESSAGES/kit.po`: plain messages have the English text as msgid (so English
needs no entries); labels are entries with a context (`msgctxt` = the kind of label, `msgid` = the code) and exist
in every language including English. The `.po` files are compiled in memory with Babel on first use, so a fresh
install needs no build step.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import string
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SUPPORTED = ("de", "fr", "it", "en")
LABEL_DEFAULT = "de"
PROBLEM_DEFAULT = "en"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kit"
#: Language tags whose primary subtag is not a supported language but which read one of them.
ALIASES = {"gsw": "de"}

_requested: ContextVar[str | None] = ContextVar("kit_language", default=None)


def negotiate(header: str | None) -> str | None:
    """The best supported language of an `Accept-Language` value, or None when it names none (or only `*`)."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if tag and 0 < quality <= 1:
            ranked.append((-quality, index, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        if tag == "*":
            return None
        primary = tag.split("-")[0]
        primary = ALIASES.get(primary, primary)
        if primary in SUPPORTED:
            return primary
    return None


def requested_language() -> str | None:
    """The language the current request asked for, if any supported one."""
    return _requested.get()


def label_language() -> str:
    return _requested.get() or LABEL_DEFAULT


def problem_language() -> str:
    return _requested.get() or PROBLEM_DEFAULT


def use_language(lang: str | None) -> None:
    """Set the language of the current context (the middleware does it per request; scripts and tests may)."""
    _requested.set(lang if lang in SUPPORTED else None)


@cache
def catalog(lang: str) -> Catalog:
    """The parsed `.po` catalogue of a language (empty for a language without one)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


@cache
def translations(lang: str) -> gettext_module.NullTranslations:
    """The language's catalogue compiled (in memory) for gettext; fuzzy entries are left out."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog(lang))
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


def translate(message: str, lang: str | None = None) -> str:
    """A message (English msgid) in `lang`, by default the problem language; English or unknown stays as is."""
    return translations(lang or problem_language()).gettext(message)


def label(kind: str, code: str, lang: str | None = None) -> str:
    """A code's label (`label("money_source", "federal_integration_credit")`); the code itself when unknown."""
    return translations(lang or label_language()).pgettext(kind, code)


def labels(lang: str) -> dict[str, dict[str, str]]:
    """Every label of a language, by kind then code."""
    result: dict[str, dict[str, str]] = {}
    for message in catalog(lang):
        if message.context and isinstance(message.id, str) and isinstance(message.string, str) and message.string:
            result.setdefault(message.context, {})[message.id] = message.string
    return result


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a message, for checking that every translation keeps them."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


class Msg(str):
    """A translatable message with its parameters: reads as the English text, renders in the problem language.

    `NotFound(Msg("No {kind} with id {id}.", kind="measure", id=7))`; the msgid must be in the catalogue.
    """

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Msg:
        obj = super().__new__(cls, msgid.format(**params))
        obj.msgid = msgid
        obj.params = params
        return obj

    def render(self, lang: str | None = None) -> str:
        """The message in `lang`; a parameter that is itself a `Msg` is rendered in the same language."""
        params = {k: v.render(lang) if isinstance(v, Msg) else v for k, v in self.params.items()}
        return translate(self.msgid, lang).format(**params)


def localized(text: str | None, lang: str | None = None) -> str | None:
    """A problem's detail in the problem language when it is a `Msg`; any other text as it is."""
    return text.render(lang) if isinstance(text, Msg) else text


class LanguageMiddleware:
    """Negotiates the request's language and marks every answer with `Content-Language` and `Vary`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang = negotiate(Headers(scope=scope).get("accept-language"))
        token = _requested.set(lang)

        async def mark(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=message["headers"])
                if "content-language" not in headers:
                    problem = headers.get("content-type", "").startswith("application/problem+json")
                    headers["Content-Language"] = (lang or PROBLEM_DEFAULT) if problem else (lang or LABEL_DEFAULT)
                vary = [v.strip() for v in headers.get("vary", "").split(",") if v.strip()]
                if not any(v.lower() in ("accept-language", "*") for v in vary):
                    headers["Vary"] = ", ".join([*vary, "Accept-Language"])
            await send(message)

        try:
            await self.app(scope, receive, mark)
        finally:
            _requested.reset(token)
