"""Understanding bench: how long reading one message takes, short and long.

Times `understand()` (pure, no I/O) on a short booking request, a 600-character story with the
request at its end and a 4,000-character one, each warm (the shop's words and the typo index
built), and prints the medians with their ratio to the short message measured in the same run.
See bench/README.md.
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from conversations.understanding import CatalogEntry, ShopVocabulary, understand

TODAY = date(2026, 12, 1)
VOCABULARY = ShopVocabulary(
    services=(
        CatalogEntry(1, "Corte"),
        CatalogEntry(2, "Barba"),
        CatalogEntry(3, "Corte + barba"),
        CatalogEntry(4, "Color"),
        CatalogEntry(5, "Clase de barbería (grupal)"),
    ),
    professionals=(
        CatalogEntry(1, "Martín Gómez", ("Tincho",)),
        CatalogEntry(2, "Facundo Ruiz", ("Facu",)),
        CatalogEntry(3, "Lucía Fernández", ("Lu",)),
    ),
)
STORY = (
    "hola como andan!! les cuento, el sabado tengo el casamiento de mi prima y la verdad estoy "
    "hecho un desastre, hace como dos meses q no me corto xq estuve a full con el laburo. el "
    "martes pasado fui a otra barberia y me dejaron un costado mas largo q el otro, no te miento. "
)
REQUEST = "tenés algo el viernes a la tarde con facu para corte?"
MESSAGES = {
    "short request": REQUEST,
    "600-character story": (STORY * 3)[:600] + " " + REQUEST,
    "4,000-character story": (STORY * 16)[:4_000] + " " + REQUEST,
}
ROUNDS = 200


def median_ms(text: str) -> float:
    """The median time of reading `text`, in milliseconds, after a warm-up."""
    understand(text, VOCABULARY, TODAY)
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        understand(text, VOCABULARY, TODAY)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    """Print each message's median and its ratio to the short one."""
    baseline = median_ms(MESSAGES["short request"])
    for name, text in MESSAGES.items():
        took = median_ms(text)
        print(f"{name:>24}: {took:7.2f} ms median ({took / baseline:5.1f}× the short request)")


if __name__ == "__main__":
    main()
