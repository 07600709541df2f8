import type { TeamColour } from '$lib/graphql/__generated__/operations';

/** The seven colours as shown: a swatch and a text colour readable on it. */
export const TEAM_COLOURS: Record<TeamColour, { swatch: string; onSwatch: string }> = {
  RED: { swatch: '#c8102e', onSwatch: '#ffffff' },
  GREEN: { swatch: '#137333', onSwatch: '#ffffff' },
  WHITE: { swatch: '#f4f1ea', onSwatch: '#1f2328' },
  ORANGE: { swatch: '#ee7d1a', onSwatch: '#1f2328' },
  PURPLE: { swatch: '#7b3fa0', onSwatch: '#ffffff' },
  GOLD: { swatch: '#c99a06', onSwatch: '#1f2328' },
  BLUE: { swatch: '#1f5fbf', onSwatch: '#ffffff' },
};

export const TEAM_COLOUR_ORDER = Object.keys(TEAM_COLOURS) as TeamColour[];

export function isTeamColour(value: string): value is TeamColour {
  return value in TEAM_COLOURS;
}

/** The CSS custom properties a team-coloured element uses. */
export function teamStyle(colour: TeamColour): string {
  const { swatch, onSwatch } = TEAM_COLOURS[colour];
  return `--team: ${swatch}; --on-team: ${onSwatch};`;
}

/** URL segment for a team: its colour in lower case (/o/yueyang/teams/red). */
export function colourSegment(colour: TeamColour): string {
  return colour.toLowerCase();
}
