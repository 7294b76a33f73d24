"""Build src/resettle/needs/data/world_paths.json from world-atlas's countries-110m.json.

Run once, when the geometry changes (the output is committed):

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    .venv/bin/python scripts/build_world_paths.py /tmp/package/countries-110m.json

world-atlas (ISC licence, Mike Bostock) is Natural Earth's 1:110m admin-0
countries (public domain) as TopoJSON, with ISO 3166-1 numeric codes as ids.
This script decodes the TopoJSON arcs, projects the rings with the Equal Earth
projection (Šavrič, Patterson and Jenny, 2018), drops Antarctica, and writes one
SVG path per country keyed by ISO alpha-3 (from pycountry), with relative
coordinates rounded to a tenth of a pixel on a 1000-pixel-wide canvas.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pycountry

OUT = Path(__file__).resolve().parent.parent / "src/resettle/needs/data/world_paths.json"
WIDTH = 1000.0
# Equal Earth constants.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
ANTARCTICA = "010"
# Natural Earth features without an ISO numeric code: alpha-3 codes used in the wild.
NO_NUMERIC = {"Kosovo": "XKX", "N. Cyprus": "", "Somaliland": ""}


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth projection of a point in degrees, in units of the unit sphere."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The arcs in longitude and latitude (TopoJSON quantised delta encoding)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """One ring from its arc indexes (a negative index is the reversed arc ~i)."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Longitudes made continuous along the ring (no jump of more than 180 degrees)."""
    out = [points[0]]
    for raw, lat in points[1:]:
        prev = out[-1][0]
        lon = raw
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        out.append((lon, lat))
    return out


def clip(
    points: list[tuple[float, float]], edge: float, keep_below: bool
) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the part of a ring on one side of the meridian `edge`."""

    def inside(p: tuple[float, float]) -> bool:
        return p[0] <= edge if keep_below else p[0] >= edge

    out: list[tuple[float, float]] = []
    for i, cur in enumerate(points):
        prev = points[i - 1]
        if inside(cur):
            if not inside(prev):
                out.append(cross(prev, cur, edge))
            out.append(cur)
        elif inside(prev):
            out.append(cross(prev, cur, edge))
    return out


def cross(a: tuple[float, float], b: tuple[float, float], edge: float) -> tuple[float, float]:
    t = (edge - a[0]) / (b[0] - a[0])
    return edge, a[1] + t * (b[1] - a[1])


def cut_antimeridian(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring crossing the antimeridian (Russia, Fiji) as the rings on either side of it."""
    ring_ = unwrap(points)
    lons = [p[0] for p in ring_]
    if min(lons) >= -180 and max(lons) <= 180:
        return [points]
    parts = []
    for shift in (-360, 0, 360):
        moved = [(lon + shift, lat) for lon, lat in ring_]
        part = clip(clip(moved, 180, keep_below=True), -180, keep_below=False)
        if len(part) >= 3:
            parts.append(part)
    return parts


def main(source: str) -> None:
    topo = json.loads(Path(source).read_text())
    arcs = decode_arcs(topo)
    # Scale from the projection's extent (±180° at the equator) to the canvas.
    x_max, _ = equal_earth(180, 0)
    _, y_max = equal_earth(0, 90)
    scale = WIDTH / (2 * x_max)
    height = round(2 * y_max * scale, 1)

    def project(lon: float, lat: float) -> tuple[float, float]:
        x, y = equal_earth(lon, lat)
        return round((x + x_max) * scale, 1), round((y_max - y) * scale, 1)

    countries: dict[str, dict[str, str]] = {}
    min_y = height
    max_y = 0.0
    for geometry in topo["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id", "")
        name = geometry["properties"]["name"]
        if numeric == ANTARCTICA:
            continue
        if numeric:
            found = pycountry.countries.get(numeric=numeric)
            iso3 = found.alpha_3 if found else ""
        else:
            iso3 = NO_NUMERIC.get(name, "")
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        parts = []
        for polygon in polygons:
            rings = [part for rng in polygon for part in cut_antimeridian(ring(rng, arcs))]
            for lonlat in rings:
                pts = [project(lon, lat) for lon, lat in lonlat]
                # Drop repeated points after rounding.
                dedup = [pts[0]] + [p for i, p in enumerate(pts[1:], 1) if p != pts[i - 1]]
                if len(dedup) < 3:
                    continue
                min_y = min(min_y, *(p[1] for p in dedup))
                max_y = max(max_y, *(p[1] for p in dedup))
                x0, y0 = dedup[0]
                cmd = [f"M{x0:g} {y0:g}l"]
                px, py = x0, y0
                for x, y in dedup[1:]:
                    cmd.append(f"{round(x - px, 1):g} {round(y - py, 1):g} ")
                    px, py = x, y
                parts.append("".join(cmd).rstrip() + "z")
        key = iso3 or f"_{name}"
        countries[key] = {"n": numeric, "name": name, "d": "".join(parts)}
    top = math.floor(min_y)
    out = {
        "source": "world-atlas 2.0.2 countries-110m (Natural Earth 1:110m), Equal Earth projection",
        "viewBox": f"0 {top} {WIDTH:g} {math.ceil(max_y) - top}",
        "countries": dict(sorted(countries.items())),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{len(countries)} countries, {OUT.stat().st_size // 1024} KB -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "countries-110m.json")
