import { TEAM_PALETTE } from '@qicai/api/kernel/team-colours';
import type { TeamColour } from '$lib/graphql/__generated__/operations';

export { isTeamColour, TEAM_COLOUR_ORDER, TEAM_PALETTE } from '@qicai/api/kernel/team-colours';

/** The CSS custom properties a team-coloured element uses. */
export function teamStyle(colour: TeamColour): string {
  const { swatch, onSwatch } = TEAM_PALETTE[colour];
  return `--team: ${swatch}; --on-team: ${onSwatch};`;
}

/** URL segment for a team: its colour in lower case (/o/yueyang/teams/red). */
export function colourSegment(colour: TeamColour): string {
  return colour.toLowerCase();
}
