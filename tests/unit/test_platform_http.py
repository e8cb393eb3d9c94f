"""The platform clients' HTTP: each call's client verifies certificates as httpx does by
default, and the certificate authorities are loaded once per process, not once per call."""

from __future__ import annotations

import ssl

import pytest

from app.platforms import http


def test_clients_share_one_verifying_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[ssl.SSLContext] = []
    real = ssl.create_default_context

    def counting(*args: object, **kwargs: object) -> ssl.SSLContext:
        context = real(*args, **kwargs)  # type: ignore[arg-type]
        made.append(context)
        return context

    monkeypatch.setattr(ssl, "create_default_context", counting)
    http._tls.cache_clear()
    try:
        for _ in range(5):
            with http.client(2.0):
                pass
        assert len(made) == 1, "the authorities are loaded once, not per client"
        (context,) = made
        assert context is http._tls()
        assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    finally:
        http._tls.cache_clear()
