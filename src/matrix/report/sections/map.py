"""The map of progress by country: the plan's countries coloured by their mean progress (the heat
map's bands), their neighbours in grey, drawn from Natural Earth's public-domain 1:110m
boundaries shipped in the package (`maps/countries.json`, made by scripts/simplify_map.py); nothing
is fetched. The numbers are in a table beside it."""

from __future__ import annotations

import json
import math
from functools import cache
from importlib.resources import files

from matrix.report.charts import heat_level
from matrix.report.context import MapShape, MapView
from matrix.report.counting import Snapshot
from matrix.report.words import Words

MAP_WIDTH = 640
MARGIN = 30
"""Tenths of a degree shown around the plan's countries."""
MAX_HEIGHT = 560


@cache
def boundaries() -> dict[str, list[list[int]]]:
    """ISO alpha-3 code -> outer rings as flat lists of longitude, latitude in tenths of a
    degree."""
    text = files("matrix.report").joinpath("maps", "countries.json").read_text(encoding="utf-8")
    return json.loads(text)["countries"]


def _box(rings: list[list[int]]) -> tuple[int, int, int, int]:
    xs = [v for r in rings for v in r[0::2]]
    ys = [v for r in rings for v in r[1::2]]
    return min(xs), min(ys), max(xs), max(ys)


def progress_map(now: Snapshot, offices: list[str], words: Words) -> MapView | None:
    """The map of the offices that are countries on it; None when fewer than two are."""
    world = boundaries()
    shown = [o for o in offices if o in world]
    if len(shown) < 2:
        return None
    boxes = [_box(world[o]) for o in shown]
    left, bottom = min(b[0] for b in boxes) - MARGIN, min(b[1] for b in boxes) - MARGIN
    right, top = max(b[2] for b in boxes) + MARGIN, max(b[3] for b in boxes) + MARGIN
    squeeze = math.cos(math.radians((top + bottom) / 20))  # equirectangular, true at the middle
    scale = min(MAP_WIDTH / ((right - left) * squeeze), MAX_HEIGHT / (top - bottom))
    width, height = round((right - left) * squeeze * scale), round((top - bottom) * scale)

    def path(rings: list[list[int]]) -> str:
        return "".join(
            "M"
            + "L".join(
                f"{(r[i] - left) * squeeze * scale:.1f},{(top - r[i + 1]) * scale:.1f}"
                for i in range(0, len(r), 2)
            )
            + "Z"
            for r in rings
        )

    def near(code: str) -> bool:
        x0, y0, x1, y1 = _box(world[code])
        return x0 < right and x1 > left and y0 < top and y1 > bottom

    chosen = set(shown)
    shapes = []
    for office in shown:
        figures = now.figures(office=office)
        shapes.append(
            MapShape(
                office=office,
                name=words.office(office),
                value=figures.average,
                level=heat_level(figures.activities, figures.average),
                activities=figures.activities,
                path=path(world[office]),
            )
        )
    context = [path(world[code]) for code in sorted(world) if code not in chosen and near(code)]
    return MapView(
        width=width,
        height=height,
        shapes=shapes,
        context=context,
        left_out=[words.office(o) for o in offices if o not in chosen],
    )
