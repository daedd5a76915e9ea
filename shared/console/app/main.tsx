import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { createApi } from './api.js';
import { startSession, type Session } from './auth.js';
import { loadConfig, type ConsoleConfig } from './config.js';
import { AlertsPage } from './pages/alerts.js';
import { SeriesPage } from './pages/series.js';
import { StatusPage } from './pages/status.js';
import { SubscriptionsPage } from './pages/subscriptions.js';
import { WatchlistPage } from './pages/watchlist.js';
import './styles.css';
import type { PageProps } from './ui.js';

const PAGES = {
  alerts: { title: 'Alerts', Page: AlertsPage },
  series: { title: 'Series', Page: SeriesPage },
  watchlist: { title: 'Watchlist', Page: WatchlistPage },
  subscriptions: { title: 'Subscriptions', Page: SubscriptionsPage },
  status: { title: 'Status', Page: StatusPage },
} as const;
type PageName = keyof typeof PAGES;

/** `#/alerts/KEY?severity=critical` → the page, what follows its name (decoded), and the query. */
function parseHash(hash: string): { page: PageName; rest: string; query: URLSearchParams } {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [name = '', ...rest] = path.split('/');
  const page = (name in PAGES ? name : 'alerts') as PageName;
  return { page, rest: decodeURIComponent(rest.join('/')), query: new URLSearchParams(search) };
}

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

function Console({ config, session }: { config: ConsoleConfig; session: Session }) {
  const hash = useHash();
  const { page, rest, query } = parseHash(hash);
  const { title, Page } = PAGES[page];
  const api = createApi(config.apiUrl, session.bearer);
  const firstRender = useRef(true);
  useEffect(() => {
    document.title = `${title} · tradewatch`;
    // After a move to another page (not on load), focus goes to its content, as a new page load would put it.
    if (!firstRender.current) document.getElementById('main')?.focus({ preventScroll: true });
    firstRender.current = false;
  }, [page, rest]);
  const props: PageProps = { api, session, config, rest, query };
  return (
    <>
      {/* A button, not a #main link: the hash is the page's route. */}
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header>
        <span class="brand">tradewatch</span>
        <nav aria-label="Pages">
          <ul>
            {(Object.keys(PAGES) as PageName[]).map((name) => (
              <li key={name}>
                <a href={`#/${name}`} aria-current={name === page ? 'page' : undefined}>
                  {PAGES[name].title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {session.user ? (
          <span class="user">
            {session.user}{' '}
            <button type="button" onClick={() => session.signOut()}>
              Sign out
            </button>
          </span>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {config.illustrative ? <p class="illustrative">Illustrative data: the store holds the demo's generated figures, not published monthly ones.</p> : null}
        <Page key={`${page}/${rest}`} {...props} />
      </main>
    </>
  );
}

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  try {
    const config = await loadConfig();
    const session = await startSession(config.auth);
    render(<Console config={config} session={session} />, root);
  } catch (error) {
    render(
      <main id="main">
        <h1>tradewatch</h1>
        <p role="alert">{(error as Error).message}</p>
      </main>,
      root,
    );
  }
}

void start();
