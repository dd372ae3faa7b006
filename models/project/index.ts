// Public API of the project format, for the command line and the app.

export * from './classes.js';
export * from './import-folder.js';
export * from './lock.js';
export * from './project.js';
export * from './sample-check.js';
export * from './samples.js';
export * from './schema.js';
export * from './versions.js';
