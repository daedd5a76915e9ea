import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { periodSchema } from '../domain/period.js';
import { storedFlowSchema } from '../domain/series.js';
import type { BackfillState } from '../plan/backfill-plan.js';
import * as z from '../zod.js';
import { DEFAULT_UPSTREAM, upstreamSchema, type Upstream } from '../domain/upstream.js';
import { writtenIf } from './conditions.js';
import { backfillPk, backfillSk } from './keys.js';
import { queryAll } from './query-all.js';

/** A backfill state item as stored (string sets come back as Sets, maps as objects). */
const storedStateSchema = z.object({
  /** Absent on states stored before Comext was scheduled: those are UN Comtrade's. */
  source: z._default(upstreamSchema, DEFAULT_UPSTREAM),
  reporter: z.string(),
  commodity: z.string(),
  partner: z.string(),
  flows: z.array(storedFlowSchema),
  wantedFrom: periodSchema,
  wantedTo: periodSchema,
  chunksDone: z.optional(z.custom<Set<string>>((value) => value instanceof Set)),
  chunksQueued: z._default(z.record(z.string(), z.string()), {}),
});

const watchedSchema = z.object({
  source: z._default(upstreamSchema, DEFAULT_UPSTREAM),
  commodity: z.string(),
  partner: z.string(),
  wantedFrom: periodSchema,
  wantedTo: periodSchema,
  chunksDone: z.optional(z.custom<Set<string>>((value) => value instanceof Set)),
});
/** A watched partner as stored: on which upstream, for which commodity selection, the months wanted and the chunks stored. */
export type WatchedPartner = Pick<BackfillState, 'source' | 'commodity' | 'partner' | 'wantedFrom' | 'wantedTo' | 'chunksDone'>;

/**
 * The history the planner backfills, per reporter, commodity and partner (see BackfillState):
 * written by the planner (new partners, chunks queued) and by the ingest workers (chunks done).
 * The partners listed here are also what detection reads as planner-watched: their series' first
 * load is history, not news.
 */
export class BackfillRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Every backfill state of the reporter (one Query, consistent: the planner decides on it). */
  async statesOf(reporter: string): Promise<BackfillState[]> {
    const states: BackfillState[] = [];
    for await (const item of queryAll(this.doc, { TableName: this.tableName, ConsistentRead: true, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': backfillPk(reporter) } })) {
      const stored = storedStateSchema.parse(item);
      states.push({ ...stored, chunksDone: stored.chunksDone ?? new Set(), chunksQueued: new Map(Object.entries(stored.chunksQueued)) });
    }
    return states;
  }

  /** Every partner the planner watches for the reporter: on which upstream, for which commodity selection, with its history's chunks. */
  async watched(reporter: string): Promise<WatchedPartner[]> {
    const watched: WatchedPartner[] = [];
    for await (const item of queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': backfillPk(reporter) },
      ProjectionExpression: '#source, commodity, partner, wantedFrom, wantedTo, chunksDone',
      ExpressionAttributeNames: { '#source': 'source' },
    })) {
      const stored = watchedSchema.parse(item);
      watched.push({ ...stored, chunksDone: stored.chunksDone ?? new Set() });
    }
    return watched;
  }

  /** Stores a new partner's state; one already there (another planner run) is kept as it is. */
  async create(state: BackfillState): Promise<void> {
    await writtenIf(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: backfillPk(state.reporter),
            sk: backfillSk(state.commodity, state.partner, state.source),
            source: state.source,
            reporter: state.reporter,
            commodity: state.commodity,
            partner: state.partner,
            flows: [...state.flows],
            wantedFrom: state.wantedFrom,
            wantedTo: state.wantedTo,
            chunksQueued: {},
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /** Records that the chunk was queued for these partners on `day`. */
  async markQueued(source: Upstream, reporter: string, commodity: string, partners: readonly string[], chunk: string, day: string): Promise<void> {
    for (const partner of partners) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: backfillPk(reporter), sk: backfillSk(commodity, partner, source) },
          UpdateExpression: 'SET chunksQueued.#chunk = :day',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#chunk': chunk },
          ExpressionAttributeValues: { ':day': day },
        }),
      );
    }
  }

  /** Records the chunk stored for these partners: adding to a set, so a redelivered item changes nothing. */
  async markDone(source: Upstream, reporter: string, commodity: string, partners: readonly string[], chunk: string): Promise<void> {
    for (const partner of partners) {
      await writtenIf(() =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: backfillPk(reporter), sk: backfillSk(commodity, partner, source) },
            UpdateExpression: 'ADD chunksDone :chunk',
            // A partner no longer watched (its state removed by hand) is not brought back.
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':chunk': new Set([chunk]) },
          }),
        ),
      );
    }
  }
}
