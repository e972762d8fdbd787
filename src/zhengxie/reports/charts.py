"""Charts of a report drawn as PNG images for the .docx drafts (matplotlib, Agg canvas).

Chinese labels need a CJK face: Noto Sans CJK (or Noto Serif CJK) as installed by Debian's
``fonts-noto-cjk``, found through ``matplotlib.font_manager``; without one the charts are still
drawn (with the default face) rather than failing. Figures are built on their own
``Figure``/``FigureCanvasAgg`` (no pyplot global state), so drawing is safe in a web worker.

Each function takes plain data and returns PNG bytes, or ``None`` when there is nothing to draw.
"""

import functools
import io
import logging
import warnings
from pathlib import Path

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

logger = logging.getLogger(__name__)

PREFERRED_FACES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Noto Serif CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
)
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")
RED = "#c8161d"
PALETTE = ("#c8161d", "#e8793a", "#f2b134", "#4f81bd", "#7f7f7f", "#9bbb59", "#8064a2")
DPI = 150


@functools.cache
def chinese_font() -> font_manager.FontProperties | None:
    """The first CJK face found (registering Debian's Noto CJK files if matplotlib has not
    seen them), or None: the charts then use matplotlib's default face."""
    names = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    if not any(face in names for face in PREFERRED_FACES):
        for folder in FONT_DIRS:
            for path in sorted(Path(folder).glob("Noto*CJK*")):
                try:
                    font_manager.fontManager.addfont(str(path))
                except (OSError, RuntimeError, ValueError):  # a broken file: try the next
                    logger.warning("cannot load font %s", path)
        names = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for face in PREFERRED_FACES:
        if face in names:
            return font_manager.FontProperties(fname=names[face])
    logger.warning("no CJK font found; chart labels will not render Chinese")
    return None


def _figure(width=6.4, height=3.6):
    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs when no CJK face is installed
        figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def _text_kwargs(size=10):
    font = chinese_font()
    if font is None:
        return {"fontsize": size}
    props = font.copy()
    props.set_size(size)
    return {"fontproperties": props}


def _clean(items):
    return [(str(label), value) for label, value in items if value]


def bar_chart(items, *, title, unit="", percent=False) -> bytes | None:
    """A horizontal bar chart of (label, value) pairs in the given order; values of 0 or None
    are left out. ``percent``: values are rates 0..1, drawn as percentages with one decimal."""
    items = _clean(items)
    if not items:
        return None
    labels = [label for label, _v in items][::-1]
    values = [value * 100 if percent else value for _l, value in items][::-1]
    figure = _figure(height=max(2.4, 0.45 * len(items) + 1.2))
    axes = figure.add_subplot()
    bars = axes.barh(range(len(values)), values, color=RED, height=0.6)
    axes.set_yticks(range(len(labels)))
    axes.set_yticklabels(labels, **_text_kwargs(10))
    axes.set_title(title, **_text_kwargs(12))
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    axes.bar_label(
        bars,
        labels=[f"{v:.1f}%" if percent else f"{v:g}{unit}" for v in values],
        padding=3,
        **_text_kwargs(9),
    )
    if percent:
        axes.set_xlim(0, 110)
    else:
        axes.set_xlim(0, max(values) * 1.15)
    axes.tick_params(axis="x", labelsize=8)
    return _png(figure)


def pie_chart(items, *, title) -> bytes | None:
    """A pie chart of (label, count) pairs; shares printed with one decimal."""
    items = _clean(items)
    if not items:
        return None
    figure = _figure(width=5.2, height=3.8)
    axes = figure.add_subplot()
    total = sum(v for _l, v in items)
    _wedges, texts, autotexts = axes.pie(
        [v for _l, v in items],
        labels=[f"{label} {value}" for label, value in items],
        colors=PALETTE[: len(items)],
        autopct=lambda share: f"{share:.1f}%" if share * total >= 0.5 else "",
        startangle=90,
        counterclock=False,
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
    )
    for text in [*texts, *autotexts]:
        if chinese_font() is not None:
            text.set_fontproperties(_text_kwargs(9)["fontproperties"])
    axes.set_title(title, **_text_kwargs(12))
    axes.axis("equal")
    return _png(figure)
