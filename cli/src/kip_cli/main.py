"""`kip`: tokens for the embedded default, migrations, seeds, and `kip run` for the whole platform."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import importlib.util
import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from kit.auth import CANTONS, Role, ensure_local_keypair, issue_token
from kit.ids import seed_uuid
from kit.settings import AuthSettings

app = typer.Typer(help="The KIP platform's command line.", no_args_is_help=True, add_completion=False)


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    package: str
    port: int
    env_prefix: str

    @property
    def default_url(self) -> str:
        return f"sqlite:///var/{self.name}.db"

    def database_url(self) -> str:
        return os.environ.get(f"{self.env_prefix}_DATABASE_URL", self.default_url)


#: The services `kip` runs, migrates and seeds; each package provides `<package>.cli.migrate(url)` and
#: `<package>.cli.seed_database(url)`. Seeding follows this order (funding and evaluation name programme ids);
#: webhooks reads the others' event feeds and has nothing to seed.
ALL_SERVICES = [
    ServiceSpec("programme", "programme", 8001, "PROGRAMME"),
    ServiceSpec("funding", "funding", 8002, "FUNDING"),
    ServiceSpec("evaluation", "evaluation", 8003, "EVALUATION"),
    ServiceSpec("webhooks", "webhooks", 8004, "WEBHOOKS"),
]
SERVICES = [s for s in ALL_SERVICES if importlib.util.find_spec(s.package) is not None]
#: The gateway, in front of the services (`GATEWAY_<SERVICE>_URL` default to the ports above).
GATEWAY_PORT = 8000
#: Every process: request headers within KIP_HEADER_READ_TIMEOUT (kit.serving), forwarding headers believed only
#: from KIP_TRUSTED_PROXIES (kit.proxies), not from whoever connects over loopback.
SERVE_FLAGS = "--http kit.serving:H11Protocol --no-proxy-headers"


@app.command()
def token(
    role: Annotated[Role, typer.Option(help="The caller's role.")],
    canton: Annotated[str | None, typer.Option(help="Canton code, for canton roles.")] = None,
    partner: Annotated[
        str | None, typer.Option(help="Partner id, or the slug of a seeded partner (ald, srk-bl, heks-bb, …).")
    ] = None,
    subject: Annotated[str | None, typer.Option(help="Who the token stands for.")] = None,
    hours: Annotated[float, typer.Option(min=0.01, max=24 * 30, help="Lifetime in hours.")] = 8,
) -> None:
    """Print a token signed with the embedded default's local key."""
    if role in (Role.CANTON_EDITOR, Role.CANTON_VIEWER):
        if canton is None or canton.upper() not in CANTONS:
            raise typer.BadParameter(
                "canton roles need --canton with one of the 26 canton codes", param_hint="--canton"
            )
        canton = canton.upper()
    partner_id: uuid.UUID | None = None
    if role is Role.PARTNER:
        if not partner:
            raise typer.BadParameter("the partner role needs --partner", param_hint="--partner")
        try:
            partner_id = uuid.UUID(partner)
        except ValueError:
            partner_id = seed_uuid("partner", partner)
    settings = AuthSettings()
    private_pem, _ = ensure_local_keypair(settings.local_key_dir)
    typer.echo(
        issue_token(
            private_pem,
            role=role,
            canton=canton if role in (Role.CANTON_EDITOR, Role.CANTON_VIEWER) else None,
            partner_id=partner_id,
            subject=subject,
            issuer=settings.issuer,
            audience=settings.audience,
            lifetime=dt.timedelta(hours=hours),
        )
    )


@app.command()
def migrate() -> None:
    """Migrate every service's database to head (`<SERVICE>_DATABASE_URL`, default SQLite under var/)."""
    for spec in SERVICES:
        importlib.import_module(f"{spec.package}.cli").migrate(spec.database_url())
        typer.echo(f"{spec.name}: migrated")


@app.command()
def seed() -> None:
    """Load Basel-Landschaft's KIP into every service's database; records that exist are kept."""
    for spec in SERVICES:
        seed_database = importlib.import_module(f"{spec.package}.cli").seed_database
        added = asyncio.run(seed_database(spec.database_url()))
        typer.echo(f"{spec.name}: {added} records added")


@app.command()
def run(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
) -> None:
    """Migrate, seed and start every service; Ctrl-C stops them all."""
    from honcho.manager import Manager

    Path("var").mkdir(exist_ok=True)
    ensure_local_keypair(AuthSettings().local_key_dir)
    migrate()
    seed()
    manager = Manager()
    python = sys.executable
    for spec in SERVICES:
        # Where it finds the others (funding reads the evaluation service's goal achievement), unless set.
        peers = {f"{spec.env_prefix}_{o.env_prefix}_URL": f"http://127.0.0.1:{o.port}" for o in SERVICES if o != spec}
        manager.add_process(
            spec.name,
            f"{python} -m uvicorn {spec.package}.main:create_app --factory --host {host} --port {spec.port} "
            f"--no-access-log {SERVE_FLAGS}",
            # The services believe the forwarding headers of the gateway, which runs on this machine.
            env={
                **peers,
                "KIP_TRUSTED_PROXIES": "127.0.0.1,::1",
                # Funding and evaluation follow the programme service's events (measure and partner status).
                f"{spec.env_prefix}_FOLLOW_EVENTS": "true",
                **os.environ,
                f"{spec.env_prefix}_DATABASE_URL": spec.database_url(),
            },
        )
    if importlib.util.find_spec("gateway") is not None:  # the one door, started after the services
        manager.add_process(
            "gateway",
            f"{python} -m uvicorn gateway.main:create_app --factory --host {host} --port {GATEWAY_PORT} "
            f"--no-access-log {SERVE_FLAGS}",
            env=dict(os.environ),
        )
    typer.echo("")
    for spec in SERVICES:
        typer.echo(f"  {spec.name:<11} http://{host}:{spec.port}/docs")
    typer.echo(f"  {'gateway':<11} http://{host}:{GATEWAY_PORT}/docs  (everything in one place)")
    typer.echo("  token:      .venv/bin/kip token --role canton-editor --canton BL\n")
    manager.loop()
    sys.exit(manager.returncode)


# --- chores beyond one machine: databases on a PostgreSQL server, the SEM report to a file -----------------------


@app.command("db-create")
def db_create() -> None:
    """Create each service's PostgreSQL database named in `<SERVICE>_DATABASE_URL` if missing, then migrate it."""
    from rich.progress import Progress

    from kip_cli.databases import database_name, ensure_database, safe_url

    with Progress(transient=False) as progress:
        task = progress.add_task("databases", total=len(SERVICES) * 2)
        for spec in SERVICES:
            url = spec.database_url()
            progress.update(task, description=f"{spec.name}: database {database_name(url)}")
            try:
                created = ensure_database(url)
            except Exception as exc:  # any failure is told plainly, with the URL minus its password
                progress.stop()
                typer.echo(f"{spec.name}: cannot create {safe_url(url)}: {exc}", err=True)
                raise typer.Exit(1) from exc
            progress.advance(task)
            progress.update(task, description=f"{spec.name}: migrating")
            importlib.import_module(f"{spec.package}.cli").migrate(url)
            progress.advance(task)
            progress.console.print(f"{spec.name}: {'created' if created else 'exists'}, migrated ({safe_url(url)})")


@app.command("export-report")
def export_report(
    programme: Annotated[str, typer.Option(help="Programme id, or a seeded programme's code such as BL-KIP3.")],
    year: Annotated[int, typer.Option(min=2000, max=2100, help="The reporting year.")],
    out: Annotated[Path, typer.Option(help="The file to write; it appears whole or not at all.")],
    fmt: Annotated[str, typer.Option("--format", help="xlsx, csv or json.")] = "xlsx",
    token: Annotated[
        str | None,
        typer.Option(envvar="KIP_TOKEN", help="Bearer token; by default a SEM token signed with the local key."),
    ] = None,
    gateway: Annotated[str, typer.Option(envvar="KIP_GATEWAY_URL", help="The gateway's base URL.")] = (
        "http://127.0.0.1:8000"
    ),
) -> None:
    """Export a programme's annual report to SEM for one year, through the gateway, to a file."""
    from kip_cli.report import ReportError, ReportFormat, download_report, new_progress, programme_id

    try:
        report_format = ReportFormat(fmt.lower())
    except ValueError as exc:
        raise typer.BadParameter("choose xlsx, csv or json", param_hint="--format") from exc
    if token is None:
        settings = AuthSettings()
        private_pem, _ = ensure_local_keypair(settings.local_key_dir)
        token = issue_token(
            private_pem, role=Role.SEM, subject="kip-cli", issuer=settings.issuer, audience=settings.audience
        )
    with new_progress() as progress:
        try:
            size = asyncio.run(
                download_report(
                    gateway=gateway,
                    programme=programme_id(programme),
                    year=year,
                    fmt=report_format,
                    token=token,
                    out=out,
                    progress=progress,
                )
            )
        except ReportError as exc:
            progress.stop()
            typer.echo(f"error: {exc}; nothing was written.", err=True)
            raise typer.Exit(1) from exc
    typer.echo(f"{out}: {size} bytes")


if __name__ == "__main__":
    app()
