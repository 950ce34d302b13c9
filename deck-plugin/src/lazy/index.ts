export { ChunkLoadError, failedFile, lazyPart, withPart, type LazyPart } from './lazyPart';
export { lazyComponent } from './LazyComponent';
