"""Bulletin charts as PNG bytes (matplotlib, Agg, no pyplot state), with a CJK font.

Chinese labels need a font that has the glyphs, or matplotlib draws empty boxes. We ask
fontconfig for Noto Sans CJK SC (Debian `fonts-noto-cjk`), register the file with
matplotlib's font manager (a TTC: matplotlib picks the SC face, so simplified forms are
drawn) and refuse to draw without it rather than produce boxes.

The PNGs carry no timestamp or software tag, so the same figures give the same bytes.
"""
from __future__ import annotations

import io
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from twintrack.display import amounts  # noqa: E402
from twintrack.display.labels import metric_label, metrics_in_use, org_name  # noqa: E402
from twintrack.metrics.rules import schedule_rate  # noqa: E402

CJK_FAMILY = "Noto Sans CJK SC"
FALLBACK_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
)
DPI = 200
CM = 1 / 2.54

BLUE = "#2F5597"
LIGHT_BLUE = "#9DB4DC"
RED = "#C00000"
LIGHT_RED = "#E8A0A0"
GREY = "#595959"


class FontMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def cjk_font_file() -> str:
    """The Noto Sans CJK file, found through fontconfig (fc-match), else a known path."""
    candidates = []
    if shutil.which("fc-match"):
        result = subprocess.run(["fc-match", "-f", "%{file}", f"{CJK_FAMILY}:style=Regular"],
                                capture_output=True, text=True, check=False)
        if result.returncode == 0 and "CJK" in result.stdout:
            candidates.append(result.stdout.strip())
    candidates += FALLBACK_PATHS
    for path in candidates:
        if Path(path).is_file():
            return path
    raise FontMissing(f"{CJK_FAMILY} not found: install the Debian package fonts-noto-cjk")


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Make sure matplotlib knows the CJK font; returns the family name to use."""
    path = cjk_font_file()
    known = {getattr(f, "fname", None) for f in font_manager.fontManager.ttflist}
    if path not in known:
        font_manager.fontManager.addfont(path)
    bold = path.replace("Regular", "Bold")
    if bold != path and Path(bold).is_file() and bold not in known:
        font_manager.fontManager.addfont(bold)
    return CJK_FAMILY


def _rc() -> dict:
    return {
        "font.family": [register_cjk_font(), "DejaVu Sans"],
        "font.size": 8,
        "axes.unicode_minus": False,  # the minus sign, not U+2212 which CJK fonts may lack
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": GREY,
        "axes.titlesize": 9,
        "axes.titleweight": "bold",
        "legend.fontsize": 7,
        "legend.frameon": False,
        "svg.hashsalt": "twintrack",
    }


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _month_labels(lang: str) -> list[str]:
    if lang == "zh":
        return [f"{m}月" for m in range(1, 13)]
    return ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


TEXT = {
    "zh": {"actual": "累计完成", "target": "累计目标", "projected": "预测", "no_target": "无目标",
           "target_line": "目标", "schedule": "序时进度", "behind": "慢于序时进度", "ahead": "快于序时进度",
           "completion": "完成率"},
    "en": {"actual": "Cumulative actual", "target": "Cumulative target", "projected": "Projected",
           "no_target": "no target", "target_line": "target", "schedule": "schedule", "behind": "behind schedule",
           "ahead": "on or ahead of schedule", "completion": "completion rate"},
}


def cumulative_chart(data: dict, lang: str, metrics: list[str] | None = None) -> bytes:
    """One panel per metric: cumulative actual by month (bars), the cumulative target
    (line), and the projected path to December (dashed)."""
    T = TEXT[lang]
    series = data["series"]
    metrics = [m for m in (metrics or metrics_in_use(data["report"])) if m in series]
    columns = 2 if len(metrics) == 4 else (min(len(metrics), 3) or 1)  # four metrics: two by two
    rows = (len(metrics) + columns - 1) // columns
    labels = _month_labels(lang)
    with matplotlib.rc_context(_rc()):
        figure = Figure(figsize=(16 * CM, (5.1 if rows == 1 else 4.6) * CM * rows), layout="constrained")
        axes = figure.subplots(rows, columns, squeeze=False).flatten()
        for ax, metric in zip(axes, metrics):
            scale = amounts.document_scale(metric, lang)
            s = series[metric]
            actual = [amounts.scaled(v, scale) for v in s["actual"]]
            months = list(range(1, len(actual) + 1))
            ax.bar(months, actual, color=BLUE, width=0.65, label=T["actual"], zorder=2)
            target_points = [(m, amounts.scaled(v, scale)) for m, v in zip(range(1, 13), s["target"]) if v is not None]
            if target_points:
                ax.plot(*zip(*target_points), color=RED, marker="o", markersize=2.5, linewidth=1.2,
                        label=T["target"], zorder=3)
            projected = s.get("projected") or []
            if len(projected) > 1:
                start = 13 - len(projected)
                points = [(start + i, amounts.scaled(v, scale)) for i, v in enumerate(projected) if v is not None]
                ax.plot(*zip(*points), color=BLUE, linestyle="--", linewidth=1.2, marker="o", markersize=2,
                        markerfacecolor="white", label=T["projected"], zorder=3)
            ax.set_xticks(range(1, 13), [label if m % 2 or lang == "zh" else "" for m, label in
                                         zip(range(1, 13), labels)])
            ax.tick_params(axis="x", labelsize=6, rotation=0 if lang == "en" else 45, length=0)
            ax.tick_params(axis="y", labelsize=6.5)
            ax.set_xlim(0.4, 12.6)
            ax.set_ylim(bottom=0)
            ax.grid(axis="y", color="#D9D9D9", linewidth=0.5, zorder=0)
            ax.set_title(f"{metric_label(metric, lang, short=True)}（{scale.unit(lang)}）" if lang == "zh"
                         else f"{metric_label(metric, lang, short=True)} ({scale.unit(lang)})")
        for ax in axes[len(metrics):]:
            ax.set_visible(False)
        handles, names = axes[0].get_legend_handles_labels()
        figure.legend(handles, names, loc="outside lower center", ncols=3)
        return _png(figure)


def ranking_chart(data: dict, lang: str) -> bytes:
    """Child units by completion rate of the ranking metric, best on top; bars of units
    whose annual rate is below the time-elapsed share in red; units without a target
    listed at the bottom, marked so."""
    T = TEXT[lang]
    report = data["report"]
    metric = data["ranking"]["metric"]
    by_code = {c["org"]["code"]: c for c in report["children"]}
    month = int(report["period"][5:7])
    order = data["ranking"]["ranked"] + data["ranking"]["no_target"]
    names = [org_name(by_code[code]["org"], lang) for code in order]
    rates = [by_code[code]["metrics"][metric]["completion_rate"] for code in order]
    annual = [by_code[code]["metrics"][metric]["annual_rate"] for code in order]
    height = max(3.5, 0.75 * len(order) + 1.6)
    with matplotlib.rc_context(_rc()):
        figure = Figure(figsize=(16 * CM, height * CM), layout="constrained")
        ax = figure.subplots()
        positions = list(range(len(order)))[::-1]
        top = max([r for r in rates if r is not None] + [1.0])
        for y, name, value, year_rate in zip(positions, names, rates, annual):
            if value is None:
                ax.text(0.01, y, T["no_target"], va="center", ha="left", color=GREY, fontsize=7)
                continue
            behind = year_rate is not None and year_rate < schedule_rate(month)
            ax.barh(y, value * 100, color=RED if behind else BLUE, height=0.62, zorder=2)
            ax.text(value * 100 + top * 0.8, y, amounts.percent(value, keep_zeros=True), va="center", ha="left", fontsize=6.5, zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
        ax.set_yticks(positions, names)
        ax.tick_params(axis="y", labelsize=7, length=0)
        ax.tick_params(axis="x", labelsize=6.5)
        ax.axvline(100, color=GREY, linestyle="--", linewidth=0.8, zorder=3)
        ax.set_xlim(0, top * 100 * 1.15)
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0f}%")
        ax.grid(axis="x", color="#D9D9D9", linewidth=0.5, zorder=0)
        label = metric_label(metric, lang, short=True)
        ax.set_title(f"{label}{T['completion']}" if lang == "zh" else f"{label}: {T['completion']}")
        schedule = amounts.percent(schedule_rate(month))
        figure.legend(handles=[Patch(color=BLUE, label=T["ahead"]),
                               Patch(color=RED, label=f"{T['behind']}（{schedule}）" if lang == "zh"
                                     else f"{T['behind']} ({schedule})")],
                      loc="outside lower center", ncols=2)
        return _png(figure)
