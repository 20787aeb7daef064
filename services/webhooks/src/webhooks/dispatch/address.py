"""Which receiver URLs webhooks may be sent to (server-side request forgery).

A webhook makes this service send requests to an address someone else chose, from inside the platform's network.
Without a check, a registration could aim the requests at the database, the services' internal ports, a cloud
metadata endpoint (169.254.169.254) or anything else only reachable from inside, and read parts of the answers in
the delivery log. So a receiver must be `https` and every address its host resolves to must be a public unicast
address: no private, loopback, link-local, shared, reserved, multicast or unspecified one (IPv4-mapped IPv6
addresses are judged by their IPv4 address). The check runs at registration and again before every attempt,
after resolving the name, and the attempt then connects to the very address that was checked (the name is kept
for TLS and `Host`), so a DNS answer that changes between check and connect (rebinding) cannot redirect it.
Redirects are not followed. `WEBHOOKS_ALLOW_PRIVATE_URLS=true` lifts the check, for development and tests.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: A name that does not resolve within this many seconds is treated as one that does not resolve.
RESOLVE_SECONDS = 5.0


class UnsafeUrl(ValueError):
    """The URL may not receive webhooks; the message says why, for the caller."""


@dataclass(frozen=True)
class Target:
    """Where to connect: the URL's host (for TLS and `Host`) and the checked address to connect to (or none when
    private addresses are allowed and the name is resolved by the client as usual)."""

    host: str
    address: str | None


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast or address.is_private or address.is_loopback or address.is_link_local
    )


def check_form(url: str, allow_private: bool) -> str:
    """The URL's host; `UnsafeUrl` unless it is an absolute https URL without credentials or fragment."""
    parts = urlsplit(url)
    if parts.scheme not in (("https", "http") if allow_private else ("https",)):
        raise UnsafeUrl("The URL must start with https:// (webhooks are sent over TLS only).")
    if not parts.hostname:
        raise UnsafeUrl("The URL names no host.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("The URL must not carry a user name or password; authenticate by the signature.")
    if parts.fragment:
        raise UnsafeUrl("The URL must not have a fragment (#...).")
    try:
        parts.port  # noqa: B018 (raises on a port out of range)
    except ValueError as exc:
        raise UnsafeUrl("The URL's port is not a number from 1 to 65535.") from exc
    return parts.hostname


async def resolve(host: str) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(RESOLVE_SECONDS):
            found = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, TimeoutError) as exc:
        raise UnsafeUrl(f"The host {host!r} does not resolve to any address.") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]


async def check_url(url: str, allow_private: bool) -> Target:
    """Check `url` as described above and answer where to connect; `UnsafeUrl` when it may not be used."""
    host = check_form(url, allow_private)
    if allow_private:
        return Target(host, None)
    addresses = await resolve(host)
    refused = [a for a in addresses if not is_public(a)]
    if refused or not addresses:
        raise UnsafeUrl(
            f"The host {host!r} resolves to {refused[0] if refused else 'nothing'}, which is not a public address; "
            "webhooks are only sent to public addresses."
        )
    return Target(host, str(addresses[0]))
