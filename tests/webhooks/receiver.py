"""A webhook receiver for the end-to-end tests: a real HTTP server on loopback, run as its own process.

Every delivery is verified with `standardwebhooks.Webhook(secret).verify(...)`, once per configured secret (to see
which secrets signed it); a delivery no secret verifies is answered 401. A `webhook-id` seen before is answered 200
and not processed again (receivers de-duplicate). `POST /control` sets the answer (`ok`, `503`, `410`) and the
secrets (`reset` forgets what was received); `GET /log` returns what was processed, in order.
Run: `python receiver.py <port>`.
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

STATE: dict[str, Any] = {"mode": "ok", "secrets": [], "processed": [], "seen": set(), "refused": 0, "answered": 0}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def _answer(self, status: int, body: Any = None) -> None:
        data = json.dumps(body if body is not None else {}).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        with LOCK:
            self._answer(200, {k: STATE[k] for k in ("processed", "refused", "answered", "mode")})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path == "/control":
            with LOCK:
                change = json.loads(body)
                if change.pop("reset", False):  # a new test: forget what was received
                    STATE.update(processed=[], seen=set(), refused=0, answered=0)
                STATE.update(change)
            self._answer(200)
            return
        with LOCK:
            STATE["answered"] += 1
            if STATE["mode"] != "ok":
                self._answer(int(STATE["mode"]), {"detail": "not now"})
                return
            headers = {k: v for k, v in self.headers.items()}
            verified_by = []
            for index, secret in enumerate(STATE["secrets"]):
                try:
                    event = Webhook(secret).verify(body, headers)
                    verified_by.append(index)
                except WebhookVerificationError:
                    pass
            if not verified_by:
                STATE["refused"] += 1
                self._answer(401, {"detail": "bad signature"})
                return
            message_id = headers["webhook-id"]
            if message_id not in STATE["seen"]:
                STATE["seen"].add(message_id)
                STATE["processed"].append(
                    {
                        "id": message_id,
                        "type": event["type"],
                        "subject": event["subject"],
                        "version": event["data"]["version"],
                        "verified_by": verified_by,
                    }
                )
            self._answer(200, {"ok": True})


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
