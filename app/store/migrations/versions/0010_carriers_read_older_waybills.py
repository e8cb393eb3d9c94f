r"""carriers read their older waybill numbers

Revision ID: 0010
Revises: 0009
Carriers' `tracking_pattern` says which numbers are theirs, and parcels in transit, returns and
reprints carry numbers of older forms. Databases seeded before the carriers' formats moved into
`app.domain.waybills` hold SF `^SF\d{12}$` (today's SF + 13 digits refused), and those seeded
just after hold `^SF[0-9]{13}$` (the SF + 12 labels already printed refused); both become
`^SF[0-9]{12,13}$`. JD's `^JDV\d{12}$` refused JD's business lines other than V + digit
(JDVA…, JDAZ…) and becomes JD's current pattern, which still reads every JDV + 12 number.
Only the values Packline wrote are replaced: a pattern someone set by hand is left alone.
Stations take the changed rows with their next pull (the change trigger stamps them).
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# carrier code, the patterns Packline stored before, the pattern that reads every one of them
PATTERNS = (
    ('SF', (r'^SF\d{12}$', r'^SF[0-9]{13}$'), r'^SF[0-9]{12,13}$'),
    ('JD', (r'^JDV\d{12}$',), r'^JD[0-9A-Z]{2}[0-9]{11}$'),
)

carriers = sa.table('carriers', sa.column('code', sa.String),
                    sa.column('tracking_pattern', sa.String))


def upgrade() -> None:
    for code, old, new in PATTERNS:
        op.execute(carriers.update()
                   .where(carriers.c.code == code, carriers.c.tracking_pattern.in_(old))
                   .values(tracking_pattern=new))


def downgrade() -> None:
    # Nothing to undo: the wider patterns read every number the narrower ones did, and which
    # narrower one a database held is not recorded.
    pass
