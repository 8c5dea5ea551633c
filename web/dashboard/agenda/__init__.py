"""The agenda: the day (a column per professional) or the week, each turno and what can be
done with it, booking by hand and blocking time."""

from __future__ import annotations

from web.dashboard.agenda import block, board, book, move, turno

ROUTERS = (board.router, book.router, block.router, turno.router, move.router)
