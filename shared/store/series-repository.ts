import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
}

interface ObservationItem extends StoredObservation {
  readonly pk: string;
  readonly sk: string;
}

function sameReading(a: Observation, b: Observation): boolean {
  return a.value === b.value && a.state === b.state;
}

/** Series and their monthly observations, with every earlier value kept as a revision. */
export class SeriesRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stores what a source said about a series. Compares before writing: an unchanged month costs
   * no write, a changed one keeps its previous value as a revision.
   */
  async saveObservations(key: SeriesKey, incoming: readonly Observation[], seenAt: string): Promise<SaveResult> {
    storedFlowSchema.parse(key.flow);
    const id = idOf(key);
    const existing = new Map((await this.getObservations(id)).map((o) => [o.period, o]));
    const inserted: string[] = [];
    const revised: string[] = [];
    const items: Record<string, unknown>[] = [];
    for (const observation of incoming) {
      const current = existing.get(observation.period);
      if (current && sameReading(current, observation)) continue;
      let stored: StoredObservation;
      if (current) {
        const previous: Revision = { value: current.value, state: current.state, seenAt: current.lastChangedAt };
        stored = { ...observation, firstSeenAt: current.firstSeenAt, lastChangedAt: seenAt, revisions: [...current.revisions, previous] };
        revised.push(observation.period);
      } else {
        stored = { ...observation, firstSeenAt: seenAt, lastChangedAt: seenAt, revisions: [] };
        inserted.push(observation.period);
      }
      existing.set(observation.period, stored);
      items.push({ pk: seriesPk(id), sk: observationSk(observation.period), ...stored });
    }
    if (items.length > 0) {
      const periods = [...existing.keys()].sort();
      const metadata: SeriesMetadata = {
        ...key,
        seriesId: id,
        firstPeriod: periods[0]!,
        lastPeriod: periods.at(-1)!,
        observationCount: periods.length,
        updatedAt: seenAt,
      };
      items.push(
        { pk: seriesPk(id), sk: SERIES_META_SK, gsi1pk: seriesByReporterPk(key.reporter), gsi1sk: seriesByReporterSk(key), ...metadata },
        { pk: REPORTERS_PK, sk: key.reporter },
      );
      await batchPut(this.doc, this.tableName, items);
    }
    return { seriesId: id, inserted, revised, unchanged: incoming.length - inserted.length - revised.length, writes: items.length };
  }

  /** A series' observations, oldest first, in as few Query round trips as the item size allows. */
  async getObservations(seriesId: string, range: ObservationRange = {}): Promise<StoredObservation[]> {
    const from = observationSk(range.from ?? '0000-00');
    const to = observationSk(range.to ?? '9999-99');
    const observations: StoredObservation[] = [];
    for await (const item of this.queryAll({
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

  private async listReporters(): Promise<string[]> {
    const reporters: string[] = [];
    for await (const item of this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': REPORTERS_PK },
    })) {
      reporters.push(String(item.sk));
    }
    return reporters;
  }

  private async *queryAll(input: {
    IndexName?: string;
    KeyConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
  }): AsyncGenerator<Record<string, unknown>> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: startKey }));
      yield* page.Items ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}

function toMetadata(item: Record<string, unknown>): SeriesMetadata {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...metadata } = item;
  return metadata as unknown as SeriesMetadata;
}
