"""The SQLite backup copies in several steps while another connection keeps committing, and the
copy is still the database at one moment: the moment it began."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

from domain.storage.backup import PAGES_PER_STEP, backup_sqlite

ROW_BYTES = 4000
WRITTEN_BETWEEN_STEPS = 50


def test_a_paged_backup_under_writes_is_the_database_when_it_began(tmp_path: Path) -> None:
    source, target = tmp_path / "live.db", tmp_path / "copy.db"
    with closing(sqlite3.connect(source, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE alembic_version (version_num TEXT)")
        db.execute("INSERT INTO alembic_version VALUES ('0012')")
        db.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB)")
        rows = PAGES_PER_STEP * 4096 * 3 // ROW_BYTES  # about three steps of pages
        db.execute("BEGIN")
        db.executemany("INSERT INTO rows (body) VALUES (randomblob(?))", [(ROW_BYTES,)] * rows)
        db.execute("COMMIT")
    stop, committed = threading.Event(), threading.Condition()
    written = [0]

    def writer() -> None:  # a commit per row: a consistent moment has ids 1..count, no gap
        with closing(sqlite3.connect(source, isolation_level=None, timeout=30)) as db:
            while not stop.is_set():
                db.execute("INSERT INTO rows (body) VALUES (randomblob(100))")
                with committed:
                    written[0] += 1
                    committed.notify_all()

    steps: list[int] = []
    seen_at_first_step = [0]

    def between_steps(remaining: int, total: int) -> None:
        """After the first step, let the writer commit a few rows before the next one."""
        steps.append(remaining)
        if len(steps) == 1:
            with committed:
                seen_at_first_step[0] = written[0]
                goal = written[0] + WRITTEN_BETWEEN_STEPS
                committed.wait_for(lambda: written[0] >= goal)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        revision = backup_sqlite(source, target, on_step=between_steps)
    finally:
        stop.set()
        thread.join()

    with closing(sqlite3.connect(target)) as copy:
        count, highest = copy.execute("SELECT count(*), max(id) FROM rows").fetchone()
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        mode = copy.execute("PRAGMA journal_mode").fetchone()[0]
    assert revision == "0012"
    assert len(steps) >= 3  # copied in steps, never started over
    assert steps == sorted(steps, reverse=True)
    assert (verdict, mode) == ("ok", "delete")  # a single self-contained file
    assert count == highest  # one moment: every commit before it, none half
    assert count <= rows + seen_at_first_step[0]  # none of the commits made between steps
    assert not (tmp_path / "copy.db.tmp").exists()
