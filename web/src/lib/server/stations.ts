/** The station form (create and edit): its fields, and the API's input from what was typed. */
import type { StationInput } from '$lib/graphql/__generated__/operations';

export const STATION_FIELDS = [
  'name',
  'township',
  'village',
  'address',
  'latitude',
  'longitude',
  'radiusMetres',
  'opensAt',
  'closesAt',
] as const;

/** Digits as typed on a phone or in an office (full-width ２９．１４): a number, or NaN. */
function number(text: string | undefined): number {
  const normalized = (text ?? '').normalize('NFKC').trim();
  return normalized === '' ? Number.NaN : Number(normalized);
}

export function stationInput(values: Record<string, string>): StationInput {
  const latitude = number(values['latitude']);
  const longitude = number(values['longitude']);
  const radius = number(values['radiusMetres']);
  return {
    name: values['name'] ?? '',
    township: values['township'] ?? '',
    village: values['village'] || null,
    address: values['address'] || null,
    // Not a number is sent as out of range, so the API says which field is wrong.
    latitude: Number.isFinite(latitude) ? latitude : 999,
    longitude: Number.isFinite(longitude) ? longitude : 999,
    radiusMetres: values['radiusMetres'] ? (Number.isFinite(radius) ? Math.round(radius) : 0) : null,
    opensAt: values['opensAt'] || null,
    closesAt: values['closesAt'] || null,
  };
}
