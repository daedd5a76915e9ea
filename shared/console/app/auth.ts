import type { ConsoleConfig } from './config.js';

/**
 * Sign-in with Cognito's managed login: OAuth 2.0 authorization code with PKCE (RFC 7636), no
 * client secret. The verifier and state live in sessionStorage only for the round trip; the
 * tokens in sessionStorage for the tab's life (a closed tab signs out).
 */
type Auth = NonNullable<ConsoleConfig['auth']>;

const VERIFIER = 'tradewatch.pkce';
const TOKENS = 'tradewatch.tokens';

interface Tokens {
  readonly accessToken: string;
  readonly idToken: string;
  readonly expiresAt: number;
}

function randomText(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

function storedTokens(): Tokens | undefined {
  const text = sessionStorage.getItem(TOKENS);
  if (!text) return undefined;
  const tokens = JSON.parse(text) as Tokens;
  return tokens.expiresAt > Date.now() + 30_000 ? tokens : undefined;
}

async function redirectToSignIn(auth: Auth): Promise<never> {
  const verifier = randomText(48);
  const state = randomText(16);
  sessionStorage.setItem(VERIFIER, JSON.stringify({ verifier, state, back: location.hash }));
  const url = new URL('/oauth2/authorize', auth.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
  return new Promise<never>(() => undefined);
}

async function exchangeCode(auth: Auth, code: string, state: string): Promise<Tokens> {
  const pending = JSON.parse(sessionStorage.getItem(VERIFIER) ?? 'null') as { verifier: string; state: string; back: string } | null;
  sessionStorage.removeItem(VERIFIER);
  if (!pending || pending.state !== state) throw new Error('sign-in: the answer does not match the request this tab sent; sign in again');
  const response = await fetch(new URL('/oauth2/token', auth.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: auth.clientId, code, redirect_uri: auth.redirectUri, code_verifier: pending.verifier }),
  });
  if (!response.ok) throw new Error(`sign-in: the token endpoint answered ${response.status}`);
  const body = (await response.json()) as { access_token: string; id_token: string; expires_in: number };
  const tokens = { accessToken: body.access_token, idToken: body.id_token, expiresAt: Date.now() + body.expires_in * 1000 };
  sessionStorage.setItem(TOKENS, JSON.stringify(tokens));
  history.replaceState(null, '', `${location.pathname}${pending.back}`);
  return tokens;
}

/** Whom the console acts for: signed in on AWS (a bearer token for the API), nobody locally. */
export interface Session {
  readonly bearer?: string;
  readonly user?: string;
  readonly groups: readonly string[];
  signOut(): void;
}

function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
}

export async function startSession(auth: ConsoleConfig['auth']): Promise<Session> {
  if (!auth) return { groups: ['admins'], signOut: () => undefined };
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const tokens = storedTokens() ?? (code ? await exchangeCode(auth, code, params.get('state') ?? '') : await redirectToSignIn(auth));
  const claims = claimsOf(tokens.idToken);
  return {
    bearer: tokens.accessToken,
    user: String(claims.email ?? claims['cognito:username'] ?? ''),
    groups: Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [],
    signOut: () => {
      sessionStorage.removeItem(TOKENS);
      const url = new URL('/logout', auth.domain);
      url.search = new URLSearchParams({ client_id: auth.clientId, logout_uri: auth.redirectUri }).toString();
      location.assign(url.toString());
    },
  };
}
