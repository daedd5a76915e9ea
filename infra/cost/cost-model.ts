/** The cost model lives in shared/ (the manage API prices a watchlist change with it); infra and `npm run cost` read it from here as before. */
export * from '../../shared/cost/cost-model.js';
