/**
 * POST /imports/roster: a roster file (.xlsx or .csv) as the raw request
 * body, too large for a GraphQL request; answers with the previewed import's
 * id. The rest of the import — preview rows, apply, progress — is GraphQL.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { buildContext } from './graphql.ts';
import { isCrossSite } from './security.ts';
import { AppError } from '../shared/errors.ts';
import {
  MAX_IMPORT_BYTES,
  previewRosterImport,
  stopImportWork,
  undoInterruptedApplies,
} from '../modules/members/imports.ts';

export const ROSTER_UPLOAD_PATH = '/imports/roster';

/** X-File-Name: the file's name percent-encoded (UTF-8), as `encodeURIComponent` writes it. */
function fileNameOf(header: string | string[] | undefined): string {
  if (typeof header !== 'string') return 'roster';
  try {
    return decodeURIComponent(header);
  } catch {
    throw new AppError('VALIDATION', 'The X-File-Name header is not a percent-encoded name.', {
      fields: { fileName: 'MALFORMED' },
    });
  }
}

async function rosterImportRoutes(app: FastifyInstance, options: { config: Config }) {
  app.addHook('preClose', () => stopImportWork(app));
  // PGlite applies in committed batches: what one cut short by the process's end left is undone.
  if (app.database.driver === 'pglite') app.addHook('onReady', () => undoInterruptedApplies(app));
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify takes an async plugin or a callback
  await app.register(async (routes) => {
    routes.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES },
      (_request, body, done) => {
        done(null, body);
      },
    );
    routes.post(ROSTER_UPLOAD_PATH, { bodyLimit: MAX_IMPORT_BYTES }, async (request, reply) => {
      // The session is a cookie: same rules as /graphql. application/octet-stream already forces a CORS preflight.
      if (isCrossSite(request) || !Buffer.isBuffer(request.body)) {
        return reply.code(403).send({ errors: [{ message: 'Request refused.', extensions: { code: 'FORBIDDEN' } }] });
      }
      const fileName = fileNameOf(request.headers['x-file-name']);
      // Anything thrown (a coded error, the database) reaches the app's error boundary (plugins/errors.ts).
      const ctx = await buildContext(app, options.config, request, reply);
      const created = await previewRosterImport(ctx, { name: fileName, bytes: request.body });
      return { data: { id: created.id } };
    });
  });
}

export default fp(rosterImportRoutes, {
  name: 'roster-import-routes',
  dependencies: ['error-boundary', 'database', 'session', 'security'],
});
