"""Make `src/matrix/report/maps/countries.json` from Natural Earth's public-domain 1:110m admin-0
countries (ne_110m_admin_0_countries.geojson, from github.com/nvkelso/natural-earth-vector):

    python scripts/simplify_map.py ne_110m_admin_0_countries.geojson

Each country (by ISO 3166 alpha-3, Natural Earth's own code where it has none) becomes a list of
rings, each ring a flat list of longitude, latitude pairs in tenths of a degree; points closer
than a tenth to the one kept before are dropped. The report draws its map from this file only."""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "matrix" / "report" / "maps" / "countries.json"


def ring(points: list[list[float]]) -> list[int]:
    flat: list[int] = []
    for lon, lat in points:
        x, y = round(lon * 10), round(lat * 10)
        if len(flat) < 2 or (x, y) != (flat[-2], flat[-1]):
            flat += [x, y]
    return flat


def main(source: str) -> None:
    features = json.loads(Path(source).read_text(encoding="utf-8"))["features"]
    out: dict[str, list[list[int]]] = {}
    for feature in features:
        props = {k.lower(): v for k, v in feature["properties"].items()}
        code = props["iso_a3"] if props["iso_a3"] not in ("-99", None) else props["adm0_a3"]
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        rings = [
            r for polygon in polygons for r in (ring(polygon[0]),) if len(r) >= 6
        ]  # outer rings
        out.setdefault(code, []).extend(rings)
    OUT.write_text(
        json.dumps(
            {
                "source": "Natural Earth 1:110m admin-0 countries (public domain)",
                "unit": "0.1 degree",
                "countries": out,
            },
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(out)} countries)")


if __name__ == "__main__":
    main(sys.argv[1])
