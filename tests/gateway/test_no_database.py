"""The gateway owns no database: importing it (and building its app) loads neither SQLAlchemy nor Alembic, so it
runs with `kip-kit[http]` alone."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import gateway.main
gateway.main.create_app()
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "alembic", "asyncpg", "aiosqlite"))
assert "gateway.main" in sys.modules
print(" ".join(loaded))
"""


def test_the_gateway_imports_no_database_code() -> None:
    result = subprocess.run(  # noqa: S603 - this interpreter, the test's own code
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [], f"database modules loaded by the gateway: {result.stdout}"
