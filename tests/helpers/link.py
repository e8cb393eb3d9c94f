"""The station contract in tests: events written as the station's outbox keeps them (kind and
payload dicts) made into the contract's envelopes, as `outbox.push` does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from app.sync.contract import Envelope, event_from_payload


def envelopes(events: Sequence[Mapping[str, Any]]) -> list[Envelope]:
    return [Envelope(str(e["id"]), e.get("created_at") or datetime.now(UTC),
                     event_from_payload(str(e["kind"]), e.get("payload") or {}))
            for e in events]
