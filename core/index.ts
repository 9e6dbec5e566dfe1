/**
 * The shared Update Lead logic for the n8n node and the Zapier app. Pure: no platform imports,
 * no I/O, no timers. It decides; the shells send, sleep and raise their platform's errors.
 */
export * from './base-url';
export * from './credential-check';
export * from './errors';
export * from './failures';
export * from './fields';
export * from './lead';
export * from './metadata';
export * from './secrets';
export * from './update-lead';
export * from './values';
export * from './rate-gate';
export * from './gate-registry';
export * from './operation';
export * from './operations';
export * from './send';
export * from './runner';
export * from './stop';
export * from './breaker';
export * from './answers';
export * from './inputs';
export * from './create-lead';
export * from './lead-operations';
export * from './tag-operations';
export * from './choices';
export * from './outcome-operations';
export * from './conversion-poll';
export * from './webhook-events';
