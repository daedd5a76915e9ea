import { loadPlanConfig } from '../../shared/config/functions.js';
import { observability } from '../../shared/observability.js';
import { planScheduledRun, scheduledRunSchema } from '../../shared/plan/plan-run.js';
import { createPlanner } from '../../shared/wiring.js';

const config = loadPlanConfig();
const { logger, count, observe } = observability('plan');
const planner = createPlanner(config);

/** A scheduled run (daily or the monthly refresh) split into work items, with what the day's budget leaves for the backfill. */
export const handler = observe(async (event: unknown) => {
  const run = scheduledRunSchema.parse(event);
  const planned = await planScheduledRun(run, planner);
  count('WorkItemsQueued', planned.workItems);
  const { progress, ...queued } = planned;
  logger.info('Run planned', { ...run, ...queued, backfill: { ...progress, etaDays: progress.etaDays ?? 'never: the daily budget leaves the backfill no calls' } });
  return planned;
});
