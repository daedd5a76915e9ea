/** What the API answers, as far as the console reads it (see shared/query/query-api.ts and the manage contract). */
export type Severity = 'info' | 'warning' | 'critical';

export interface Explanation {
  readonly value: number;
  readonly comparisonValue: number;
  readonly comparisonLabel: string;
  readonly change: number;
}

export interface AlertItem {
  readonly dedupKey: string;
  readonly seriesId: string;
  readonly bucketKey: string;
  readonly severity: Severity;
  readonly status: 'PENDING' | 'SENT' | 'SILENCED';
  readonly notice: 'alert' | 'update';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly title: string;
  readonly silence?: { readonly reason: string; readonly until: string };
  readonly anomaly: {
    readonly series: { readonly source: string; readonly reporter: string; readonly partner: string; readonly flow: string; readonly commodity: string; readonly currency: string };
    readonly bucketLabel: string;
    readonly direction: 'up' | 'down';
    readonly phase?: string;
    readonly eventBuckets?: number;
    readonly explanation: Explanation;
  };
}

export interface ThreadEntry {
  readonly at: string;
  readonly kind: 'alert' | 'update' | 'revised';
  readonly severity?: Severity;
  readonly change?: number;
  readonly period?: string;
  readonly phase?: string;
}

export interface AlertDetail extends AlertItem {
  readonly text: string;
  readonly thread: { readonly eventKey: string; readonly eventStart: string; readonly eventBuckets: number; readonly phase: string; readonly entries: readonly ThreadEntry[] };
}

export interface SeriesItem {
  readonly seriesId: string;
  readonly source: string;
  readonly reporter: string;
  readonly partner: string;
  readonly flow: string;
  readonly commodity: string;
  readonly currency: string;
  readonly firstPeriod: string;
  readonly lastPeriod: string;
  readonly title: string;
}

export interface ChartData {
  readonly title: string;
  readonly currency: string;
  readonly illustrative: boolean;
  readonly points: readonly { readonly key: string; readonly label: string; readonly months: readonly string[]; readonly value: number | null | undefined }[];
  /** The points' line as the legend names it, where there are more lines (a mirror). */
  readonly lineLabel?: string;
  /** More lines, a value per point: a mirror's partner side at the reporter's basis, and the gap. */
  readonly lines?: readonly { readonly label: string; readonly values: readonly (number | null)[] }[];
  readonly anomalies: readonly { readonly bucketKey: string; readonly bucketLabel: string; readonly severity: Severity; readonly direction: 'up' | 'down' }[];
}

export type SeriesViewName = 'monthly' | 'ytd' | 'yoy' | 'annual';

export interface Observation {
  readonly period: string;
  readonly value: number | null;
  readonly state: string;
  readonly revisions?: readonly unknown[];
}

export type ViewAnswer =
  | { readonly view: 'monthly' | 'ytd'; readonly items: readonly Observation[] }
  | { readonly view: 'yoy'; readonly items: readonly { readonly period: string; readonly label: string; readonly value: number; readonly previous: number; readonly change: number }[] }
  | { readonly view: 'annual'; readonly items: readonly { readonly year: number; readonly value: number; readonly change?: number }[] }
  | MirrorAnswer;

/** Both sides of a mirror (`ID~mirror`) in one of its views. */
export interface MirrorSides {
  readonly reporterValue: number | null;
  readonly partnerValue: number | null;
  readonly partnerAtReporterBasis: number | null;
  readonly gap: number | null;
  readonly ratio: number | null;
  readonly state: string;
}
export interface MirrorSideChange {
  readonly value: number;
  readonly previous: number;
  readonly change: number;
}
export type MirrorAnswer = { readonly view: 'mirror'; readonly reporterValuation: string; readonly partnerValuation: string; readonly margin: number } & (
  | { readonly mirrorView: 'monthly' | 'ytd'; readonly items: readonly (MirrorSides & { readonly covers: string })[] }
  | { readonly mirrorView: 'annual'; readonly items: readonly (MirrorSides & { readonly year: number })[] }
  | {
      readonly mirrorView: 'yoy';
      readonly items: readonly {
        readonly bucket: string;
        readonly label: string;
        readonly reporter: MirrorSideChange | null;
        readonly partnerAtReporterBasis: MirrorSideChange | null;
        readonly ratio: number | null;
        readonly previousRatio: number | null;
      }[];
    }
);

export interface NewWatchEntry {
  readonly source?: 'comtrade' | 'comext';
  readonly reporter: string;
  readonly partners: readonly string[] | '*';
  readonly flows?: readonly ('export' | 'import')[];
  readonly commodity?: string;
  readonly detection?: Record<string, unknown>;
}

export interface WatchEntry extends NewWatchEntry {
  readonly id: string;
  readonly addedAt: string;
}

export interface Preview {
  readonly seriesCount: number;
  readonly callsPerDay: number;
  readonly callsPerMonth: number;
  readonly backfillCalls: number;
  readonly backfillDays: number;
  readonly monthlyCostUsd: number;
  readonly summary: string;
}

export interface NewSubscription {
  readonly protocol: 'email' | 'sms';
  readonly endpoint: string;
  readonly minSeverity?: Severity;
  readonly reporters?: readonly string[];
  readonly partners?: readonly string[];
}

export interface Subscription extends NewSubscription {
  readonly id: string;
  readonly state: 'pending-confirmation' | 'confirmed' | 'failed';
  readonly subscriptionArn?: string;
  readonly createdAt: string;
  readonly note?: string;
}
