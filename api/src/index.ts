export { default as app, type AppOptions } from './app.ts';
export { buildApp } from './build.ts';
export { loadConfig, type Config } from './config.ts';
export { drain, startServer } from './server.ts';
export { DEFAULT_TEAMS } from './modules/teams/defaults.ts';
export { hashPassword } from './modules/people/passwords.ts';
export { suggestBatch, type MatchChild, type MatchSponsor } from './modules/sponsorship/matching.ts';
export { systemClock, type Clock } from './shared/clock.ts';
