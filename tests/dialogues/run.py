"""Play dialogues from the command line and print how they went.

python -m tests.dialogues.run                 # the corpus: score and every failure
python -m tests.dialogues.run a-12 b-         # the dialogues whose ids start so
python -m tests.dialogues.run --blind         # the blind batch
python -m tests.dialogues.run -v a-12         # every transcript, passed or not
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from alembic import command

from domain.storage.migrate import alembic_config
from tests.dialogues.runner import Databases, Verdict, run_all, summary
from tests.dialogues.script import load


def main() -> None:
    """Run the chosen dialogues on a fresh SQLite database and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="dialogue ids or id prefixes")
    parser.add_argument("--blind", action="store_true", help="the blind batch instead")
    parser.add_argument("-v", "--verbose", action="store_true", help="every transcript")
    args = parser.parse_args()
    dialogues = [d for d in load() if d.blind == args.blind]
    if args.ids:
        dialogues = [d for d in dialogues if any(d.id.startswith(i) for i in args.ids)]
    folder = Path(tempfile.mkdtemp(prefix="dialogues-"))
    url = f"sqlite+aiosqlite:///{folder / 'migrated.db'}"
    command.upgrade(alembic_config(url), "head")

    def progress(verdict: Verdict) -> None:
        if args.verbose or not verdict.passed:
            print(verdict.report(), flush=True)

    verdicts = asyncio.run(run_all(dialogues, Databases(url, folder), progress))
    print(summary("blind dialogues" if args.blind else "dialogues", verdicts, details=False))


if __name__ == "__main__":
    main()
