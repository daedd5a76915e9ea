/**
 * The console's Content-Security-Policy, the same locally and behind CloudFront: scripts and
 * styles only from the console's own origin (no inline scripts, no eval), and fetches only to
 * itself, the API and the sign-in domain. uPlot and Preact set styles through the CSSOM, which a
 * style-src without 'unsafe-inline' allows.
 */
export function consoleContentSecurityPolicy(connectTo: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${connectTo.map((origin) => ` ${origin}`).join('')}`,
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
