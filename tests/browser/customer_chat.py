"""A customer in the sandbox web chat (/sandbox), driven as a person would: type, tap, read."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Locator, Page, expect

HEARING_MS = 15_000  # what the bot writes first arrives at the page's next poll (every 2 s)
# The box is disabled until the bot answers: a cap on waiting for that event, generous because
# a loaded machine (the suite beside busy loops) was seen taking over the default 5 s.
ANSWER_MS = 30_000


@dataclass
class CustomerChat:
    """The sandbox chat page of one chat id."""

    page: Page

    @classmethod
    async def open(cls, page: Page, url: str, chat_id: str) -> CustomerChat:
        """The chat page of `chat_id`, ready to write."""
        await page.goto(f"{url}/sandbox?chat={chat_id}")
        chat = cls(page)
        await expect(chat.box).to_be_enabled(timeout=ANSWER_MS)
        return chat

    @property
    def box(self) -> Locator:
        """Where the customer writes."""
        return self.page.get_by_label("Tu mensaje")

    async def say(self, text: str) -> None:
        """Write `text`, send it and wait for the bot's answer."""
        await self.box.fill(text)
        await self.box.press("Enter")
        await expect(self.box).to_be_enabled(timeout=ANSWER_MS)

    async def tap(self, label: str) -> None:
        """Tap the choice of the latest answer that says `label`, and wait for the answer."""
        await self.page.locator(".choices button:enabled", has_text=label).first.click()
        await expect(self.box).to_be_enabled(timeout=ANSWER_MS)

    async def hears(self, text: str) -> None:
        """Wait until the bot's words `text` show in the chat (pushes come every 2 s)."""
        said = self.page.locator(".msg", has_text=text).last
        await expect(said).to_be_visible(timeout=HEARING_MS)
