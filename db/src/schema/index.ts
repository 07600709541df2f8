export * from './tenancy.ts';
export * from './people.ts';
export * from './teams.ts';
export * from './audit.ts';
export * from './sponsorship.ts';
export * from './activities.ts';
export * from './notifications.ts';
export * from './members.ts';
