/** Check-in positions against an activity's site in 岳阳: distances, valid positions, the radius edge. */
import { describe, expect, it } from 'vitest';
import { distanceMetres, isPosition, isWithinRadius, type Position } from '../../src/modules/activities/geo.ts';

/** 岳阳楼, on the shore of 洞庭湖. */
const YUEYANG_TOWER: Position = { latitude: 29.3833, longitude: 113.0917 };
/** Metres in one degree of a great circle on the mean Earth sphere: 6,371,008.8 m × π / 180. */
const METRES_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;

describe('distanceMetres', () => {
  it('is zero from a place to itself', () => {
    expect(distanceMetres(YUEYANG_TOWER, YUEYANG_TOWER)).toBe(0);
  });

  it('measures north–south along the meridian', () => {
    const north = { latitude: 29.3843, longitude: 113.0917 };
    expect(distanceMetres(YUEYANG_TOWER, north)).toBeCloseTo(0.001 * METRES_PER_DEGREE, 3);
    expect(distanceMetres(north, YUEYANG_TOWER)).toBeCloseTo(0.001 * METRES_PER_DEGREE, 3);
    // One degree of latitude, about 111 km, from the equator.
    expect(distanceMetres({ latitude: 0, longitude: 113 }, { latitude: 1, longitude: 113 })).toBeCloseTo(
      METRES_PER_DEGREE,
      3,
    );
  });

  it('measures east–west shortened by the cosine of the latitude', () => {
    const east = { latitude: 29.3833, longitude: 113.0927 };
    const expected = 0.001 * METRES_PER_DEGREE * Math.cos((29.3833 * Math.PI) / 180);
    expect(distanceMetres(YUEYANG_TOWER, east)).toBeCloseTo(expected, 2);
    expect(distanceMetres(east, YUEYANG_TOWER)).toBeCloseTo(expected, 2);
    // On the equator a degree of longitude is a degree of the great circle.
    expect(distanceMetres({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 1 })).toBeCloseTo(
      METRES_PER_DEGREE,
      3,
    );
  });

  it('measures the great circle between two towns: 岳阳县 to 岳阳楼 diagonally', () => {
    // 荣家湾镇 (岳阳县) to 岳阳楼, by the spherical law of cosines.
    const rongjiawan = { latitude: 29.1478, longitude: 113.1158 };
    const toRad = (d: number) => (d * Math.PI) / 180;
    const central = Math.acos(
      Math.sin(toRad(rongjiawan.latitude)) * Math.sin(toRad(YUEYANG_TOWER.latitude)) +
        Math.cos(toRad(rongjiawan.latitude)) *
          Math.cos(toRad(YUEYANG_TOWER.latitude)) *
          Math.cos(toRad(YUEYANG_TOWER.longitude - rongjiawan.longitude)),
    );
    const expected = 6_371_008.8 * central;
    expect(expected).toBeGreaterThan(26_000);
    expect(expected).toBeLessThan(26_500);
    expect(distanceMetres(rongjiawan, YUEYANG_TOWER)).toBeCloseTo(expected, 1);
    expect(distanceMetres(YUEYANG_TOWER, rongjiawan)).toBeCloseTo(expected, 1);
  });

  it('is half the circumference to the antipode', () => {
    const antipode = { latitude: -29.3833, longitude: 113.0917 - 180 };
    expect(distanceMetres(YUEYANG_TOWER, antipode)).toBeCloseTo(180 * METRES_PER_DEGREE, 0);
    expect(distanceMetres({ latitude: 90, longitude: 0 }, { latitude: -90, longitude: 0 })).toBeCloseTo(
      180 * METRES_PER_DEGREE,
      3,
    );
  });
});

describe('isPosition', () => {
  it('accepts latitudes to ±90 and longitudes to ±180, the limits included', () => {
    expect(isPosition(YUEYANG_TOWER)).toBe(true);
    expect(isPosition({ latitude: 90, longitude: 180 })).toBe(true);
    expect(isPosition({ latitude: -90, longitude: -180 })).toBe(true);
    expect(isPosition({ latitude: 0, longitude: 0 })).toBe(true);
  });

  it('refuses anything beyond, and what is not a finite number', () => {
    expect(isPosition({ latitude: 90.0001, longitude: 113 })).toBe(false);
    expect(isPosition({ latitude: -90.0001, longitude: 113 })).toBe(false);
    expect(isPosition({ latitude: 29.38, longitude: 180.0001 })).toBe(false);
    expect(isPosition({ latitude: 29.38, longitude: -180.0001 })).toBe(false);
    expect(isPosition({ latitude: Number.NaN, longitude: 113 })).toBe(false);
    expect(isPosition({ latitude: 29.38, longitude: Number.NaN })).toBe(false);
    expect(isPosition({ latitude: Number.POSITIVE_INFINITY, longitude: 113 })).toBe(false);
    expect(isPosition({ latitude: 29.38, longitude: Number.NEGATIVE_INFINITY })).toBe(false);
  });
});

describe('isWithinRadius', () => {
  it('accepts a check-in exactly on the edge, and refuses one metre beyond', () => {
    expect(isWithinRadius(200, 200)).toBe(true);
    expect(isWithinRadius(201, 200)).toBe(false);
    expect(isWithinRadius(199.99, 200)).toBe(true);
    expect(isWithinRadius(0, 200)).toBe(true);
  });

  it('holds a measured position against the radius at the edge', () => {
    const gate = { latitude: 29.3851, longitude: 113.0917 };
    const distance = distanceMetres(YUEYANG_TOWER, gate);
    expect(isWithinRadius(distance, distance)).toBe(true);
    expect(isWithinRadius(distance + 1, distance)).toBe(false);
    expect(isWithinRadius(distance, distance - 1)).toBe(false);
  });

  it('never accepts a check-in without a position', () => {
    expect(isWithinRadius(null, 200)).toBe(false);
    expect(isWithinRadius(null, Number.POSITIVE_INFINITY)).toBe(false);
  });
});
