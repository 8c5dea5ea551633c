"""What one engine call returns, and the table type every flow fills in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from conversations.commands import Command, Result
from conversations.context import Context
from conversations.messages import Choice, Outgoing
from conversations.state import State, Step
from conversations.understanding import Understanding


@dataclass(frozen=True)
class Reply:
    """The new state, the messages to send and the commands for the runtime to run."""

    state: State
    messages: tuple[Outgoing, ...] = ()
    commands: tuple[Command, ...] = ()

    def then(self, other: Reply) -> Reply:
        """This reply's messages followed by another's, ending in the other's state."""
        return Reply(other.state, self.messages + other.messages, self.commands + other.commands)


@dataclass(frozen=True)
class Answer:
    """The person's input at a step: the choice it picked (if any) and what the text says."""

    text: str
    choice: Choice | None
    understood: Understanding


Prompt = Callable[[State, Context], Reply]
OnAnswer = Callable[[State, Answer, Context], Reply]
OnResult = Callable[[State, Result, Context], Reply]


@dataclass(frozen=True)
class StepSpec:
    """One row of a flow's table: how a step asks, reads answers, takes results, goes back."""

    prompt: Prompt
    on_answer: OnAnswer
    on_result: OnResult | None = None
    back: Step = Step.MENU
    # The engine answers a bare "hola" or "¿cuánto sale?" and asks again (off where the step's
    # own answer handles them: the menu, the name, a message for the shop).
    small_talk: bool = True
    # A typed "cancelar" answers this step (it names the turno on screen) instead of leaving.
    cancel_is_answer: bool = False
    # Free text longer than a command is the answer, even if it mentions "menú".
    takes_text: bool = False
    # The bot asked first (a reminder, an offer): a message about something else altogether
    # ("mis turnos", "quiero un turno", "ayuda") is read at the menu instead of re-asked.
    bot_asked: bool = False
