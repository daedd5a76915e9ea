/** The API, as the console calls it: JSON in and out, a 4xx's `error` as the thrown message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string, query?: Record<string, string | undefined>): Promise<T>;
  send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** The URL of a GET, for links (downloads). */
  url(path: string, query?: Record<string, string | undefined>): string;
}

export function createApi(base: string, bearer: string | undefined): Api {
  const url = (path: string, query: Record<string, string | undefined> = {}) => {
    const defined = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
    const search = new URLSearchParams(defined).toString();
    return `${base.replace(/\/$/, '')}${path}${search ? `?${search}` : ''}`;
  };
  const call = async <T,>(method: string, target: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(target, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if (response.status === 204) return undefined as T;
    const answer = (await response.json().catch(() => ({}))) as { error?: string; parameter?: string };
    if (!response.ok) throw new ApiError(response.status, answer.error ?? `${method} answered ${response.status}`, answer.parameter);
    return answer as T;
  };
  return {
    url,
    get: (path, query) => call('GET', url(path, query)),
    send: (method, path, body) => call(method, url(path), body),
  };
}

/** Every page of a cursor listing (`{ items, nextCursor }`). */
export async function allItems<T>(api: Api, path: string, query: Record<string, string | undefined>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<{ items: T[]; nextCursor: string | null }>(path, { ...query, limit: '500', cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
