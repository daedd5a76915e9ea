import { loadPlanConfig } from '../../shared/config/functions.js';
import { observability } from '../../shared/observability.js';
import { planScheduledRun, scheduledRunSchema } from '../../shared/plan/plan-run.js';
import { createWorkQueue } from '../../shared/wiring.js';

const config = loadPlanConfig();
const { logger, count, observe } = observability('plan');
const queue = createWorkQueue(config);

/** A scheduled run (daily or the monthly refresh) split into work items on the work queue. */
export const handler = observe(async (event: unknown) => {
  const run = scheduledRunSchema.parse(event);
  const planned = await planScheduledRun(run, config.watchlist, queue);
  count('WorkItemsQueued', planned.workItems);
  logger.info('Run planned', { ...run, ...planned });
  return planned;
});
