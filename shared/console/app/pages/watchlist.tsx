import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { commaList, when } from '../format.js';
import type { NewWatchEntry, Preview, WatchEntry } from '../types.js';
import { ErrorNote, Field, formValues, isAdmin, type PageProps, Show, useLoad, DataTable, RemoveCell } from '../ui.js';

/** The form's fields as the API's NewWatchEntry; a clear error for what cannot be one. */
function entryOf(values: Record<string, string>): NewWatchEntry {
  const partners = values.partners === '*' ? ('*' as const) : commaList(values.partners ?? '');
  const flows = commaList(values.flows ?? '') as ('export' | 'import')[];
  let detection: Record<string, unknown> | undefined;
  if (values.detection) {
    try {
      detection = JSON.parse(values.detection) as Record<string, unknown>;
    } catch {
      throw new Error('Detection overrides: not JSON, e.g. {"zThreshold": 4}');
    }
  }
  return {
    ...(values.source ? { source: values.source as 'comtrade' | 'comext' } : {}),
    reporter: values.reporter ?? '',
    partners,
    ...(flows.length > 0 ? { flows } : {}),
    ...(values.commodity ? { commodity: values.commodity } : {}),
    ...(detection ? { detection } : {}),
  };
}

function PreviewNote({ preview }: { preview: Preview }) {
  return (
    <section class="preview" aria-label="What this entry plans" aria-live="polite">
      <p>{preview.summary}</p>
      <dl>
        <dt>Series</dt>
        <dd>{preview.seriesCount}</dd>
        <dt>Calls per day</dt>
        <dd>{preview.callsPerDay}</dd>
        <dt>Calls per month</dt>
        <dd>{preview.callsPerMonth}</dd>
        <dt>Backfill</dt>
        <dd>
          {preview.backfillCalls} calls, about {preview.backfillDays} day{preview.backfillDays === 1 ? '' : 's'}
        </dd>
        <dt>Monthly cost</dt>
        <dd>US${preview.monthlyCostUsd.toFixed(2)}</dd>
      </dl>
    </section>
  );
}

export function WatchlistPage({ api, session }: PageProps) {
  const [version, setVersion] = useState(0);
  const [draft, setDraft] = useState<{ entry: NewWatchEntry; preview: Preview } | undefined>();
  const [saved, setSaved] = useState<{ entry: WatchEntry; preview: Preview } | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const loaded = useLoad(() => api.get<{ entries: WatchEntry[]; monthsBack: number; historyMonths: number }>('/watchlist'), [version]);
  const admin = isAdmin(session);

  const preview = async (form: HTMLFormElement) => {
    setError(undefined);
    setSaved(undefined);
    try {
      const entry = entryOf(formValues(form));
      setDraft({ entry, preview: await api.send<Preview>('POST', '/watchlist/preview', entry) });
    } catch (caught) {
      setDraft(undefined);
      setError(caught as Error);
    }
  };
  const save = async () => {
    if (!draft) return;
    setError(undefined);
    try {
      setSaved(await api.send<{ entry: WatchEntry; preview: Preview }>('POST', '/watchlist', draft.entry));
      setDraft(undefined);
      setVersion((v) => v + 1);
    } catch (caught) {
      setError(caught as Error);
    }
  };
  const remove = async (id: string) => {
    setError(undefined);
    try {
      await api.send('DELETE', `/watchlist/${encodeURIComponent(id)}`);
      setVersion((v) => v + 1);
    } catch (caught) {
      setError(caught as Error);
    }
  };

  return (
    <>
      <h1>Watchlist</h1>
      <p>What the scheduled runs fetch. Each entry's calls and monthly cost are shown before it is saved; a saved entry starts its backfill.</p>
      <Show loaded={loaded} what="the watchlist">
        {({ entries, monthsBack, historyMonths }) => (
          <>
            <p>
              Daily runs look {monthsBack} months back; a new entry backfills {historyMonths} months of history.
            </p>
            <DataTable label="Watchlist entries" caption="Entries" columns={['Reporter', 'Partners', 'Flows', 'Commodity', 'Source', 'Added', 'Remove', ...(admin ? ['Remove'] : [])]}>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <th scope="row">{entry.reporter}</th>
                  <td>{entry.partners === '*' ? 'all' : entry.partners.join(', ')}</td>
                  <td>{entry.flows?.join(', ') ?? 'export, import'}</td>
                  <td>{entry.commodity ?? 'TOTAL'}</td>
                  <td>{entry.source ?? 'comtrade'}</td>
                  <td>{when(entry.addedAt)}</td>
                  {admin ? <RemoveCell label={`Remove ${entry.reporter} ${entry.partners === '*' ? 'all partners' : entry.partners.join(', ')}`} onRemove={() => remove(entry.id)} /> : null}
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </Show>
      {admin ? (
        <form
          class="entry"
          aria-label="Add a watchlist entry"
          onSubmit={(event) => {
            event.preventDefault();
            void preview(event.currentTarget);
          }}
          onInput={() => setDraft(undefined)}
        >
          <h2>Add an entry</h2>
          <Field label="Source">
            <select name="source">
              <option value="comtrade">UN Comtrade</option>
              <option value="comext">Eurostat Comext</option>
            </select>
          </Field>
          <Field label="Reporter" hint="a country name or code: China, CHN">
            <input name="reporter" required />
          </Field>
          <Field label="Partners" hint="comma list (KAZ,UZB), or * for all">
            <input name="partners" required />
          </Field>
          <fieldset>
            <legend>Flows</legend>
            <label>
              <input type="checkbox" name="flows" value="export" checked /> exports
            </label>
            <label>
              <input type="checkbox" name="flows" value="import" checked /> imports
            </label>
          </fieldset>
          <Field label="Commodity" hint="TOTAL, an HS code, AG2, a list 8542,8541 or a named list CHPL">
            <input name="commodity" placeholder="TOTAL" />
          </Field>
          <Field label="Detection overrides (JSON, optional)">
            <textarea name="detection" rows={2} placeholder='{"zThreshold": 4}' />
          </Field>
          <button type="submit">Preview calls and cost</button>{' '}
          <button type="button" disabled={!draft} onClick={() => void save()}>
            Save entry
          </button>
        </form>
      ) : (
        <p>Only admins change the watchlist.</p>
      )}
      {draft ? <PreviewNote preview={draft.preview} /> : null}
      {saved ? (
        <section aria-live="polite">
          <p role="status">
            Saved: {saved.entry.reporter}, backfill of {saved.preview.backfillCalls} calls started.
          </p>
        </section>
      ) : null}
      {error ? <ErrorNote error={error instanceof ApiError && error.status === 501 ? new Error('The watchlist cannot be changed on this server (not available).') : error} /> : null}
    </>
  );
}
