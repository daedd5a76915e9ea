/**
 * `npm run bench`: performance figures and ratios, measured in one run on this machine against
 * DynamoDB Local. Speed targets live here, never in timed unit tests. `npm run bench -- list-pages`
 * (or any of the case names below) runs only those cases.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { startDynamoDbLocal } = await import('../../shared/local/dynamodb-local.js');
const { writePath } = await import('./cases/write-path.js');
const { detectionThroughput } = await import('./cases/detection-throughput.js');
const { detectionEvaluation } = await import('./cases/detection-evaluation.js');
const { partnerWideLive } = await import('./cases/partner-wide-live.js');
const { readPath } = await import('./cases/read-path.js');
const { listPages } = await import('./cases/list-pages.js');
const { ingestPath } = await import('./cases/ingest-path.js');
const { functionBundles } = await import('./cases/function-bundles.js');
const { csvImport } = await import('./cases/csv-import.js');
const { consolePage } = await import('./cases/console-page.js');

const allCases = {
  'detection-throughput': detectionThroughput,
  'detection-evaluation': detectionEvaluation,
  'partner-wide-live': partnerWideLive,
  'read-path': readPath,
  'list-pages': listPages,
  'write-path': writePath,
  'ingest-path': ingestPath,
  'csv-import': csvImport,
  'function-bundles': functionBundles,
  'console-page': consolePage,
};
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in allCases));
if (unknown.length > 0) {
  console.error(`no bench case ${unknown.join(', ')}; the cases: ${Object.keys(allCases).join(', ')}`);
  process.exit(2);
}
const cases = Object.entries(allCases)
  .filter(([name]) => asked.length === 0 || asked.includes(name))
  .map(([, run]) => run);
const dynamo = await startDynamoDbLocal();
try {
  console.log(`tradewatch benchmarks (node ${process.version}, DynamoDB Local at ${dynamo.endpoint})\n`);
  for (const run of cases) {
    const result = await run({ dynamo });
    console.log(result.name);
    for (const figure of result.figures) console.log(`  ${figure}`);
    if (result.ratio) console.log(`  ratio ${result.ratio.label}: ${result.ratio.value.toFixed(1)}x`);
    console.log('');
  }
} finally {
  await dynamo.stop();
}
