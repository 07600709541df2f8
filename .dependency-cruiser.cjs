/**
 * The module map, checked by `pnpm check` (`pnpm check:modules`). The API's
 * domain modules are stacked: each imports only the kernel, the API's shared
 * infrastructure and the modules below it. Where a lower module must cause work
 * in a higher one (a check-out recording service hours), the higher module
 * registers a port the lower one declares (activities/check-out-hours.ts); it is never an
 * import. No file takes part in an import cycle.
 */

/** The domain modules, from the bottom: a module may import those before it in this list. */
const MODULES = [
  'shared', // the GraphQL base types (Query, Mutation, scalars)
  'notifications', // the outbox every module queues messages in, inside its own transaction
  'people', // accounts, sessions, one-time codes
  'teams', // the seven colours: names and descriptions
  'members', // the roster: members, team memberships, invitations, join requests, imports
  'organizations', // an association, its settings and onboarding (its teams and first admin)
  'activities', // activities, sign-ups, check-in and check-out
  'hours', // service records, approvals, totals; certificates and reports
  'sponsorship', // children, sponsors, matching
  'requests', // requests for help from the public
  'calendars', // calendar feeds of activities
  'dashboard', // the big screen
  'stations', // village service stations, their logbook and spot checks
  'audit', // the audit log, read
  'exports', // the whole-association export: every table of the association
];

const KERNEL = '^api/src/kernel/';
const SHARED = '^api/src/shared/';
const moduleOf = (name) => `^api/src/modules/${name}/`;
/** Everything in the API above the domain modules: the app, its plugins and workers, the module list. */
const ABOVE_MODULES =
  '^api/src/(?:app|server|build|index|tls)\\.ts$|^api/src/(?:plugins|workers)/|^api/src/modules/index\\.ts$';

const moduleRules = MODULES.map((name, index) => ({
  name: `modules-${name}`,
  comment: `${name} may import only the kernel, api/src/shared and the modules below it (${MODULES.slice(0, index).join(', ') || 'none'}).`,
  severity: 'error',
  from: { path: moduleOf(name) },
  to: { path: [...MODULES.slice(index + 1).map(moduleOf), ABOVE_MODULES] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: modules lean on each other both ways.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-stands-alone',
      comment: 'The kernel (what the API and the web app agree on) imports nothing else of the API.',
      severity: 'error',
      from: { path: KERNEL },
      to: { path: '^api/src/', pathNot: KERNEL },
    },
    {
      name: 'shared-below-modules',
      comment: "The API's shared infrastructure imports no domain module and nothing above them.",
      severity: 'error',
      from: { path: SHARED },
      to: { path: ['^api/src/modules/', ABOVE_MODULES] },
    },
    ...moduleRules,
    {
      name: 'db-below-api',
      comment: 'The schema and database layer know nothing of the API, the web app or the scripts.',
      severity: 'error',
      from: { path: '^db/src/' },
      to: { path: '^(?:api|web|scripts)/' },
    },
    {
      name: 'web-through-graphql',
      comment: 'The web app reaches the API over GraphQL; of its code it imports only the kernel.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^api/', pathNot: KERNEL },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: `${__dirname}/web/tsconfig.modules.json` },
    combinedDependencies: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['__generated__', '\\.svelte-kit/', 'node_modules'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'svelte', 'default'],
      extensions: ['.ts', '.js', '.svelte'],
    },
  },
};
