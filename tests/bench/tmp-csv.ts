const { startDynamoDbLocal } = await import('../../shared/local/dynamodb-local.js');
const { csvImport } = await import('./cases/csv-import.js');
const dynamo = await startDynamoDbLocal();
try { const r = await csvImport({ dynamo }); console.log(r.figures.join('\n'), r.ratio); } finally { await dynamo.stop(); }
