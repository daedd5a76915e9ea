import type { WorkItem } from '../../shared/plan/work-items.js';
import type { WorkQueue } from '../../shared/plan/work-queue.js';

/** A work queue that keeps what the planner queued, for a test to hand to the workers itself. */
export class CollectingQueue implements WorkQueue {
  items: WorkItem[] = [];
  async enqueue(items: readonly WorkItem[]): Promise<void> {
    this.items.push(...items);
  }
  take(): WorkItem[] {
    const taken = this.items;
    this.items = [];
    return taken;
  }
}
