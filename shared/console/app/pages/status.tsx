import { when } from '../format.js';
import { type PageProps, Show, useLoad, DataTable } from '../ui.js';

interface Status {
  readonly at: string;
  readonly watchlist: { readonly from: 'table' | 'deploy' };
  readonly nextRuns: { readonly daily: string; readonly monthlyRefresh: string; readonly timeZone: string };
  readonly upstreams: readonly {
    readonly source: string;
    readonly budget: { readonly day: string; readonly limit: number; readonly used: number; readonly planned: number };
    readonly backfill: { readonly monthsWanted: number; readonly monthsDone: number; readonly callsLeft: number; readonly complete: boolean; readonly etaDays?: number; readonly callsPerDay: number };
  }[];
  readonly quarantine: { readonly records: number; readonly runs: readonly { readonly runKey: string; readonly records: number }[]; readonly runsLookedAt: number };
  readonly entries: readonly {
    readonly source: string;
    readonly reporter: string;
    readonly commodity: string;
    readonly partners: number;
    readonly series: number;
    readonly monthsStored: number;
    readonly firstPeriod: string | null;
    readonly lastPeriod: string | null;
    readonly lastRelease: { readonly releasedOn: string; readonly throughPeriod: string } | null;
    readonly backfill: { readonly monthsWanted: number; readonly monthsDone: number; readonly complete: boolean };
  }[];
}

const percent = (done: number, wanted: number) => (wanted === 0 ? '100%' : `${Math.floor((100 * done) / wanted)}%`);

export function StatusPage({ api }: PageProps) {
  const loaded = useLoad(() => api.get<Status>('/status'), []);
  return (
    <>
      <h1>Status</h1>
      <Show loaded={loaded} what="the status">
        {(status) => (
          <>
            <p>
              As of {when(status.at)}. Next daily run {when(status.nextRuns.daily)}, next monthly refresh {when(status.nextRuns.monthlyRefresh)}.
            </p>
            <h2>Sources</h2>
            <DataTable label="Sources" caption="Sources: today's call budget and the first backfill" columns={['Source', 'Calls today', 'Backfill', 'Days left']}>
              {status.upstreams.map((u) => (
                <tr key={u.source}>
                  <th scope="row">{u.source}</th>
                  <td>
                    {u.budget.used} used, {u.budget.planned} planned of {u.budget.limit}
                  </td>
                  <td>
                    {u.backfill.complete ? 'complete' : `${percent(u.backfill.monthsDone, u.backfill.monthsWanted)} (${u.backfill.callsLeft} calls left)`}
                  </td>
                  <td>{u.backfill.complete ? '–' : (u.backfill.etaDays ?? 'no budget left')}</td>
                </tr>
              ))}
            </DataTable>
            <h2>Watchlist entries</h2>
            <p class="watchlist-from">
              {status.watchlist.from === 'table'
                ? 'The watchlist in the table, which the scheduled runs read (change it on the Watchlist page).'
                : "The deploy's watchlist: the table holds none yet, and the first scheduled run seeds it from this one."}
            </p>
            <DataTable label="Watchlist entries" caption="Per entry: what is stored and the last release" columns={['Entry', 'Series', 'Months', 'Span', 'Last release', 'Backfill']}>
              {status.entries.map((e, i) => (
                // Two entries may share reporter and commodity (other partners): the position tells them apart.
                <tr key={`${i}.${e.source}.${e.reporter}.${e.commodity}`}>
                  <th scope="row">
                    {e.reporter}, {e.partners} partners, {e.commodity} ({e.source})
                  </th>
                  <td>{e.series}</td>
                  <td>{e.monthsStored}</td>
                  <td>{e.firstPeriod ? `${e.firstPeriod} to ${e.lastPeriod}` : '–'}</td>
                  <td>{e.lastRelease ? `${e.lastRelease.releasedOn} (through ${e.lastRelease.throughPeriod})` : 'none seen'}</td>
                  <td>{e.backfill.complete ? 'complete' : percent(e.backfill.monthsDone, e.backfill.monthsWanted)}</td>
                </tr>
              ))}
            </DataTable>
            <h2>Quarantined records</h2>
            <p>
              {status.quarantine.records} record{status.quarantine.records === 1 ? '' : 's'} quarantined in the last {status.quarantine.runsLookedAt} runs
              {status.quarantine.runs.length > 0 ? `: ${status.quarantine.runs.map((r) => `${r.runKey} (${r.records})`).join(', ')}` : '.'}
            </p>
          </>
        )}
      </Show>
    </>
  );
}
