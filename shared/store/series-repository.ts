import { GetCommand, PutCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.js';
import {
  seriesId as idOf,
  storedFlowSchema,
  type Observation,
  type Revision,
  type SeriesKey,
  type StoredObservation,
} from '../domain/series.js';
import { batchPut } from './batch-writer.js';
import { GSI1 } from './table-definition.js';
import {
  REPORTERS_PK,
  SERIES_META_SK,
  observationSk,
  periodFromObservationSk,
  seriesByReporterPk,
  seriesByReporterSk,
  seriesPk,
} from './keys.js';

export interface SeriesMetadata extends SeriesKey {
  readonly seriesId: string;
  readonly firstPeriod: string;
  readonly lastPeriod: string;
  readonly observationCount: number;
  readonly updatedAt: string;
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

const MAX_REVISION_ATTEMPTS = 5;

interface ObservationItem extends StoredObservation {
  readonly pk: string;
  readonly sk: string;
}

function sameReading(a: Observation, b: Observation): boolean {
  return a.value === b.value && a.state === b.state;
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
      const stored = item as unknown as ObservationItem;
      observations.push({
        period: periodFromObservationSk(stored.sk),
        value: stored.value,
        state: stored.state,
        firstSeenAt: stored.firstSeenAt,
        lastChangedAt: stored.lastChangedAt,
        revisions: stored.revisions ?? [],
      });
    }
    return observations;
  }

  async getSeries(seriesId: string): Promise<SeriesMetadata | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: seriesPk(seriesId), sk: SERIES_META_SK } }),
    );
    return result.Item ? toMetadata(result.Item) : undefined;
  }

  /** Every series, or those of one reporter, through the reporter index (never a table scan). */
  async listSeries(filter: { reporter?: string } = {}): Promise<SeriesMetadata[]> {
    const reporters = filter.reporter ? [filter.reporter] : await this.listReporters();
    const series: SeriesMetadata[] = [];
    for (const reporter of reporters) {
      for await (const item of this.queryAll({
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': seriesByReporterPk(reporter) },
      })) {
        series.push(toMetadata(item));
      }
    }
    return series;
  }

  /** When any series last gained or changed a month: one small partition read, however many series there are. */
  async lastUpdatedAt(): Promise<string | undefined> {
    let latest: string | undefined;
    for (const { updatedAt } of await this.reporterItems()) if (updatedAt && (!latest || updatedAt > latest)) latest = updatedAt;
    return latest;
  }

  private async listReporters(): Promise<string[]> {
    return (await this.reporterItems()).map((item) => item.reporter);
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
   * same release then write identical items, and racing each other leaves one state. New months go
   * in batches; a revision is a conditional put on the month's last change, re-read and re-diffed
   * when another run got there first, so no vintage is lost.
   */
  async saveObservations(key: SeriesKey, incoming: readonly Observation[], seenAt: string): Promise<SaveResult> {
    storedFlowSchema.parse(key.flow);
    const id = idOf(key);
    const existing = new Map((await this.getObservations(id, { consistent: true })).map((o) => [o.period, o]));
    const inserted: string[] = [];
    const revised: string[] = [];
    const newItems: Record<string, unknown>[] = [];
    let writes = 0;
    for (const observation of incoming) {
      const current = existing.get(observation.period);
      if (current && sameReading(current, observation)) continue;
      if (current) {
        const stored = await this.revise(id, current, observation, seenAt);
        if (stored) {
          existing.set(observation.period, stored);
          revised.push(observation.period);
          writes++;
        }
      } else {
        const stored: StoredObservation = { ...observation, firstSeenAt: seenAt, lastChangedAt: seenAt, revisions: [] };
        existing.set(observation.period, stored);
        newItems.push({ pk: seriesPk(id), sk: observationSk(observation.period), ...stored });
        inserted.push(observation.period);
      }
    }
    if (newItems.length > 0 || writes > 0) {
      const periods = [...existing.keys()].sort();
      const metadata: SeriesMetadata = {
        ...key,
        seriesId: id,
        firstPeriod: periods[0]!,
        lastPeriod: periods.at(-1)!,
        observationCount: periods.length,
        updatedAt: seenAt,
      };
      newItems.push(
        { pk: seriesPk(id), sk: SERIES_META_SK, gsi1pk: seriesByReporterPk(key.reporter), gsi1sk: seriesByReporterSk(key), ...metadata },
        { pk: REPORTERS_PK, sk: key.reporter, updatedAt: seenAt },
      );
      writes += await batchPut(this.doc, this.tableName, newItems);
    }
    return { seriesId: id, inserted, revised, unchanged: incoming.length - inserted.length - revised.length, writes };
  }

  /** Writes a new vintage of a month unless another writer changed it first; then re-reads and decides again. */
  private async revise(id: string, current: StoredObservation, observation: Observation, seenAt: string): Promise<StoredObservation | undefined> {
    let known = current;
    for (let attempt = 0; attempt < MAX_REVISION_ATTEMPTS; attempt++) {
      if (sameReading(known, observation)) return undefined;
      const previous: Revision = { value: known.value, state: known.state, seenAt: known.lastChangedAt };
      const stored: StoredObservation = { ...observation, firstSeenAt: known.firstSeenAt, lastChangedAt: seenAt, revisions: [...known.revisions, previous] };
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: seriesPk(id), sk: observationSk(observation.period), ...stored },
            ConditionExpression: 'lastChangedAt = :expected',
            ExpressionAttributeValues: { ':expected': known.lastChangedAt },
          }),
        );
        return stored;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        const [fresh] = await this.getObservations(id, { from: observation.period, to: observation.period, consistent: true });
        if (!fresh) throw error;
        known = fresh;
      }
    }
    throw new Error(`month ${observation.period} of ${id} kept changing under ${MAX_REVISION_ATTEMPTS} attempts to revise it`);
  }
}

function toMetadata(item: Record<string, unknown>): SeriesMetadata {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...metadata } = item;
  return metadata as unknown as SeriesMetadata;
}
