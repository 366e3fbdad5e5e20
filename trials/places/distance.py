"""Distances on the Earth's mean-radius sphere: in Python (a trial page's sites from a place), as
an SQL expression (the list's "near" filter and sort, the same on SQLite and PostgreSQL), and the
bounding box that lets an index narrow the sites before the exact distance is computed.

Geometry only: the querysets (trials/models/managers.py) use it, so it imports nothing of ours.
"""

import math

from django.db import models
from django.db.models import F
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

EARTH_RADIUS_KM = 6371.0088  # the mean radius


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle (haversine) distance on the mean-radius sphere."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def bounding_box(lat, lon, radius_km):
    """(min_lat, max_lat, min_lon, max_lon) of a box that contains every point within radius_km,
    for an index-friendly `BETWEEN` prefilter before the exact distance_km() check.

    A circle that reaches a pole spans every longitude; one that crosses the antimeridian would
    need two longitude ranges, so it gets the full range too (rare, and still correct)."""
    if not radius_km >= 0:  # also refuses NaN
        raise ValueError(f"radius must be a non-negative number of km, not {radius_km!r}")
    angle = radius_km / EARTH_RADIUS_KM
    delta_lat = math.degrees(angle)
    min_lat, max_lat = lat - delta_lat, lat + delta_lat
    if min_lat <= -90 or max_lat >= 90:
        return max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0
    # The meridians tangent to the circle (not lat ± the same angle: they are wider).
    ratio = math.sin(angle) / math.cos(math.radians(lat))
    delta_lon = math.degrees(math.asin(min(1.0, ratio)))
    min_lon, max_lon = lon - delta_lon, lon + delta_lon
    if min_lon < -180 or max_lon > 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, min_lon, max_lon


def distance_expression(latitude, longitude, sites=""):
    """An expression for a site's great-circle distance in km from a point (haversine), the same
    on SQLite and PostgreSQL. `sites`: the path to the sites ("sites__" from a trial)."""
    lat1, lon1 = Radians(models.Value(latitude)), Radians(models.Value(longitude))
    lat2, lon2 = Radians(F(f"{sites}latitude")), Radians(F(f"{sites}longitude"))
    a = Power(Sin((lat2 - lat1) / 2), 2) + Cos(lat1) * Cos(lat2) * Power(Sin((lon2 - lon1) / 2), 2)
    return 2 * EARTH_RADIUS_KM * ASin(Sqrt(Least(a, models.Value(1.0))))
