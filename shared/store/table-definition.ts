/**
 * The one definition of tradewatch's DynamoDB table. The CDK stack, the local run and the tests
 * all build their table from it, so their key shapes cannot drift apart.
 */
export type KeyAttributeType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

export interface GlobalIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

export interface TableDefinition {
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalIndexes: readonly GlobalIndexDefinition[];
}

export const TABLE_DEFINITION = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalIndexes: [
    {
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
    /**
     * An inverted index over attributes the items already carry: partition `sk`, sorted by
     * `seriesId`. Only items with both attributes appear, so it holds the series metadata (partition
     * `META`, every series in series-id order) and the alert records (partition `ALERT`), nothing else:
     * `GET /series` pages through it without a reporter.
     */
    {
      indexName: 'gsi2',
      partitionKey: { name: 'sk', type: 'S' },
      sortKey: { name: 'seriesId', type: 'S' },
    },
    /**
     * Series by partner, over attributes the metadata item already carries: partition `partner`,
     * sorted by `seriesId`. Only the series metadata has both at its top level (a backfill state has
     * a partner but no seriesId, an alert a seriesId but its partner inside the anomaly), so the
     * index is sparse, and DynamoDB fills it from the items already stored when it is added to a
     * deployed table: nothing is rewritten. Detection lists a series' cross-reporter peers (every
     * reporter's series to the same partner) through it in one Query.
     */
    {
      indexName: 'gsi3',
      partitionKey: { name: 'partner', type: 'S' },
      sortKey: { name: 'seriesId', type: 'S' },
    },
  ],
} as const satisfies TableDefinition;

export const GSI1 = TABLE_DEFINITION.globalIndexes[0].indexName;
export const GSI2 = TABLE_DEFINITION.globalIndexes[1].indexName;
export const GSI3 = TABLE_DEFINITION.globalIndexes[2].indexName;

/** The same definition as a CreateTable request (DynamoDB Local, tests). */
export function createTableInput(tableName: string) {
  const keys = [
    TABLE_DEFINITION.partitionKey,
    TABLE_DEFINITION.sortKey,
    ...TABLE_DEFINITION.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  const attributeDefinitions = [...new Map(keys.map((k) => [k.name, k])).values()].map((k) => ({
    AttributeName: k.name,
    AttributeType: k.type,
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributeDefinitions,
    KeySchema: [
      { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' as const },
      { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: TABLE_DEFINITION.globalIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
