/**
 * Usage accounting: every model call is recorded with its tokens and its cost (priced on the way
 * in), and read back by GET /api/v1/stats/usage. See README.md beside this file.
 *
 *   const usage = createUsageService({ db, log, prices: createPriceTable(config.modelPrices) });
 *   await usage.record({ tenantId, userId, channel: 'widget', kind: 'chat', provider: 'openai', model: 'gpt-4o-mini', tokensIn: 812, tokensOut: 140 });
 */
export { createPriceTable, defaultModelPrices, type ModelPrice, type PriceTable } from './prices.js';
export { usageContextOf, type UsageContext, type UsageRecord, type UsageRecorder } from './usage-recorder.js';
export { insertUsageEvents } from './usage.repo.js';
export { usageRoutes } from './usage.routes.js';
export { createUsageService, type UsageService, type UsageServiceDeps } from './usage.service.js';
