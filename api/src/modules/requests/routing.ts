/**
 * Which team a request's category points to — the one place this mapping
 * lives. It follows the teams' missions (DESIGN.md, and the defaults in
 * teams/defaults.ts): white 白色天使 runs free clinics, green 绿色卫士
 * protects the environment, blue gives legal and psychological counselling,
 * gold cares for children (关爱留守儿童), purple visits the elderly and
 * veterans. Help at home is practical, urgent work for orange, the relief
 * team; anything else goes to red, the Red Banner (红色旗帜) party members'
 * team that takes on what fits no other. The admin may always choose
 * another team: this is a suggestion.
 */
import type { RequestCategory, TeamColour } from '@qicai/db';

export const SUGGESTED_TEAM: Record<RequestCategory, TeamColour> = {
  HEALTH: 'WHITE',
  ENVIRONMENT: 'GREEN',
  LEGAL: 'BLUE',
  CHILDREN: 'GOLD',
  ELDERLY: 'PURPLE',
  HOME_HELP: 'ORANGE',
  OTHER: 'RED',
};
