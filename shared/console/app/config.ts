/** The console's runtime settings: `config.json` beside the page (written by the local server, or by the deploy). */
export interface ConsoleConfig {
  /** Where the API answers: `/api` locally, the HTTP API's console routes on AWS. */
  readonly apiUrl: string;
  /** Cognito sign-in (authorization code with PKCE); absent locally, where there is no sign-in. */
  readonly auth?: {
    /** The user pool's managed login domain, e.g. https://tradewatch-123.auth.eu-west-1.amazoncognito.com */
    readonly domain: string;
    readonly clientId: string;
    readonly redirectUri: string;
  };
  /** Named groups of partners the API sums on read (CENTRALASIA …), to offer their series. */
  readonly groups: Readonly<Record<string, { readonly name: string; readonly members: readonly string[] }>>;
  /** Set when the store holds the bundled demo's generated figures. */
  readonly illustrative?: boolean;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  // Preloaded by index.html while the script loads; served no-cache, so a deploy's new settings are read.
  const response = await fetch('config.json');
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}
