import * as z from '../../zod.js';

/** A silence: anomalies of matching series are stored but not sent until it ends. */
export const silenceSchema = z.object({
  id: z.string().check(z.minLength(1)),
  /** A series id, where any of the six parts may be `*`: `comtrade.CHN.AZE.*.TOTAL.USD`. */
  series: z
    .string()
    .check(z.regex(/^[A-Za-z0-9*-]+(\.[A-Za-z0-9*-]+){5}$/, 'expected a series id like comtrade.CHN.AZE.export.TOTAL.USD, any part of which may be *')),
  /** ISO time the silence ends. */
  until: z.iso.datetime(),
  reason: z.string().check(z.minLength(1, 'say why')),
  createdAt: z.iso.datetime(),
});
export type Silence = z.infer<typeof silenceSchema>;

export function silenceCovers(silence: Pick<Silence, 'series'>, seriesId: string): boolean {
  const wanted = silence.series.split('.');
  const parts = seriesId.split('.');
  return wanted.length === parts.length && wanted.every((part, i) => part === '*' || part === parts[i]);
}

/** The first silence in force at `now` that covers the series, if any. */
export function activeSilenceFor(silences: readonly Silence[], seriesId: string, now: Date): Silence | undefined {
  const at = now.toISOString();
  return silences.find((s) => s.until > at && silenceCovers(s, seriesId));
}
