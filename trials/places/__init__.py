"""Places: the offline gazetteer that resolves "near" text to a point and locates sites
(gazetteer.py), and distances on the sphere (distance.py)."""
