import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { sendDueReminders } from '../modules/activities/reminders.ts';
import { deliverDueNotifications } from '../modules/notifications/outbox.ts';
import { runSpotCheckClock } from '../modules/stations/spot-checks.ts';

/**
 * Background work of every API instance: the reminder scheduler, the
 * notification outbox and the spot checks' clock (unanswered, positions erased). Each run claims its rows with SKIP LOCKED, so any
 * number of instances can run it; the work is in the database, so a restart
 * loses none of it.
 */
function jobsPlugin(app: FastifyInstance, options: { config: Config }, done: () => void) {
  const seconds = options.config.jobsIntervalSeconds;
  if (seconds === 0) {
    done();
    return;
  }
  let running: Promise<void> | undefined;
  const run = async () => {
    try {
      await sendDueReminders(app.database.db, { now: app.clock.now() });
      await deliverDueNotifications(app.database.db, app.delivery, { log: app.log, now: app.clock.now() });
      await runSpotCheckClock(app.database.db, {
        now: app.clock.now(),
        retentionDays: options.config.spotCheckPositionRetentionDays,
        publish: (event) => {
          app.liveEvents.publish(event);
        },
      });
    } catch (error) {
      app.log.error({ err: error }, 'background work failed; trying again next time');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', (ready) => {
    timer = setInterval(() => {
      // Never two runs at once in one process.
      running ??= run().finally(() => {
        running = undefined;
      });
    }, seconds * 1000);
    timer.unref();
    ready();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
  done();
}

export default fp(jobsPlugin, { name: 'jobs', dependencies: ['database', 'delivery', 'pubsub'] });
