/**
 * POST /imports/roster: a roster file (.xlsx or .csv) as the raw request
 * body, too large for a GraphQL request; answers with the previewed import's
 * id. The rest of the import — preview rows, apply, progress — is GraphQL.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { buildContext } from '../../plugins/graphql.ts';
import { isCrossSite } from '../../plugins/security.ts';
import { MAX_IMPORT_BYTES, previewRosterImport, stopImportWork } from './imports.ts';

export const ROSTER_UPLOAD_PATH = '/imports/roster';

async function rosterImportRoutes(app: FastifyInstance, options: { config: Config }) {
  app.addHook('preClose', () => stopImportWork(app));
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
      const header = request.headers['x-file-name'];
      const fileName = typeof header === 'string' ? decodeURIComponent(header) : 'roster';
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
