"""The bits every chart is drawn with: SVG text, the frame that names a picture for screen
readers, colour shades and a guess of how wide a text is. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 360  # the viewBox's width: about a phone's, so text units read as pixels there
FONT = 11  # axis and legend text, in viewBox units
CHAR = 0.58  # average width of a character, in ems (system sans-serif, digits and lower case)
MUTED = "#5f6b73"


def text_width(text: str, size: float = FONT) -> float:
    """About how wide `text` is drawn at `size` (a generous guess, so labels keep apart)."""
    return len(text) * size * CHAR


def shade(color: str, share: float) -> str:
    """`color` mixed with white: a share of 0 is nearly white, 1 the colour itself."""
    share = 0.15 + 0.85 * min(max(share, 0.0), 1.0)
    rgb = [int(color[k : k + 2], 16) for k in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * share) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def fit(text: str, room: float) -> str:
    """The text, cut with an ellipsis when it is wider than `room`."""
    if text_width(text) <= room:
        return text
    keep = max(int(room / (FONT * CHAR)) - 1, 1)
    return text[:keep].rstrip() + "…"


def text(x: float, y: float, content: str, anchor: str, role: str) -> str:
    """A line of text at (x, y), anchored start, middle or end; `role` is its class."""
    return (
        f'<text class="{role}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
        f'font-size="{FONT}" fill="{MUTED}">{escape(content)}</text>'
    )


def picture(key: str, title: str, desc: str, height: float, parts: Sequence[str]) -> Markup:
    """The whole picture: `parts` inside an <svg> that names itself (title, desc)."""
    head = (
        f'<svg class="chart" id="chart-{key}" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="chart-{key}-title" aria-describedby="chart-{key}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{key}-title">{escape(title)}</title>'
        f'<desc id="chart-{key}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(parts) + "</svg>")
