// Public API of the embedding stage.

export * from './cache.js';
export * from './compute.js';
export * from './embedder.js';
