"""The dialogue corpus and the blind batch, each played on the real app and scored.

Single misses are reported, not fatal: the corpus must pass at 95 % or more and the blind
batch (written by someone who saw neither the code nor the corpus) at 90 % or more.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dialogues.runner import Databases, run_all, score, summary
from tests.dialogues.script import load

CORPUS_MARK = 0.95
BLIND_MARK = 0.90
MIN_CORPUS = 150

DIALOGUES = load()
CORPUS = [d for d in DIALOGUES if not d.blind]
BLIND = [d for d in DIALOGUES if d.blind]


def test_the_corpus_is_big_and_covers_bookings_changes_and_questions() -> None:
    assert len(CORPUS) >= MIN_CORPUS
    assert sum(bool(d.booked) for d in CORPUS) >= 60
    assert sum(bool(d.cancelled or d.moved) for d in CORPUS) >= 10
    assert sum(any(step.expect for step in d.steps) for d in CORPUS) >= 50  # answers checked


async def test_the_dialogue_corpus_goes_as_a_receptionist_would(
    migrated_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    verdicts = await run_all(CORPUS, Databases(migrated_database, tmp_path))
    report = summary("dialogue corpus", verdicts)
    with capsys.disabled():
        print("\n" + report)
    assert score(verdicts) >= CORPUS_MARK, report


@pytest.mark.skipif(not BLIND, reason="no blind batch in tests/dialogues")
async def test_the_blind_batch_goes_as_a_receptionist_would(
    migrated_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    verdicts = await run_all(BLIND, Databases(migrated_database, tmp_path))
    report = summary("blind dialogues", verdicts)
    with capsys.disabled():
        print("\n" + report)
    assert score(verdicts) >= BLIND_MARK, report
