import { allItems, type Api } from '../api.js';
import { SeriesChart } from '../chart.js';
import type { ConsoleConfig } from '../config.js';
import { formatChange, money } from '../format.js';
import type { ChartData, MirrorAnswer, MirrorSides, SeriesItem, SeriesViewName, ViewAnswer } from '../types.js';
import { Field, formValues, navigate, type PageProps, Show, useLoad, DataTable } from '../ui.js';

const SEARCH = ['reporter', 'partner', 'flow', 'commodity', 'source'] as const;
const VIEWS: Record<SeriesViewName, string> = { monthly: 'Monthly', ytd: 'Year to date', yoy: 'Change on a year earlier', annual: 'Annual' };
const FLOW_WORDS: Record<string, string> = { export: 'exports to', import: 'imports from', trade: 'trade with' };

export function SeriesPage(props: PageProps) {
  return props.rest ? <SeriesView {...props} id={props.rest} /> : <SeriesSearch {...props} />;
}

interface Found {
  readonly id: string;
  readonly title: string;
  readonly kind: 'stored' | 'turnover' | 'group';
}

function groupMatching(config: ConsoleConfig, text: string | undefined): string | undefined {
  if (!text) return undefined;
  const typed = text.trim().toUpperCase();
  return Object.entries(config.groups).find(([code, group]) => code === typed || group.name.toUpperCase() === typed)?.[0];
}

/**
 * Stored series the filters match, and the series derived from them on read: the trade turnover
 * of each pair stored with both flows, and each configured group of partners for the reporter
 * (a partner typed as a group's name or code asks for that group only).
 */
async function findSeries(api: Api, config: ConsoleConfig, filters: Record<string, string | undefined>): Promise<Found[]> {
  const group = groupMatching(config, filters.partner);
  const flow = filters.flow === 'trade' ? undefined : filters.flow;
  const stored = await allItems<SeriesItem>(api, '/series', { ...filters, flow, partner: group ? undefined : filters.partner });
  const wanted = stored.filter((s) => !filters.commodity || s.commodity === filters.commodity.toUpperCase());
  const found: Found[] = group ? [] : wanted.filter(() => filters.flow !== 'trade').map((s) => ({ id: s.seriesId, title: s.title, kind: 'stored' as const }));
  const pairs = new Map<string, { flows: Set<string>; item: SeriesItem }>();
  for (const s of wanted) {
    const pair = [s.source, s.reporter, s.partner, s.commodity, s.currency].join('.');
    const entry = pairs.get(pair) ?? { flows: new Set<string>(), item: s };
    entry.flows.add(s.flow);
    pairs.set(pair, entry);
  }
  if (!group && (!filters.flow || filters.flow === 'trade')) {
    for (const { flows, item } of pairs.values()) {
      if (flows.has('export') && flows.has('import')) {
        found.push({ id: [item.source, item.reporter, item.partner, 'trade', item.commodity, item.currency].join('.'), title: item.title.replace(FLOW_WORDS[item.flow]!, FLOW_WORDS.trade!), kind: 'turnover' });
      }
    }
  }
  const reporters = new Map(wanted.map((s) => [[s.source, s.reporter, s.commodity, s.currency].join('.'), s]));
  const groups = Object.entries(config.groups).filter(([code]) => (group ? code === group : !filters.partner));
  for (const s of reporters.values()) {
    for (const [code, { name }] of groups) {
      for (const f of filters.flow ? [filters.flow] : ['export', 'import', 'trade']) {
        const reporterName = s.title.split(' ')[0];
        found.push({ id: [s.source, s.reporter, code, f, s.commodity, s.currency].join('.'), title: `${reporterName} ${FLOW_WORDS[f]} ${name} (${code})`, kind: 'group' });
      }
    }
  }
  return found;
}

function SeriesSearch({ api, config, query }: PageProps) {
  const filters = Object.fromEntries(SEARCH.map((name) => [name, query.get(name) ?? undefined]));
  const searched = SEARCH.some((name) => filters[name]);
  const loaded = useLoad(() => (searched ? findSeries(api, config, filters) : Promise.resolve(undefined)), [query.toString()]);
  return (
    <>
      <h1>Series</h1>
      <form
        class="filters"
        aria-label="Find series"
        onSubmit={(event) => {
          event.preventDefault();
          navigate('series', formValues(event.currentTarget));
        }}
      >
        <Field label="Reporter">
          <input name="reporter" value={filters.reporter ?? ''} placeholder="China or CHN" />
        </Field>
        <Field label="Partner">
          <input name="partner" value={filters.partner ?? ''} placeholder="Kazakhstan, KAZ or Central Asia" list="groups" />
        </Field>
        <datalist id="groups">
          {Object.entries(config.groups).map(([code, group]) => (
            <option key={code} value={group.name} />
          ))}
        </datalist>
        <Field label="Flow">
          <select name="flow" value={filters.flow ?? ''}>
            <option value="">any</option>
            <option value="export">exports</option>
            <option value="import">imports</option>
            <option value="trade">trade (exports + imports)</option>
          </select>
        </Field>
        <Field label="Commodity">
          <input name="commodity" value={filters.commodity ?? ''} placeholder="TOTAL or 8542" />
        </Field>
        <Field label="Source">
          <select name="source" value={filters.source ?? ''}>
            <option value="">any</option>
            <option value="comtrade">UN Comtrade</option>
            <option value="eurostat-comext">Eurostat Comext</option>
          </select>
        </Field>
        <button type="submit">Find</button>
      </form>
      <Show loaded={loaded} what="series">
        {(found) =>
          found === undefined ? (
            <p>Name a reporter, a partner (a country, its code, or a group such as Central Asia), a flow, a commodity or a source.</p>
          ) : found.length === 0 ? (
            <p class="empty">No series matches.</p>
          ) : (
            <ul class="series-list" aria-label="Series found">
              {found.map((s) => (
                <li key={s.id}>
                  <a href={`#/series/${encodeURIComponent(s.id)}`}>{s.title}</a> <code>{s.id}</code>
                  {s.kind === 'stored' ? null : <span class="tag">{s.kind === 'group' ? 'group, summed on read' : 'turnover, derived'}</span>}
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </>
  );
}

const ratioText = (ratio: number | null) => (ratio === null ? '–' : `${ratio.toFixed(2)}×`);

/** A mirror's rows: both sides, the partner's at the reporter's valuation, the gap and the ratio; y/y, each side's change. */
function mirrorRows(answer: MirrorAnswer, currency: string): { head: string[]; rows: string[][] } {
  const m = (v: number | null | undefined) => (v === null || v === undefined ? '–' : money(v, currency));
  const sides = [`Reporter (${answer.reporterValuation})`, `Partner (${answer.partnerValuation})`, `Partner at ${answer.reporterValuation}`, 'Gap', 'Ratio', 'State'];
  const cells = (row: MirrorSides) => [m(row.reporterValue), m(row.partnerValue), m(row.partnerAtReporterBasis), m(row.gap), ratioText(row.ratio), row.state];
  switch (answer.mirrorView) {
    case 'annual':
      return { head: ['Year', ...sides], rows: answer.items.map((row) => [String(row.year), ...cells(row)]) };
    case 'yoy':
      return {
        head: ['Period', `Reporter (${answer.reporterValuation})`, 'Change', `Partner at ${answer.reporterValuation}`, 'Change', 'Ratio', 'A year earlier'],
        rows: answer.items.map((c) => [
          c.label,
          m(c.reporter?.value),
          c.reporter ? formatChange(c.reporter.change) : '–',
          m(c.partnerAtReporterBasis?.value),
          c.partnerAtReporterBasis ? formatChange(c.partnerAtReporterBasis.change) : '–',
          ratioText(c.ratio),
          ratioText(c.previousRatio),
        ]),
      };
    default:
      return { head: ['Month', ...sides], rows: answer.items.map((row) => [row.covers, ...cells(row)]) };
  }
}

function viewRows(answer: ViewAnswer, currency: string): { head: string[]; rows: string[][] } {
  switch (answer.view) {
    case 'mirror':
      return mirrorRows(answer, currency);
    case 'annual':
      return { head: ['Year', 'Total', 'Change'], rows: answer.items.map((t) => [String(t.year), money(t.value, currency), t.change === undefined ? '–' : formatChange(t.change)]) };
    case 'yoy':
      return { head: ['Period', 'Value', 'A year earlier', 'Change'], rows: answer.items.map((c) => [c.label, money(c.value, currency), money(c.previous, currency), formatChange(c.change)]) };
    default:
      return { head: ['Month', answer.view === 'ytd' ? 'Year to date' : 'Value', 'State', 'Revisions'], rows: answer.items.map((o) => [o.period, money(o.value, currency), o.state, String(o.revisions?.length ?? 0)]) };
  }
}

function csvOf(head: string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [head, ...rows].map((row) => row.map(cell).join(',')).join('\n');
}

/** The view's items as fields (numbers unformatted), for the CSV download. */
function rawRows(answer: ViewAnswer): { head: string[]; rows: unknown[][] } {
  switch (answer.view) {
    case 'mirror': {
      // Each item's fields as they come, a nested side flattened (reporter.change as reporterChange).
      const flat = answer.items.map((item) =>
        Object.fromEntries(Object.entries(item).flatMap(([k, v]) => (v !== null && typeof v === 'object' ? Object.entries(v).map(([k2, v2]) => [`${k}${k2[0]!.toUpperCase()}${k2.slice(1)}`, v2]) : [[k, v]]))),
      );
      const head = [...new Set(flat.flatMap((row) => Object.keys(row)))];
      return { head, rows: flat.map((row) => head.map((h) => row[h])) };
    }
    case 'annual':
      return { head: ['year', 'value', 'change'], rows: answer.items.map((t) => [t.year, t.value, t.change]) };
    case 'yoy':
      return { head: ['period', 'label', 'value', 'previous', 'change'], rows: answer.items.map((c) => [c.period, c.label, c.value, c.previous, c.change]) };
    default:
      return { head: ['period', 'value', 'state', 'revisions'], rows: answer.items.map((o) => [o.period, o.value, o.state, o.revisions?.length ?? 0]) };
  }
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function SeriesView({ api, id, query }: PageProps & { id: string }) {
  const view = (query.get('view') ?? 'monthly') as SeriesViewName;
  const asOf = query.get('asOf') ?? undefined;
  const from = query.get('from') ?? undefined;
  const to = query.get('to') ?? undefined;
  const loaded = useLoad(async () => {
    const [answer, chart] = await Promise.all([
      api.get<ViewAnswer & { seriesId: string; asOf?: string }>(`/series/${encodeURIComponent(id)}/observations`, { view, asOf, from, to }),
      api.get<ChartData>(`/series/${encodeURIComponent(id)}/chart`, { format: 'json', from, to }),
    ]);
    return { answer, chart };
  }, [id, query.toString()]);
  const currency = id.replace(/~mirror$/, '').split('.')[5] ?? 'USD';
  const fileName = `${id}${asOf ? `.as-of-${asOf}` : ''}.${view}`;
  return (
    <>
      <p>
        <a href="#/series">← Find series</a>
      </p>
      <Show loaded={loaded} what="the series">
        {({ answer, chart }) => {
          const table = viewRows(answer, currency);
          return (
            <>
              <h1>{chart.title}</h1>
              <p>
                <code>{id}</code>
                {asOf ? ` · as known at ${asOf}` : ''}
              </p>
              <form
                class="filters"
                aria-label="View"
                onSubmit={(event) => {
                  event.preventDefault();
                  navigate(`series/${encodeURIComponent(id)}`, formValues(event.currentTarget));
                }}
              >
                <Field label="View">
                  <select name="view" value={view}>
                    {Object.entries(VIEWS).map(([name, label]) => (
                      <option key={name} value={name}>
                        {label}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label="From (month)">
                  <input name="from" type="month" value={from ?? ''} />
                </Field>
                <Field label="To (month)">
                  <input name="to" type="month" value={to ?? ''} />
                </Field>
                <Field label="As of (a past vintage)">
                  <input name="asOf" type="date" value={asOf ?? ''} />
                </Field>
                <button type="submit">Show</button>
              </form>
              <SeriesChart data={chart} />
              <p class="downloads">
                <button type="button" onClick={() => download(`${fileName}.json`, 'application/json', JSON.stringify(answer, null, 2))}>
                  Download JSON
                </button>{' '}
                <button type="button" onClick={() => download(`${fileName}.csv`, 'text/csv', csvOf(rawRows(answer).head, rawRows(answer).rows))}>
                  Download CSV
                </button>
              </p>
              <DataTable label="Values" caption={`${VIEWS[view]}${asOf ? `, as of ${asOf}` : ''}`} columns={table.head}>
                {table.rows.map((row) => (
                  <tr key={row[0]}>
                    {row.map((cell, i) => (i === 0 ? <th scope="row">{cell}</th> : <td>{cell}</td>))}
                  </tr>
                ))}
              </DataTable>
            </>
          );
        }}
      </Show>
    </>
  );
}
