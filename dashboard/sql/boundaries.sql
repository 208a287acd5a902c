-- Province polygons for the map.
SELECT region_code, name, geometry_geojson FROM region_boundaries ORDER BY region_code
