"""Column types shared by the models (Warehouse-style `Annotated` aliases)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import BigInteger, DateTime, Dialect, Integer, String
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out — on SQLite too, which keeps no offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; attach a timezone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# SQLite only auto-numbers INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigIntType = BigInteger().with_variant(Integer(), "sqlite")

bigpk = Annotated[int, mapped_column(BigIntType, primary_key=True, autoincrement=True)]
intpk = Annotated[int, mapped_column(Integer, primary_key=True, autoincrement=True)]
code32 = Annotated[str, mapped_column(String(32))]
str64 = Annotated[str, mapped_column(String(64))]
str100 = Annotated[str, mapped_column(String(100))]
str200 = Annotated[str, mapped_column(String(200))]
utc = Annotated[datetime, mapped_column(UTCDateTime())]
utc_opt = Annotated[datetime | None, mapped_column(UTCDateTime(), nullable=True)]
