"""Maps: community boundaries (GeoJSON, shapely), tile archives (MBTiles / PMTiles), the phone's
copy of its area, the online tile source, and what the map screens draw (docs/maps.md)."""
