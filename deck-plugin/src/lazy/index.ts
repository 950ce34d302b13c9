export { ChunkLoadError, failedFile, lazyPart, withPart, type LazyPart } from './lazyPart';
export { lazyComponent } from './LazyComponent';
export { coalesceRemount } from './coalesceRemount';
export { preloadInPipelineEditor, preloadOnState, isPipelineEditor, type TransitionHooks } from './preload';
