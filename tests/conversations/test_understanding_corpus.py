"""The understanding against a corpus of real-looking customer messages, scored as a whole.

Single misses are tolerated (free text is open-ended) but the score must stay at 90% or more;
the score and every miss are printed so a regression is easy to read.
"""

from __future__ import annotations

from typing import Any

import pytest

from conversations.understanding import Understanding, understand
from tests.conversations.corpus import CORPUS, TODAY, VOCABULARY

PASS_MARK = 0.9


def differences(understood: Understanding, expected: dict[str, Any]) -> list[str]:
    """What the understanding got wrong, field by field (empty when it is all right)."""
    wrong = []
    for field, wanted in expected.items():
        if field == "intents":
            missing = set(wanted) - understood.intents
            if missing:
                wrong.append(f"intents lack {sorted(missing)} (got {sorted(understood.intents)})")
        elif field == "not_intents":
            extra = set(wanted) & understood.intents
            if extra:
                wrong.append(f"intents should not have {sorted(extra)}")
        elif getattr(understood, field) != wanted:
            wrong.append(f"{field}={getattr(understood, field)!r}, expected {wanted!r}")
    return wrong


def test_the_corpus_is_big_and_varied() -> None:
    texts = [text for text, _ in CORPUS]
    assert len(texts) >= 150
    assert len(set(texts)) == len(texts)


def test_the_corpus_is_understood_at_least_nine_times_in_ten(
    capsys: pytest.CaptureFixture[str],
) -> None:
    misses = []
    for text, expected in CORPUS:
        wrong = differences(understand(text, VOCABULARY, TODAY), expected)
        if wrong:
            misses.append(f"  {text!r}: " + "; ".join(wrong))
    score = 1 - len(misses) / len(CORPUS)
    summary = f"understanding corpus: {score:.1%} of {len(CORPUS)} messages"
    with capsys.disabled():
        print("\n" + summary + ("\n" + "\n".join(misses) if misses else ""))
    assert score >= PASS_MARK, summary + "\n" + "\n".join(misses)
