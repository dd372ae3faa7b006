// Public API of head training.

export * from './augment.js';
export * from './fit.js';
export * from './head.js';
export * from './optimizers.js';
export * from './options.js';
export * from './samples.js';
export * from './train.js';
