// Public API of evaluation and reports.

export * from './evaluate-head.js';
export * from './metrics.js';
export * from './report.js';
export * from './save-report.js';
export * from './split.js';
export * from './svg.js';
export * from './text.js';
