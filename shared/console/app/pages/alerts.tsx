import { allItems } from '../api.js';
import { SeriesChart } from '../chart.js';
import { formatChange, when } from '../format.js';
import type { AlertDetail, AlertItem, ChartData } from '../types.js';
import { Field, formValues, navigate, type PageProps, SeverityBadge, Show, useLoad } from '../ui.js';

const FILTERS = ['severity', 'reporter', 'partner', 'commodity', 'direction', 'since'] as const;

/** A year back by default: the API lists alerts oldest first from `since`, and the page shows them newest first. */
function defaultSince(): string {
  return new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
}

export function AlertsPage(props: PageProps) {
  return props.rest ? <AlertPage {...props} dedupKey={props.rest} /> : <AlertList {...props} />;
}

function AlertList({ api, query }: PageProps) {
  const filters = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? undefined]));
  const since = filters.since ?? defaultSince();
  const loaded = useLoad(async () => (await allItems<AlertItem>(api, '/alerts', { ...filters, since })).reverse(), [query.toString()]);
  return (
    <>
      <h1>Alerts</h1>
      <form
        class="filters"
        aria-label="Filter alerts"
        onSubmit={(event) => {
          event.preventDefault();
          navigate('alerts', formValues(event.currentTarget));
        }}
      >
        <Field label="Severity at least">
          <select name="severity" value={filters.severity ?? ''}>
            <option value="">any</option>
            <option value="info">info</option>
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </select>
        </Field>
        <Field label="Reporter">
          <input name="reporter" value={filters.reporter ?? ''} placeholder="China or CHN" />
        </Field>
        <Field label="Partner">
          <input name="partner" value={filters.partner ?? ''} placeholder="Azerbaijan or AZE" />
        </Field>
        <Field label="Commodity">
          <input name="commodity" value={filters.commodity ?? ''} placeholder="TOTAL or 8542" />
        </Field>
        <Field label="Direction">
          <select name="direction" value={filters.direction ?? ''}>
            <option value="">both</option>
            <option value="up">jumps</option>
            <option value="down">drops</option>
          </select>
        </Field>
        <Field label="Since">
          <input name="since" type="date" value={since} />
        </Field>
        <button type="submit">Show</button>
      </form>
      <Show loaded={loaded} what="alerts">
        {(alerts) =>
          alerts.length === 0 ? (
            <p class="empty">No alert matches since {since}.</p>
          ) : (
            <ol class="alerts" aria-label="Alerts, newest first">
              {alerts.map((alert) => (
                <li key={alert.dedupKey}>
                  <a href={`#/alerts/${encodeURIComponent(alert.dedupKey)}`}>{alert.title}</a>
                  <div class="meta">
                    <SeverityBadge severity={alert.severity} /> {alert.notice === 'update' ? 'updated ' : ''}
                    {when(alert.notice === 'update' ? alert.updatedAt : alert.createdAt)} · {alert.anomaly.series.source} · {alert.status.toLowerCase()}
                    {alert.anomaly.eventBuckets && alert.anomaly.eventBuckets > 1 ? ` · event of ${alert.anomaly.eventBuckets} buckets, ${alert.anomaly.phase}` : ''}
                  </div>
                </li>
              ))}
            </ol>
          )
        }
      </Show>
    </>
  );
}

function AlertPage({ api, dedupKey }: PageProps & { dedupKey: string }) {
  const loaded = useLoad(async () => {
    const alert = await api.get<AlertDetail>(`/alerts/${encodeURIComponent(dedupKey)}`);
    // An alert whose series draws no chart (no longer stored, say) still has its explanation to read.
    const chart = await api.get<ChartData>(`/series/${encodeURIComponent(alert.seriesId)}/chart`, { format: 'json' }).catch(() => undefined);
    return { alert, chart };
  }, [dedupKey]);
  return (
    <Show loaded={loaded} what="the alert">
      {({ alert, chart }) => (
        <article class="alert">
          <p>
            <a href="#/alerts">← All alerts</a>
          </p>
          <h1>{alert.title}</h1>
          <p>
            <SeverityBadge severity={alert.severity} /> {alert.anomaly.direction === 'up' ? 'jump' : 'drop'} · {alert.status.toLowerCase()}
            {alert.silence ? ` (silenced until ${alert.silence.until}: ${alert.silence.reason})` : ''} ·{' '}
            <a href={`#/series/${encodeURIComponent(alert.seriesId)}`}>open the series</a>
          </p>
          {chart ? <SeriesChart data={chart} highlight={alert.bucketKey} /> : <p class="note">No chart is drawn for this series; its months are on the series page.</p>}
          <section aria-labelledby="explanation">
            <h2 id="explanation">Explanation</h2>
            <pre class="explanation">{alert.text}</pre>
          </section>
          <section aria-labelledby="thread">
            <h2 id="thread">Thread</h2>
            <p>
              One event since {alert.thread.eventStart}, {alert.thread.eventBuckets} bucket{alert.thread.eventBuckets === 1 ? '' : 's'} so far, now {alert.thread.phase}.
            </p>
            <ol class="thread">
              {alert.thread.entries.map((entry) => (
                <li key={`${entry.kind}-${entry.at}`}>
                  <strong>{entry.kind === 'alert' ? 'Alerted' : entry.kind === 'update' ? 'Update sent' : 'Revised quietly'}</strong> {when(entry.at)}
                  {entry.severity ? ` · ${entry.severity}` : ''}
                  {entry.change !== undefined ? ` · ${formatChange(entry.change)} y/y` : ''}
                  {entry.period ? ` · through ${entry.period}` : ''}
                  {entry.phase ? ` · ${entry.phase}` : ''}
                </li>
              ))}
            </ol>
          </section>
        </article>
      )}
    </Show>
  );
}
