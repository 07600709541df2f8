/** Distances on the Earth, for holding a check-in's position against the activity's site. */

export interface Position {
  latitude: number;
  longitude: number;
}

/** The mean Earth radius (IUGG), in metres. */
const EARTH_RADIUS_METRES = 6_371_008.8;

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in metres (haversine): well within GPS error at the scale of a site. */
export function distanceMetres(from: Position, to: Position): number {
  const dLatitude = radians(to.latitude - from.latitude);
  const dLongitude = radians(to.longitude - from.longitude);
  const a =
    Math.sin(dLatitude / 2) ** 2 +
    Math.cos(radians(from.latitude)) * Math.cos(radians(to.latitude)) * Math.sin(dLongitude / 2) ** 2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function isPosition(position: Position): boolean {
  return (
    Number.isFinite(position.latitude) &&
    Number.isFinite(position.longitude) &&
    Math.abs(position.latitude) <= 90 &&
    Math.abs(position.longitude) <= 180
  );
}

/** A check-in's position is accepted within the radius, its edge included; no position is never within. */
export function isWithinRadius(distance: number | null, radiusMetres: number): boolean {
  return distance !== null && distance <= radiusMetres;
}
