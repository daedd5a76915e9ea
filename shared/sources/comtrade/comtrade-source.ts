import type { FetchOptions, SourceRequest, SourceResult, TradeSource } from '../trade-source.js';
import type { ComtradeClient } from './comtrade-client.js';
import { convertRecords } from './comtrade-records.js';
import { callParams, planCalls, splitCall, type PlannedCall } from './request-plan.js';

export class TruncatedResponseError extends Error {
  constructor(url: string, cap: number) {
    super(`${url} returned the records cap (${cap}) for one partner and one month: the answer may be cut`);
    this.name = 'TruncatedResponseError';
  }
}

/** UN Comtrade v1, monthly goods data, as a TradeSource. */
export class ComtradeSource implements TradeSource {
  readonly name = 'comtrade' as const;

  constructor(private readonly client: ComtradeClient) {}

  private urlOf = (call: PlannedCall) => this.client.dataUrl(callParams(call, this.client.recordCap));

  plan(request: SourceRequest): string[] {
    return planCalls(request, this.urlOf).map((call) => `GET ${this.urlOf(call)}`);
  }

  async *fetch(request: SourceRequest, options: FetchOptions = {}): AsyncIterable<SourceResult> {
    const queue = planCalls(request, this.urlOf);
    while (queue.length > 0) {
      const call = queue.shift()!;
      const url = this.urlOf(call);
      if (options.skipCall?.(url)) continue;
      const response = await this.client.getData(callParams(call, this.client.recordCap));
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
