import { describe, expect, it } from 'vitest';
import { periodRange } from '../../../shared/domain/period.js';
import { ComtradeClient } from '../../../shared/sources/comtrade/comtrade-client.js';
import { ComtradeSource } from '../../../shared/sources/comtrade/comtrade-source.js';
import {
  InvalidRequestError,
  MAX_URL_LENGTH,
  callParams,
  planCalls,
  splitCall,
} from '../../../shared/sources/comtrade/request-plan.js';
import type { SourceRequest } from '../../../shared/sources/trade-source.js';

const client = new ComtradeClient({ baseUrl: 'https://comtradeapi.un.org', apiKey: 'k' });
const urlOf = (call: Parameters<typeof callParams>[0]) => client.dataUrl(callParams(call, client.recordCap));
const request: SourceRequest = {
  reporter: 'CHN',
  partners: ['KAZ', 'KGZ', 'UZB', 'TJK', 'TKM', 'AZE', 'GEO', 'ARM', 'TUR'],
  flows: ['export', 'import'],
  periods: periodRange('2021-01', '2024-02'),
  commodity: 'TOTAL',
};

describe('Comtrade request planning', () => {
  it('asks for at most 12 months per call, all partners and both flows together', () => {
    const calls = planCalls(request, urlOf, 100_000);
    expect(calls.map((c) => c.periods.length)).toEqual([12, 12, 12, 2]);
    expect(calls[0]).toMatchObject({ reporterCode: 156, flowCodes: ['X', 'M'], cmdCode: 'TOTAL' });
    expect(calls[0]!.partnerCodes).toEqual([398, 417, 860, 762, 795, 31, 268, 51, 792]);
  });

  it('sends the documented parameters, periods as YYYYMM', () => {
    const params = callParams(planCalls(request, urlOf, 100_000)[3]!, 100_000);
    expect(params).toMatchObject({ reporterCode: '156', period: '202401,202402', flowCode: 'X,M', customsCode: 'C00', motCode: '0', partner2Code: '0' });
  });

  it('halves a call whose URL would pass 4096 characters until every URL fits, losing no partner or month', () => {
    const longBase = new ComtradeClient({ baseUrl: `https://example.org/${'x'.repeat(3800)}`, apiKey: 'k' });
    const longUrlOf = (call: Parameters<typeof callParams>[0]) => longBase.dataUrl(callParams(call, 100_000));
    const calls = planCalls(request, longUrlOf, 100_000);
    expect(calls.length).toBeGreaterThan(4);
    for (const call of calls) expect(longUrlOf(call).length).toBeLessThanOrEqual(MAX_URL_LENGTH);
    const asked = calls.flatMap((c) => c.partnerCodes.flatMap((p) => c.periods.map((m) => `${p}/${m}`)));
    expect(new Set(asked).size).toBe(9 * 38);
    expect(asked).toHaveLength(9 * 38);
  });

  it('refuses a base URL so long that one partner and one month cannot fit', () => {
    const absurd = new ComtradeClient({ baseUrl: `https://example.org/${'x'.repeat(4100)}`, apiKey: 'k' });
    expect(() => planCalls(request, (call) => absurd.dataUrl(callParams(call, 100_000)), 100_000)).toThrow(/still \d+ characters long/);
  });

  it('halves by partners first, then by months, then by flows, then stops', () => {
    const call = planCalls({ ...request, partners: ['KAZ', 'AZE'], periods: ['2024-01', '2024-02'] }, urlOf, 100_000)[0]!;
    const [a, b] = splitCall(call) as [typeof call, typeof call];
    expect([a.partnerCodes, b.partnerCodes]).toEqual([[398], [31]]);
    const [c, d] = splitCall(a) as [typeof call, typeof call];
    expect([c.periods, d.periods]).toEqual([['2024-01'], ['2024-02']]);
    const [e, f] = splitCall(c) as [typeof call, typeof call];
    expect([e.flowCodes, f.flowCodes]).toEqual([['X'], ['M']]);
    expect(splitCall(e)).toEqual([]);
  });

  it('checks parameters before sending, because Comtrade answers bad ones with an empty result', () => {
    expect(() => planCalls({ ...request, partners: ['XYZ'] }, urlOf, 100_000)).toThrow(InvalidRequestError);
    expect(() => planCalls({ ...request, partners: ['XYZ'] }, urlOf, 100_000)).toThrow(/unknown partner "XYZ"/);
    expect(() => planCalls({ ...request, reporter: 'CHINA' }, urlOf, 100_000)).toThrow(/unknown reporter "CHINA"/);
    expect(() => planCalls({ ...request, periods: ['2023-13'] }, urlOf, 100_000)).toThrow(/period "2023-13"/);
    expect(() => planCalls({ ...request, commodity: '27-09' }, urlOf, 100_000)).toThrow(/commodity "27-09"/);
  });

  it('plans whole HS levels and lists of codes so that no answer can pass the records cap', () => {
    const rowsOf = (call: ReturnType<typeof planCalls>[number]) => call.partnerCodes.length * call.flowCodes.length * call.periods.length;
    // AG2: 97 chapters × 9 partners × 2 flows × 12 months = 20,952 rows: one call per 12 months, as for TOTAL.
    const ag2 = planCalls({ ...request, commodity: 'AG2' }, urlOf, 100_000);
    expect(ag2).toHaveLength(4);
    expect(ag2.every((call) => call.cmdCode === 'AG2' && rowsOf(call) * 97 <= 100_000)).toBe(true);
    // AG6: up to 5,609 subheadings a partner, flow and month: at most 17 of those per call.
    const ag6 = planCalls({ ...request, commodity: 'AG6' }, urlOf, 100_000);
    expect(ag6.every((call) => rowsOf(call) * 5_609 <= 100_000)).toBe(true);
    const months = (calls: typeof ag6) => calls.reduce((sum, call) => sum + rowsOf(call), 0);
    expect(months(ag6)).toBe(9 * 2 * 38);
    // The keyless preview answers 500 rows: AG2 goes a partner, a flow and up to 5 months at a time.
    const preview = planCalls({ ...request, commodity: 'AG2' }, urlOf, 500);
    expect(preview.every((call) => rowsOf(call) * 97 <= 500)).toBe(true);
    const list = planCalls({ ...request, commodity: '854231,854232,854233,854239' }, urlOf, 100_000);
    expect(callParams(list[0]!, 100_000).cmdCode).toBe('854231,854232,854233,854239');
  });

  it('takes Comtrade partner areas beyond its reporters: the world, areas n.e.s., territories', () => {
    const [call] = planCalls({ ...request, partners: ['W00', '490', '899', 'ESH'], periods: ['2024-01'] }, urlOf, 100_000);
    expect(callParams(call!, 100_000).partnerCode).toBe('0,490,899,732');
  });

  it('uses the keyless preview endpoint when no key is configured', () => {
    const keyless = new ComtradeSource(new ComtradeClient({ baseUrl: 'https://comtradeapi.un.org' }));
    const plan = keyless.plan({ ...request, periods: ['2024-01'] });
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatch(/^GET https:\/\/comtradeapi\.un\.org\/public\/v1\/preview\/C\/M\/HS\?reporterCode=156&/);
    expect(plan[0]).toContain('maxRecords=500');
  });
});
