export { ChunkLoadError, failedFile, lazyPart, withPart, type LazyPart } from './lazyPart';
export { lazyComponent } from './LazyComponent';
export { preloadInPipelineEditor, preloadOnState, isPipelineEditor, type TransitionHooks } from './preload';
