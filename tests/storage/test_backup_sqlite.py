"""The SQLite backup copies in many steps while another connection keeps committing, and the copy
is still one moment of the database."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

from domain.storage.backup import PAGES_PER_STEP, backup_sqlite

ROW_BYTES = 4000


def test_a_paged_backup_under_writes_is_one_snapshot(tmp_path: Path) -> None:
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
    writing, stop, written = threading.Event(), threading.Event(), [0]

    def writer() -> None:  # a commit per row: a consistent moment has ids 1..count, no gap
        with closing(sqlite3.connect(source, isolation_level=None, timeout=30)) as db:
            while not stop.is_set():
                db.execute("INSERT INTO rows (body) VALUES (randomblob(100))")
                written[0] += 1
                writing.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        writing.wait()
        revision = backup_sqlite(source, target)
        after_backup = written[0]
        while written[0] == after_backup:  # the writer was never held up for good
            writing.clear()
            writing.wait()
    finally:
        stop.set()
        thread.join()

    with closing(sqlite3.connect(target)) as copy:
        count, highest = copy.execute("SELECT count(*), max(id) FROM rows").fetchone()
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        mode = copy.execute("PRAGMA journal_mode").fetchone()[0]
    with closing(sqlite3.connect(source)) as live:
        (total,) = live.execute("SELECT count(*) FROM rows").fetchone()
    assert revision == "0012"
    assert (verdict, mode) == ("ok", "delete")  # a single self-contained file
    assert count == highest  # one moment: every commit before it, none half
    assert count < total  # the writer went on after that moment
    assert not (tmp_path / "copy.db.tmp").exists()
