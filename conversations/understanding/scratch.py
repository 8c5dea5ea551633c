"""A message being read: what one reader understood is blanked so no other reads it again."""

from __future__ import annotations

import re
from collections.abc import Callable

GAP = " | "


class Scratch:
    """The words of a message, with the spans already understood taken out."""

    def __init__(self, words: list[str]) -> None:
        self.text = " " + " ".join(words) + " "

    def take(
        self, pattern: re.Pattern[str], keep: Callable[[re.Match[str]], bool] | None = None
    ) -> list[re.Match[str]]:
        """Every match of the pattern (that `keep` accepts), blanked out of the text."""
        found: list[re.Match[str]] = []

        def blank(match: re.Match[str]) -> str:
            if keep is not None and not keep(match):
                return match.group(0)
            found.append(match)
            return GAP

        self.text = pattern.sub(blank, self.text)
        return found

    def has(self, pattern: re.Pattern[str]) -> bool:
        """Whether the pattern occurs in what is left."""
        return pattern.search(self.text) is not None

    @property
    def words(self) -> list[str]:
        """What is left, word by word (gaps dropped)."""
        return [word for word in self.text.split() if word != GAP.strip()]
