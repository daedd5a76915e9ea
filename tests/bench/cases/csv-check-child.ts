/** Run in its own process by the csv-import bench case, so its peak RSS is the first pass's alone. */
import { performance } from 'node:perf_hooks';
import { checkTradeCsvFile } from '../../../shared/ingest/import-file.js';

const started = performance.now();
const checked = await checkTradeCsvFile(process.argv[2]!);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ rows: checked.rows, errors: checked.errorCount, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
