"""Passwords kept out of what Packline prints and logs: the one place that turns a database URL
into something to show, and that blanks known passwords in any text (log lines, tracebacks,
error messages) before it leaves the process. The platforms' receiver ciphertexts are blanked
the same way, should one ever be quoted."""

from __future__ import annotations

import re
import threading
from urllib.parse import quote

HIDDEN = "***"

# scheme://user:SECRET@host…: the secret runs to the last "@" of the URL (a password with an
# unencoded "@" is hidden whole, not cut at its first one).
_URL_SECRET = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@'\"]*):[^\s'\"]*@")
# password=SECRET in a URL's query or a libpq connection string.
_KEY_SECRET = re.compile(r"(?P<head>\bpassword\s*=\s*)(?:'(?:[^'\\]|\\.)*'|[^\s&'\"]+)",
                         re.IGNORECASE)
# A platform's ciphertext of a receiver's name, phone or address: base64 between its marks
# (Taobao and Pinduoduo ~…~ and $…$, Douyin #…#).
_CIPHERTEXT = re.compile(r"(?P<mark>[~$#])[A-Za-z0-9+/=_\-]{12,}(?P=mark)")
# PostgreSQL's detail of a refused row quotes the whole row: receivers, ciphertexts, OAIDs.
_FAILING_ROW = re.compile(r"(?P<head>Failing row contains )\(.*\)")
# Shorter values would blank ordinary words and numbers all over a log; the URL patterns above
# still catch them where they stand in a URL.
MIN_REMEMBERED = 4

_lock = threading.Lock()
_known: set[str] = set()


def remember(secret: str | None) -> None:
    """A password this process knows: blanked by `scrub` wherever it appears, as typed or
    percent-encoded as in a URL."""
    if not secret or len(secret) < MIN_REMEMBERED:
        return
    with _lock:
        _known.add(secret)
        _known.add(quote(secret, safe=""))


def scrub(text: str) -> str:
    """`text` with every password in a URL or a `password=` pair, every remembered password,
    every platform ciphertext and the row PostgreSQL quotes of a refused one replaced by
    ***."""
    if not text:
        return text
    text = _URL_SECRET.sub(lambda m: f"{m['head']}:{HIDDEN}@", text)
    text = _KEY_SECRET.sub(lambda m: f"{m['head']}{HIDDEN}", text)
    text = _FAILING_ROW.sub(lambda m: f"{m['head']}({HIDDEN})", text)
    text = _CIPHERTEXT.sub(lambda m: f"{m['mark']}{HIDDEN}{m['mark']}", text)
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, HIDDEN)
    return text


def safe_url(url: str) -> str:
    """A database URL to show or log: the password (in the user part or the query) hidden.
    Never raises, whatever the string: a URL that does not parse is shown scrubbed too."""
    return scrub(url)
