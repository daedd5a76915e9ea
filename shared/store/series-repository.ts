import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.js';
import { allPages, seekPage, type Page, type PageRequest, type SortedListing } from './seek-page.js';
import {
  seriesId as idOf,
  storableValueProblem,
  storedFlowSchema,
  type Observation,
  type Revision,
  type SeriesKey,
  type StoredObservation,
} from '../domain/series.js';
import { quantitiesField, quantitiesKey, sameQuantities, storableAmountProblem, type Quantities } from '../domain/quantities.js';
import { GSI1, GSI2, GSI3 } from './table-definition.js';
import {
  OBSERVATION_SK_PREFIX,
  REPORTERS_PK,
  SERIES_INDEX_PK,
  SERIES_META_SK,
  observationSk,
  periodFromObservationSk,
  seriesByReporterPk,
  seriesByReporterSk,
  seriesByReporterSkPrefix,
  seriesPk,
} from './keys.js';

/** What `GET /series` and `tradewatch series list` filter on; every field optional. */
export interface SeriesFilter {
  readonly reporter?: string | undefined;
  readonly partner?: string | undefined;
  readonly flow?: string | undefined;
  readonly source?: string | undefined;
}

/**
 * The index partition and sort keys that list the series matching `filter` (see
 * SeriesReader.pageSeries), and what the key cannot serve as a residual filter; undefined when
 * nothing can match (a source with a dot: series ids are dot-separated).
 */
function seriesListing(tableName: string, filter: SeriesFilter): SortedListing | undefined {
  const residual: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const residualFilter = (field: 'flow', value: string) => {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    residual.push(`#${field} = :${field}`);
  };
  let listing: SortedListing;
  if (filter.partner && !filter.reporter) {
    if (filter.source?.includes('.')) return undefined;
    // Every reporter's series to the partner, in series-id order: a source narrows them by prefix.
    listing = { tableName, indexName: GSI3, partition: filter.partner, ...(filter.source ? { sortKey: { beginsWith: `${filter.source}.` } } : {}) };
    if (filter.flow) residualFilter('flow', filter.flow);
  } else if (filter.source) {
    if (filter.source.includes('.')) return undefined;
    // seriesId is <source>.<reporter>.<partner>.<flow>.<commodity>.<currency>: the known leading fields make the prefix.
    const leading = [filter.source];
    if (filter.reporter) {
      leading.push(filter.reporter);
      if (filter.partner) {
        leading.push(filter.partner);
        if (filter.flow) leading.push(filter.flow);
      }
    }
    if (filter.flow && !(filter.reporter && filter.partner)) residualFilter('flow', filter.flow);
    listing = { tableName, indexName: GSI2, partition: SERIES_INDEX_PK, sortKey: { beginsWith: `${leading.join('.')}.` } };
  } else if (filter.reporter) {
    const prefix = seriesByReporterSkPrefix(filter);
    listing = { tableName, indexName: GSI1, partition: seriesByReporterPk(filter.reporter), ...(prefix ? { sortKey: { beginsWith: prefix } } : {}) };
    if (filter.flow && !filter.partner) residualFilter('flow', filter.flow);
  } else {
    listing = { tableName, indexName: GSI2, partition: SERIES_INDEX_PK };
    if (filter.flow) residualFilter('flow', filter.flow);
  }
  return residual.length > 0 ? { ...listing, filter: { expression: residual.join(' AND '), names, values } } : listing;
}

export interface SeriesMetadata extends SeriesKey {
  readonly seriesId: string;
  readonly firstPeriod: string;
  readonly lastPeriod: string;
  readonly observationCount: number;
  readonly updatedAt: string;
  /** Grows with every change to any of its months (the sum of their versions): detection compares it with what it has handled. */
  readonly version: number;
}

export interface SaveResult {
  readonly seriesId: string;
  /** Months stored for the first time. */
  readonly inserted: readonly string[];
  /** Months whose value or state changed: the previous one is kept as a revision. */
  readonly revised: readonly string[];
  readonly unchanged: number;
  /** Items written, metadata included: 0 when nothing changed. */
  readonly writes: number;
}

export interface ObservationRange {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** Read your own writes (a strongly consistent Query). */
  readonly consistent?: boolean;
}

/** New months per TransactWriteItems (DynamoDB takes up to 100; fewer keeps a conflict from failing many months at once). */
const CREATES_PER_TRANSACTION = 50;
/** Writes of one save in flight at once (transactions of new months, revisions). */
const WRITES_IN_FLIGHT = 8;
/** Rounds of write, conflict, re-read before a save gives up on a month. */
const MAX_WRITE_ROUNDS = 10;

interface ObservationItem extends StoredObservation {
  readonly pk: string;
  readonly sk: string;
  /** Bumped by every write of the item; absent on items written before versions (read as 0). */
  readonly version?: number;
}

/** A stored month with the version it was read at, so that a write replaces only what was read. */
type VersionedObservation = StoredObservation & { readonly version: number };

/** The metadata item as stored: the summary plus the observations' version sum it was computed from. */
type MetadataItem = Omit<SeriesMetadata, 'version'> & { readonly observationsVersion?: number };

type Reading = Pick<Observation, 'value' | 'state' | 'quantities'>;

/** The same value, state and quantities: a change of weight alone is a new reading (a revision) too. */
function sameReading(a: Reading, b: Reading): boolean {
  return a.value === b.value && a.state === b.state && sameQuantities(a.quantities, b.quantities);
}

/** Release time first, then value (null first), then state, then quantities: the order that picks a month's current vintage. */
function compareVintages(a: Revision, b: Revision): number {
  if (a.seenAt !== b.seenAt) return a.seenAt < b.seenAt ? -1 : 1;
  if (a.value !== b.value) return a.value === null ? -1 : b.value === null ? 1 : a.value - b.value;
  if (a.state !== b.state) return a.state < b.state ? -1 : 1;
  const [qa, qb] = [quantitiesKey(a.quantities), quantitiesKey(b.quantities)];
  return qa < qb ? -1 : qa > qb ? 1 : 0;
}

/** A vintage as stored: no `quantities` key when it has none (months stored before quantities were kept read the same). */
function vintage(value: number | null, state: Revision['state'], quantities: Quantities | undefined, seenAt: string): Revision {
  return { value, state, ...quantitiesField(quantities), seenAt };
}

function sameStored(a: StoredObservation, b: StoredObservation): boolean {
  return (
    sameReading(a, b) &&
    a.firstSeenAt === b.firstSeenAt &&
    a.lastChangedAt === b.lastChangedAt &&
    a.revisions.length === b.revisions.length &&
    a.revisions.every((r, i) => compareVintages(r, b.revisions[i]!) === 0 && sameReading(r, b.revisions[i]!))
  );
}

/**
 * A month with one more reading of it, seen at `seenAt`; undefined when that changes nothing.
 *
 * A month's history is the set of its vintages, each a reading and when it was first seen. They are
 * kept in release-time order (ties by value, then state), a vintage repeating the reading before it
 * is dropped (the month was known so since the earlier one), the last is the current value and the
 * others are its revisions. Writers with different values therefore end in the same state
 * whatever order they land in: a late writer with an older release adds its vintage as a revision
 * and the current value stays. (A release that repeats the value already stored leaves no trace,
 * since an unchanged release costs no write; so one run republishing a month unchanged while an
 * older release with another value lands cannot be put in order.)
 */
export function mergeVintage(stored: StoredObservation | undefined, incoming: Observation, seenAt: string): StoredObservation | undefined {
  const vintages: Revision[] = [
    ...(stored ? [...stored.revisions, { value: stored.value, state: stored.state, quantities: stored.quantities, seenAt: stored.lastChangedAt }] : []),
    { value: incoming.value, state: incoming.state, quantities: incoming.quantities, seenAt },
  ]
    .map(({ value, state, quantities, seenAt: at }) => vintage(value, state, quantities, at))
    .sort(compareVintages);
  const history: Revision[] = [];
  for (const vintage of vintages) if (!history.length || !sameReading(history.at(-1)!, vintage)) history.push(vintage);
  const current = history.at(-1)!;
  const firstSeenAt = stored && stored.firstSeenAt < history[0]!.seenAt ? stored.firstSeenAt : history[0]!.seenAt;
  const merged: StoredObservation = {
    period: incoming.period,
    value: current.value,
    state: current.state,
    ...quantitiesField(current.quantities),
    firstSeenAt,
    lastChangedAt: current.seenAt,
    revisions: history.slice(0, -1),
  };
  return stored && sameStored(stored, merged) ? undefined : merged;
}

/** Every reading of a month in one save, merged in turn; undefined when the month stays as it is. */
function mergeAll(stored: StoredObservation | undefined, readings: readonly Observation[], seenAt: string): StoredObservation | undefined {
  let merged = stored;
  for (const reading of readings) merged = mergeVintage(merged, reading, seenAt) ?? merged;
  return merged === stored ? undefined : merged;
}

/** A value the store cannot keep, named with its series and month. */
export class UnstorableValueError extends Error {
  constructor(
    readonly seriesId: string,
    readonly period: string,
    readonly value: unknown,
    reason: string,
    what = 'value',
  ) {
    super(`${seriesId} ${period}: ${what} ${String(value)} cannot be stored: ${reason}; nothing of this series was written`);
    this.name = 'UnstorableValueError';
  }
}

function isConflict(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  return name === 'ConditionalCheckFailedException' || name === 'TransactionConflictException';
}

/** What the marshaller or DynamoDB says when a number cannot be stored. */
const NUMBER_FAILURE = /MAX_SAFE_INTEGER|MIN_SAFE_INTEGER|Special numeric value|Number (underflow|overflow)|numeric/i;

/**
 * A write that failed for a reason other than a conflict: when it is about a number, the error
 * names the series, and the months and values that cannot be stored.
 */
function writeFailure(error: unknown, seriesId: string, months: readonly StoredObservation[]): unknown {
  const message = (error as Error | undefined)?.message ?? String(error);
  if (!NUMBER_FAILURE.test(message)) return error;
  const culprits = months.flatMap((month) =>
    [month, ...month.revisions].filter((v) => v.value !== null && storableValueProblem(v.value) !== undefined).map((v) => `${month.period} value ${v.value}`),
  );
  const what = culprits.length > 0 ? culprits.join(', ') : months.map((m) => `${m.period} value ${m.value}`).join(', ');
  return new Error(`storing ${seriesId} failed on a number (${what}): ${message}`, { cause: error });
}

async function inPool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function toVersioned(item: Record<string, unknown>): VersionedObservation {
  const stored = item as unknown as ObservationItem;
  return {
    period: periodFromObservationSk(stored.sk),
    value: stored.value,
    state: stored.state,
    ...quantitiesField(stored.quantities),
    firstSeenAt: stored.firstSeenAt,
    lastChangedAt: stored.lastChangedAt,
    revisions: (stored.revisions ?? []).map((r) => vintage(r.value, r.state, r.quantities, r.seenAt)),
    version: stored.version ?? 0,
  };
}

/** What a series' metadata says about its months, computed from the months themselves. */
interface MonthsSummary {
  readonly count: number;
  readonly firstPeriod: string;
  readonly lastPeriod: string;
  /** The latest change of any month. */
  readonly updatedAt: string;
  /** The sum of the months' versions: grows with every write, so a larger sum is a later state. */
  readonly version: number;
}

/** Months and ISO times compare as text. */
const earliest = (a: string, b: string) => (a < b ? a : b);
const latest = (a: string, b: string) => (a > b ? a : b);

function summarize(months: Iterable<{ period: string; lastChangedAt: string; version: number }>): MonthsSummary | undefined {
  let summary: MonthsSummary | undefined;
  for (const m of months) {
    summary = summary
      ? {
          count: summary.count + 1,
          firstPeriod: earliest(m.period, summary.firstPeriod),
          lastPeriod: latest(m.period, summary.lastPeriod),
          updatedAt: latest(m.lastChangedAt, summary.updatedAt),
          version: summary.version + m.version,
        }
      : { count: 1, firstPeriod: m.period, lastPeriod: m.period, updatedAt: m.lastChangedAt, version: m.version };
  }
  return summary;
}

/** Series and their months as stored: everything the query side needs, and nothing that writes. */
export class SeriesReader {
  constructor(
    protected readonly doc: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  /** A series' observations, oldest first, in as few Query round trips as the item size allows. */
  async getObservations(seriesId: string, range: ObservationRange = {}): Promise<StoredObservation[]> {
    const from = observationSk(range.from ?? '0000-00');
    const to = observationSk(range.to ?? '9999-99');
    const observations: StoredObservation[] = [];
    for await (const item of this.queryAll({
      ConsistentRead: range.consistent ?? false,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': seriesPk(seriesId), ':from': from, ':to': to },
    })) {
      const { version: _version, ...observation } = toVersioned(item);
      observations.push(observation);
    }
    return observations;
  }

  /** `consistent` reads your own writes (a strongly consistent GetItem). */
  async getSeries(seriesId: string, options: { consistent?: boolean } = {}): Promise<SeriesMetadata | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: seriesPk(seriesId), sk: SERIES_META_SK }, ConsistentRead: options.consistent ?? false }),
    );
    return result.Item ? toMetadata(result.Item) : undefined;
  }

  /**
   * One page of series metadata matching `filter`: exactly one Query, of at most `page.limit` items
   * evaluated, from just after `page.after` (see seek-page.ts). The filters the key cannot serve
   * are a FilterExpression, so a page may hold fewer items than the limit and still have a
   * `nextAfter`. Which index serves which filter:
   *
   *   partner, no reporter     gsi3 <partner>, seriesId begins_with [<source>.] (flow filtered)
   *   source given             gsi2 META, seriesId begins_with <source>.[<reporter>.[<partner>.[<flow>.]]]
   *   reporter, no source      gsi1 SERIES#<reporter>, gsi1sk begins_with [<partner>#[<flow>#]]
   *   neither                  gsi2 META, the whole partition (flow filtered)
   *
   * Safe at scale: a page seeks its start by a key condition and reads at most `limit` index
   * items from there, whatever the number of series, so a page costs the same at a thousand
   * series and at millions. gsi2 is keyed on attributes the metadata item already has (sk META,
   * seriesId), so it needs no change to how series are written and DynamoDB backfills it when the
   * index is added to a deployed table. Metadata writes land in that one gsi2 partition; they are
   * bounded by ingest (at most one per series per release that changes it, none for an unchanged
   * release), and DynamoDB splits a busy partition by sort-key range, which series ids spread evenly.
   */
  async pageSeries(filter: SeriesFilter, page: PageRequest = {}): Promise<Page<SeriesMetadata>> {
    const listing = seriesListing(this.tableName, filter);
    if (!listing) return { items: [] };
    const result = await seekPage(this.doc, listing, page);
    return { items: result.items.map(toMetadata), nextAfter: result.nextAfter };
  }

  /** Every series matching `filter` (reporter, partner, flow, source), page after page through pageSeries. */
  async listSeries(filter: SeriesFilter = {}): Promise<SeriesMetadata[]> {
    const series: SeriesMetadata[] = [];
    for await (const metadata of allPages((page) => this.pageSeries(filter, page))) series.push(metadata);
    return series;
  }

  /** When any series last gained or changed a month: one small partition read, however many series there are. */
  async lastUpdatedAt(): Promise<string | undefined> {
    let latest: string | undefined;
    for (const { updatedAt } of await this.reporterItems()) if (updatedAt && (!latest || updatedAt > latest)) latest = updatedAt;
    return latest;
  }

  /** The reporter registry: one item per reporter with stored series, stamped on every change. */
  private async reporterItems(): Promise<{ reporter: string; updatedAt?: string }[]> {
    const reporters: { reporter: string; updatedAt?: string }[] = [];
    for await (const item of this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': REPORTERS_PK },
    })) {
      reporters.push({ reporter: String(item.sk), ...(typeof item.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}) });
    }
    return reporters;
  }

  protected queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncGenerator<Record<string, unknown>> {
    return queryAll(this.doc, { TableName: this.tableName, ...input });
  }
}

/** Series and their monthly observations, with every earlier value kept as a revision. */
export class SeriesRepository extends SeriesReader {
  /**
   * Stores what a source said about a series. Compares before writing: an unchanged month costs
   * no write, a changed one keeps its previous value as a revision.
   *
   * `seenAt` should be the release's (or scheduled run's) time, not the wall clock: two runs of the
   * same release then write identical items, and racing each other leaves one state. Writers racing
   * with different values all keep their vintage: the month's current value is the one with the
   * latest `seenAt` (then the larger value), whatever order the writes land in (see mergeVintage).
   *
   * New months go in transactions of conditional puts (never over a month another writer created
   * meanwhile: that one is re-read and merged instead); a changed month is a put conditional on the
   * version read, re-read and re-merged when another writer got there first. The metadata is then
   * recomputed from a strongly consistent read of the months, after this writer's own writes, and
   * kept only if it describes a later state than the one stored (the months' version sum), so
   * writers adding disjoint months leave the right first and last month and count.
   */
  async saveObservations(key: SeriesKey, incoming: readonly Observation[], seenAt: string): Promise<SaveResult> {
    storedFlowSchema.parse(key.flow);
    const id = idOf(key);
    for (const observation of incoming) {
      const problem = observation.value === null ? undefined : storableValueProblem(observation.value);
      if (problem) throw new UnstorableValueError(id, observation.period, observation.value, problem);
      const { netWeight, quantity } = observation.quantities ?? {};
      for (const [what, amount] of [['net weight', netWeight?.kg], ['quantity', quantity?.amount]] as const) {
        const amountProblem = amount === undefined ? undefined : storableAmountProblem(amount);
        if (amountProblem) throw new UnstorableValueError(id, observation.period, amount, `a ${what} ${amountProblem}`, what);
      }
    }
    const readings = new Map<string, Observation[]>();
    for (const observation of incoming) readings.set(observation.period, [...(readings.get(observation.period) ?? []), observation]);

    const { metadata, months } = await this.readForWrite(id);
    const creates: StoredObservation[] = [];
    const changes: VersionedObservation[] = [];
    for (const [period, monthReadings] of readings) {
      const known = months.get(period);
      const merged = mergeAll(known, monthReadings, seenAt);
      if (!merged) continue;
      if (known) changes.push(known);
      else creates.push(merged);
    }

    const inserted: string[] = [];
    const revised: string[] = [];
    const taken = await this.createMonths(id, creates, inserted);
    const toRevise = [...changes.map((known) => ({ period: known.period, known, attempted: undefined })), ...taken.map((attempted) => ({ period: attempted.period, known: undefined, attempted }))];
    await inPool(toRevise, WRITES_IN_FLIGHT, async ({ period, known, attempted }) => {
      const done = await this.reviseMonth(id, period, readings.get(period)!, seenAt, known, attempted);
      if (done === 'inserted') inserted.push(period);
      else if (done === 'revised') revised.push(period);
    });
    let writes = inserted.length + revised.length;
    if (writes > 0 || staleMetadata(metadata, months)) writes += await this.refreshMetadata(id, key);
    return {
      seriesId: id,
      inserted: inserted.sort(),
      revised: revised.sort(),
      unchanged: incoming.length - inserted.length - revised.length,
      writes,
    };
  }

  /** The series' metadata and months as they are now (a strongly consistent read of its partition). */
  private async readForWrite(id: string): Promise<{ metadata: MetadataItem | undefined; months: Map<string, VersionedObservation> }> {
    let metadata: MetadataItem | undefined;
    const months = new Map<string, VersionedObservation>();
    for await (const item of this.queryAll({ ConsistentRead: true, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': seriesPk(id) } })) {
      if (item.sk === SERIES_META_SK) metadata = item as unknown as MetadataItem;
      else if (String(item.sk).startsWith(OBSERVATION_SK_PREFIX)) {
        const month = toVersioned(item);
        months.set(month.period, month);
      }
    }
    return { metadata, months };
  }

  private async readMonth(id: string, period: string): Promise<VersionedObservation | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: seriesPk(id), sk: observationSk(period) }, ConsistentRead: true }),
    );
    return result.Item ? toVersioned(result.Item) : undefined;
  }

  private item(id: string, month: StoredObservation, version: number): Record<string, unknown> {
    return { pk: seriesPk(id), sk: observationSk(month.period), ...month, version };
  }

  /**
   * Creates months that were not stored when read, in transactions of conditional puts (a single
   * month: one conditional put). Pushes the months created onto `inserted`; returns those another
   * writer created first (as this writer meant to create them), for the caller to re-read and merge.
   */
  private async createMonths(id: string, creates: readonly StoredObservation[], inserted: string[]): Promise<StoredObservation[]> {
    const taken: StoredObservation[] = [];
    let pending = creates;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_WRITE_ROUNDS) throw new Error(`${id}: ${pending.length} new month(s) still conflicting with other writers after ${MAX_WRITE_ROUNDS} rounds`);
      if (round > 0) await pause(Math.random() * 25 * 2 ** round);
      const retry: StoredObservation[] = [];
      const chunks: StoredObservation[][] = [];
      for (let i = 0; i < pending.length; i += CREATES_PER_TRANSACTION) chunks.push(pending.slice(i, i + CREATES_PER_TRANSACTION));
      await inPool(chunks, WRITES_IN_FLIGHT, async (chunk) => {
        const puts = chunk.map((month) => ({ TableName: this.tableName, Item: this.item(id, month, 1), ConditionExpression: 'attribute_not_exists(pk)' }));
        try {
          if (puts.length === 1) await this.doc.send(new PutCommand(puts[0]!));
          else await this.doc.send(new TransactWriteCommand({ TransactItems: puts.map((Put) => ({ Put })), ClientRequestToken: randomUUID() }));
          inserted.push(...chunk.map((month) => month.period));
        } catch (error) {
          if (puts.length === 1 && isConflict(error)) {
            if ((error as Error).name === 'ConditionalCheckFailedException') taken.push(chunk[0]!);
            else retry.push(chunk[0]!);
            return;
          }
          const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
          if ((error as Error).name !== 'TransactionCanceledException' || !reasons) throw writeFailure(error, id, chunk);
          chunk.forEach((month, i) => {
            const code = reasons[i]?.Code ?? 'None';
            if (code === 'ConditionalCheckFailed') taken.push(month);
            else if (code === 'None' || code === 'TransactionConflict' || code === 'ThrottlingError' || code === 'ProvisionedThroughputExceeded') retry.push(month);
            else throw writeFailure(error, id, [month]);
          });
        }
      });
      pending = retry;
    }
    return taken;
  }

  /**
   * Merges this save's readings of a month into the stored month with a put conditional on the
   * version read; when another writer changed the month first, re-reads it and merges again.
   * A month found exactly as this writer tried to write it (`attempted`, or a put whose answer was
   * lost and retried) counts as this writer's.
   */
  private async reviseMonth(
    id: string,
    period: string,
    readings: readonly Observation[],
    seenAt: string,
    known: VersionedObservation | undefined,
    attempted?: StoredObservation,
  ): Promise<'inserted' | 'revised' | undefined> {
    let current = known ?? (await this.readMonth(id, period));
    if (attempted && current && sameStored(current, attempted)) return 'inserted';
    for (let attempt = 0; attempt < MAX_WRITE_ROUNDS; attempt++) {
      const merged = mergeAll(current, readings, seenAt);
      if (!merged) return undefined;
      const condition = !current
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : current.version === 0
          ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#version)', ExpressionAttributeNames: { '#version': 'version' } }
          : { ConditionExpression: '#version = :version', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': current.version } };
      try {
        await this.doc.send(new PutCommand({ TableName: this.tableName, Item: this.item(id, merged, (current?.version ?? 0) + 1), ...condition }));
        return current ? 'revised' : 'inserted';
      } catch (error) {
        if (!isConflict(error)) throw writeFailure(error, id, [merged]);
        if (attempt > 0) await pause(Math.random() * 25 * 2 ** attempt);
        const tried = current;
        current = await this.readMonth(id, period);
        if (current && sameStored(current, merged)) return tried ? 'revised' : 'inserted';
      }
    }
    throw new Error(`month ${period} of ${id} kept changing under ${MAX_WRITE_ROUNDS} attempts to revise it`);
  }

  /**
   * Recomputes the series' metadata from its months, read strongly consistently after this
   * writer's own writes (read-your-writes), and stores it unless the stored one already describes
   * as late a state (its version sum is not smaller). The writer that finishes last reads every
   * month all writers stored, so the metadata ends right whatever order they land in. Returns the
   * number of items written.
   */
  private async refreshMetadata(id: string, key: SeriesKey): Promise<number> {
    const months: { period: string; lastChangedAt: string; version: number }[] = [];
    for await (const item of this.queryAll({
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :obs)',
      ExpressionAttributeValues: { ':pk': seriesPk(id), ':obs': OBSERVATION_SK_PREFIX },
      ProjectionExpression: 'sk, lastChangedAt, #version',
      ExpressionAttributeNames: { '#version': 'version' },
    })) {
      months.push({ period: periodFromObservationSk(String(item.sk)), lastChangedAt: String(item.lastChangedAt), version: Number(item.version ?? 0) });
    }
    const summary = summarize(months);
    if (!summary) return 0;
    const metadata: MetadataItem = {
      ...key,
      seriesId: id,
      firstPeriod: summary.firstPeriod,
      lastPeriod: summary.lastPeriod,
      observationCount: summary.count,
      updatedAt: summary.updatedAt,
      observationsVersion: summary.version,
    };
    const putUnlessNewer = async (item: Record<string, unknown>, condition: string, values: Record<string, unknown>) => {
      try {
        await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: condition, ExpressionAttributeValues: values }));
        return 1;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return 0;
        throw error;
      }
    };
    const written = await Promise.all([
      putUnlessNewer(
        { pk: seriesPk(id), sk: SERIES_META_SK, gsi1pk: seriesByReporterPk(key.reporter), gsi1sk: seriesByReporterSk(key), ...metadata },
        'attribute_not_exists(observationsVersion) OR observationsVersion < :version',
        { ':version': summary.version },
      ),
      putUnlessNewer({ pk: REPORTERS_PK, sk: key.reporter, updatedAt: summary.updatedAt }, 'attribute_not_exists(updatedAt) OR updatedAt < :updatedAt', {
        ':updatedAt': summary.updatedAt,
      }),
    ]);
    return written[0]! + written[1]!;
  }
}

/** True when the stored metadata does not describe the months read with it (a save that stopped half-way, or none yet). */
function staleMetadata(metadata: MetadataItem | undefined, months: ReadonlyMap<string, VersionedObservation>): boolean {
  const summary = summarize(months.values());
  if (!summary) return false;
  return (
    !metadata ||
    (metadata.observationsVersion ?? 0) !== summary.version ||
    metadata.observationCount !== summary.count ||
    metadata.firstPeriod !== summary.firstPeriod ||
    metadata.lastPeriod !== summary.lastPeriod ||
    metadata.updatedAt !== summary.updatedAt
  );
}

function toMetadata(item: Record<string, unknown>): SeriesMetadata {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, observationsVersion, ...metadata } = item;
  return { ...(metadata as unknown as Omit<SeriesMetadata, 'version'>), version: Number(observationsVersion ?? 0) };
}
