"""audit log: rows by BarberPro itself (source `system`), such as the refunds a cancellation
is owed

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = 'ck_audit_log_source'
_WITH_SYSTEM = "source IN ('dashboard', 'api', 'cli', 'chat', 'system')"
_WITHOUT_SYSTEM = "source IN ('dashboard', 'api', 'cli', 'chat')"
# SQLite changes a CHECK by rebuilding the table (copy, drop, rename): the triggers that keep
# the trail append-only go with the old table, so they are dropped first and made again (as
# migration 0013 made them). Copying rows is an insert: nothing in the trail is changed.
_SQLITE_TRIGGERS = {
    what: f"CREATE TRIGGER audit_log_no_{what} BEFORE {what.upper()} ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    for what in ("update", "delete")
}


def _source_check(condition: str) -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f(_NAME), 'audit_log', type_='check')
        op.create_check_constraint(op.f(_NAME), 'audit_log', sa.text(condition))
        return
    for what in _SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER audit_log_no_{what}")
    with op.batch_alter_table('audit_log', recreate='always') as batch_op:
        batch_op.drop_constraint(op.f(_NAME), type_='check')
        batch_op.create_check_constraint(op.f(_NAME), sa.text(condition))
    for trigger in _SQLITE_TRIGGERS.values():
        op.execute(trigger)


def upgrade() -> None:
    _source_check(_WITH_SYSTEM)


def downgrade() -> None:
    # Rows cannot be deleted from the trail: with any by `system`, stay at 0014.
    found = op.get_bind().execute(sa.text("SELECT count(*) FROM audit_log WHERE source = 'system'"))
    if found.scalar():
        raise RuntimeError("the audit trail has rows by `system`: it cannot go back to 0013")
    _source_check(_WITHOUT_SYSTEM)
