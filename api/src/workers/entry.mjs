// The worker threads' entry point, in plain JavaScript so that Node can start it however the API
// runs: under `tsx` (pnpm start, pnpm serve), in vitest, or anything else. Workers are started with
// no inherited exec arguments (plugins/workers.ts), so none has a TypeScript loader yet: this
// registers tsx's, for this thread only, then loads the tasks from their TypeScript source.
import { register } from 'tsx/esm/api';

register();
const { runTask } = await import('./tasks.ts');

export default runTask;
