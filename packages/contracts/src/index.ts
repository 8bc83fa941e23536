export * from './errors.js';
export * from './org.js';
export * from './auth.js';
export * from './limits.js';
export * from './video.js';
export * from './tips.js';
