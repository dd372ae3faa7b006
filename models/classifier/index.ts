// Public surface of the classifier folder format (Teachable Machine's image layout).

export { assembleClassifier } from './assemble.js';
export { type ClassifierParts, extractHead, type Pooling } from './head.js';
export { loadClassifier } from './load.js';
export { type ClassifierMetadata, type EdgeTrainerMetadata, METADATA_JSON, PREPROCESSING_NAME, readClassifierMetadata } from './metadata.js';
export { type Prediction, type PredictOptions, predictFiles } from './predict.js';
export { saveClassifierDir, type SaveClassifierRequest } from './save.js';
export type { Classifier, ClassifierSource } from './types.js';
