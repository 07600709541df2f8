/**
 * The seven colours (七彩) as shown everywhere: a swatch and a text colour
 * readable on it (4.5:1 or more), in the article's order, red to blue.
 */
import type { TeamColour } from '@qicai/db';

export const TEAM_PALETTE: Readonly<Record<TeamColour, { swatch: string; onSwatch: string }>> = {
  RED: { swatch: '#c8102e', onSwatch: '#ffffff' },
  GREEN: { swatch: '#137333', onSwatch: '#ffffff' },
  WHITE: { swatch: '#f4f1ea', onSwatch: '#1f2328' },
  ORANGE: { swatch: '#ee7d1a', onSwatch: '#1f2328' },
  PURPLE: { swatch: '#7b3fa0', onSwatch: '#ffffff' },
  GOLD: { swatch: '#c99a06', onSwatch: '#1f2328' },
  BLUE: { swatch: '#1f5fbf', onSwatch: '#ffffff' },
};

export const TEAM_COLOUR_ORDER = Object.keys(TEAM_PALETTE) as TeamColour[];

export function isTeamColour(value: string): value is TeamColour {
  return Object.hasOwn(TEAM_PALETTE, value);
}
