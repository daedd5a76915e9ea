/**
 * zod for every schema in tradewatch: the `zod/mini` build, which the Lambda bundles can tree-shake
 * (the classic build's chainable methods keep all of zod in every bundle, ~100 KB against ~40 KB),
 * with zod's English messages switched on, which mini leaves out by default. Import it as
 * `import * as z from '<path>/zod.js'`.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
