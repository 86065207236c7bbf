"""Chart geometry: what the report's SVG and CSS charts are drawn with."""

from __future__ import annotations

import pytest

from matrix.report.charts import (
    TREND_BOTTOM,
    TREND_LEFT,
    TREND_RIGHT,
    TREND_TOP,
    bar_segments,
    gridlines,
    heat_level,
    polyline,
    trend_x,
    trend_y,
)

COUNTS = [("completed", 1), ("on_track", 0), ("delayed", 3)]


def test_a_stacked_bar_leaves_out_empty_statuses_and_fills_the_width():
    segments = bar_segments(COUNTS, 4, rtl=False)
    assert [(s.status, s.x, s.width) for s in segments] == [
        ("completed", 0.0, 25.0),
        ("delayed", 25.0, 75.0),
    ]


def test_a_right_to_left_bar_is_the_mirror_image():
    segments = bar_segments(COUNTS, 4, rtl=True)
    assert [(s.status, s.x, s.width) for s in segments] == [
        ("completed", 75.0, 25.0),
        ("delayed", 0.0, 75.0),
    ]


def test_an_empty_bar_has_no_segments():
    assert bar_segments([("completed", 0)], 0, rtl=False) == []


@pytest.mark.parametrize(
    "activities, value, level",
    [
        (0, None, "none"),
        (0, 80.0, "none"),
        (3, None, "unreported"),
        (3, 0.0, "p0"),
        (3, 24.9, "p0"),
        (3, 25.0, "p25"),
        (3, 74.99, "p50"),
        (3, 75.0, "p75"),
        (3, 99.9, "p75"),
        (3, 100.0, "p100"),
        (3, 250.0, "p100"),
    ],
)
def test_heat_map_bands(activities, value, level):
    assert heat_level(activities, value) == level


def test_trend_periods_span_the_plot_and_a_single_one_sits_in_the_middle():
    assert [trend_x(i, 3) for i in range(3)] == [
        TREND_LEFT,
        (TREND_LEFT + TREND_RIGHT) / 2,
        TREND_RIGHT,
    ]
    assert trend_x(0, 1) == (TREND_LEFT + TREND_RIGHT) / 2


def test_trend_values_run_bottom_to_top_and_stop_at_100():
    assert trend_y(0) == TREND_BOTTOM and trend_y(100) == TREND_TOP and trend_y(180) == TREND_TOP
    assert trend_y(None) is None
    assert gridlines()[0] == (0, TREND_BOTTOM) and gridlines()[-1] == (100, TREND_TOP)


def test_a_polyline_skips_periods_without_a_value():
    assert polyline([(48, 100.0), (322, None), (596.04, 16.25)]) == "48.0,100.0 596.0,16.2"
