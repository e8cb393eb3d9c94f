"""One place hides passwords (app.redact): database URLs as shown, any text on its way to the
log or the terminal, tracebacks included."""

from __future__ import annotations

import logging
import sys

import pytest

from app import redact
from app.logs import RedactingFormatter
from app.redact import safe_url, scrub


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql+psycopg://packline:s3cret@db.lan:5432/pl",
     "postgresql+psycopg://packline:***@db.lan:5432/pl"),
    # Percent-encoded, and an "@" left unencoded: hidden whole, not cut at its first "@".
    ("postgresql+psycopg://packline:p%40ss%2Fw@db.lan/pl", "postgresql+psycopg://packline:***@db.lan/pl"),
    ("postgresql+psycopg://packline:p@ss@db.lan/pl", "postgresql+psycopg://packline:***@db.lan/pl"),
    ("postgresql+psycopg://:s3cret@db.lan/pl", "postgresql+psycopg://:***@db.lan/pl"),
    # A password in the query goes to libpq too.
    ("postgresql+psycopg://packline@db.lan/pl?password=s3cret&sslmode=require",
     "postgresql+psycopg://packline@db.lan/pl?password=***&sslmode=require"),
    # Nothing to hide.
    ("postgresql+psycopg://packline@db.lan:5432/pl", "postgresql+psycopg://packline@db.lan:5432/pl"),
    ("postgresql+psycopg:///?service=packline", "postgresql+psycopg:///?service=packline"),
    ("sqlite:////home/packer/.local/share/Packline/station.db",
     "sqlite:////home/packer/.local/share/Packline/station.db"),
    ("tcp://192.168.1.50:9100", "tcp://192.168.1.50:9100"),
    # Not a URL at all: shown as it is, no exception.
    ("not a url", "not a url"),
    ("", ""),
])
def test_safe_url(url: str, shown: str) -> None:
    assert safe_url(url) == shown


def test_a_remembered_password_is_blanked_anywhere_as_typed_or_encoded() -> None:
    redact.remember("Tr1cky/pass@word")
    text = ("host=db user=packline Tr1cky/pass@word failed; "
            "url postgresql://packline:Tr1cky%2Fpass%40word@db/pl")
    assert scrub(text) == "host=db user=packline *** failed; url postgresql://packline:***@db/pl"
    assert "Tr1cky" not in scrub("connect(password='Tr1cky/pass@word')")


def test_short_values_are_not_remembered_so_ordinary_words_survive() -> None:
    redact.remember("abc")
    redact.remember(None)
    redact.remember("")
    assert scrub("abc order 123") == "abc order 123"
    # In a URL they are hidden all the same.
    assert scrub("postgresql://u:abc@h/db") == "postgresql://u:***@h/db"


def test_the_log_formatter_blanks_messages_arguments_and_tracebacks() -> None:
    redact.remember("Zz-traceback-secret")
    logger = logging.getLogger("packline.test.redact")
    try:
        raise RuntimeError("cannot connect to postgresql://packline:Zz-traceback-secret@db/pl")
    except RuntimeError:
        record = logger.makeRecord(logger.name, logging.ERROR, __file__, 1,
                                   "central at %s failed", ("postgresql://u:other-pw@db/pl",),
                                   exc_info=sys.exc_info())
    line = RedactingFormatter("%(message)s").format(record)
    assert "Traceback" in line
    assert "Zz-traceback-secret" not in line
    assert "other-pw" not in line
    assert "central at postgresql://u:***@db/pl failed" in line


@pytest.mark.parametrize(("text", "shown"), [
    ("cipher ~AgAAAAYlNzxSECRETNAME7Q==~ refused", "cipher ~***~ refused"),
    ("{'phone': '$AgAAAAYlN0SECRETPHONE8w==$'}", "{'phone': '$***$'}"),
    ("douyin #Zm9vYmFyYmF6cXV4MTIz# done", "douyin #***# done"),
    ("~short~ and $5$ and #1#", "~short~ and $5$ and #1#"),  # not ciphertexts: left alone
])
def test_platform_ciphertexts_are_blanked(text: str, shown: str) -> None:
    assert scrub(text) == shown


def test_the_row_postgresql_quotes_is_blanked() -> None:
    text = ('null value in column "status" violates not-null constraint\n'
            'DETAIL:  Failing row contains (7, PL1, taobao, 张**, 1Hj9dLxQ, {"name": "~x~"}).')
    assert scrub(text).splitlines()[1] == "DETAIL:  Failing row contains (***)."
