import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { Session } from './auth.js';
import type { ConsoleConfig } from './config.js';

/** What every page gets: the API, who is signed in, the runtime settings, and where the hash route points. */
export interface PageProps {
  readonly api: Api;
  readonly session: Session;
  readonly config: ConsoleConfig;
  /** The route's path after its page name (`#/alerts/KEY` → `KEY`), decoded. */
  readonly rest: string;
  readonly query: URLSearchParams;
}

export type Loaded<T> = { readonly state: 'loading' } | { readonly state: 'done'; readonly value: T } | { readonly state: 'failed'; readonly error: Error };

/** The answer of an async load, reloaded whenever `key` changes. */
export function useLoad<T>(load: () => Promise<T>, key: readonly unknown[]): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    load().then(
      (value) => current && setLoaded({ state: 'done', value }),
      (error: Error) => current && setLoaded({ state: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, key);
  return loaded;
}

export function Show<T>({ loaded, children, what }: { loaded: Loaded<T>; what: string; children: (value: T) => ComponentChildren }) {
  if (loaded.state === 'loading') return <p aria-busy="true">Loading {what}…</p>;
  if (loaded.state === 'failed') return <ErrorNote error={loaded.error} />;
  return <>{children(loaded.value)}</>;
}

export function ErrorNote({ error }: { error: Error }) {
  return (
    <p class="error" role="alert">
      {error.message}
    </p>
  );
}

export function Field({ label, children, hint }: { label: string; hint?: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes in as children, inside the label, which names it
    <label class="field">
      <span>{label}</span>
      {children}
      {hint ? <small>{hint}</small> : null}
    </label>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <span class={`badge ${severity}`}>{severity}</span>;
}

/** Moves to a hash route with these query parameters (empty ones left out). */
export function navigate(path: string, query: Record<string, string | undefined> = {}): void {
  const defined = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  const search = new URLSearchParams(defined).toString();
  location.hash = `#/${path}${search ? `?${search}` : ''}`;
}

/** Values of a form's named fields. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  new FormData(form).forEach((value, name) => {
    values[name] = values[name] !== undefined ? `${values[name]},${String(value)}` : String(value).trim();
  });
  return values;
}

/** Whether the person may change the watchlist and subscriptions (the manage API checks it again). */
export function isAdmin(session: Session): boolean {
  return session.groups.includes('admins');
}

/** A wide table's box, scrolling sideways on a narrow screen: focusable, so the keyboard scrolls it too. */
/** A data table in its scrolling region: a caption, a header cell a column, and the rows given. */
export function DataTable({ label, caption, columns, children }: { label: string; caption: string; columns: readonly string[]; children: ComponentChildren }) {
  return (
    <TableScroll label={label}>
      <table class="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableScroll>
  );
}

/** A row's Remove button, in its cell (the label names what it removes, for screen readers). */
export function RemoveCell({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <td>
      <button type="button" aria-label={label} onClick={onRemove}>
        Remove
      </button>
    </td>
  );
}

export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus for keyboard users to scroll it (WCAG 2.1.1)
    <section class="table-wrap" tabIndex={0} aria-label={`${label} (table)`}>
      {children}
    </section>
  );
}
