import { UpstreamRequestError } from '../http/resilient-http.js';
import { failedCall, type FetchOptions, type SourceRequest, type SourceResult, type TradeSource } from '../trade-source.js';
import type { ComtradeClient } from './comtrade-client.js';
import { convertRecords } from './comtrade-records.js';
import { callParams, m49, MAX_PERIODS_PER_CALL, planCalls, splitCall, type PlannedCall } from './request-plan.js';
import { availabilityRowSchema } from './comtrade-schema.js';
import type { Period } from '../../domain/period.js';

export class TruncatedResponseError extends Error {
  constructor(url: string, cap: number) {
    super(`${url} returned the records cap (${cap}) for one partner, flow and month: the answer may be cut`);
    this.name = 'TruncatedResponseError';
  }
}

/** UN Comtrade v1, monthly goods data, as a TradeSource. */
export class ComtradeSource implements TradeSource {
  readonly name = 'comtrade' as const;

  constructor(private readonly client: ComtradeClient) {}

  private urlOf = (call: PlannedCall) => this.client.dataUrl(callParams(call, this.client.recordCap));

  async releases({ reporter, periods }: SourceRequest): Promise<Map<Period, string>> {
    const reporterCode = m49(reporter, 'reporter');
    const released = new Map<Period, string>();
    for (let i = 0; i < periods.length; i += MAX_PERIODS_PER_CALL) {
      const chunk = periods.slice(i, i + MAX_PERIODS_PER_CALL);
      const response = await this.client.getAvailability({ reporterCode: String(reporterCode), period: chunk.map((p) => p.replace('-', '')).join(',') });
      for (const raw of response.data) {
        const row = availabilityRowSchema.safeParse(raw);
        if (!row.success) continue; // an unreadable row only means that month is fetched anyway
        released.set(`${row.data.period.slice(0, 4)}-${row.data.period.slice(4)}`, row.data.lastReleased.slice(0, 10));
      }
    }
    return released;
  }

  plan(request: SourceRequest): string[] {
    return planCalls(request, this.urlOf, this.client.recordCap).map((call) => `GET ${this.urlOf(call)}`);
  }

  async *fetch(request: SourceRequest, options: FetchOptions = {}): AsyncIterable<SourceResult> {
    const queue = planCalls(request, this.urlOf, this.client.recordCap);
    while (queue.length > 0) {
      const call = queue.shift()!;
      const url = this.urlOf(call);
      if (options.skipCall?.(url)) continue;
      let response: Awaited<ReturnType<ComtradeClient['getData']>>;
      try {
        response = await this.client.getData(callParams(call, this.client.recordCap));
      } catch (error) {
        // A call that failed every attempt costs that call only; a refused key or budget ends the run.
        if (!(error instanceof UpstreamRequestError)) throw error;
        yield failedCall(url, error);
        continue;
      }
      // An answer that fills the cap was probably cut: ask again in halves rather than lose rows.
      if (response.data.length >= this.client.recordCap) {
        const halves = splitCall(call);
        if (halves.length === 0) throw new TruncatedResponseError(url, this.client.recordCap);
        queue.unshift(...halves);
        continue;
      }
      const path = new URL(url);
      yield { call: url, ...convertRecords(response.data, `GET ${path.pathname}${path.search}`) };
    }
  }
}
