// Libraries Deck shares with plugins at run time (packages/core/src/plugins/sharedLibraries.ts).
// A plugin must read them from the global, never bundle them: a second React or @spinnaker/core
// breaks hooks, context and the registries.
export const SHARED_LIBRARIES = [
  '@spinnaker/core',
  '@spinnaker/kayenta',
  '@uirouter/core',
  '@uirouter/react',
  '@uirouter/rx',
  'ajv',
  'lodash',
  'prop-types',
  'react',
  'react-dom',
  'react-redux',
  'redux-actions',
  'reselect',
  'rxjs',
  'rxjs/Observable',
];

/** The key Deck puts a shared library under: every non-word character becomes `_`. */
export function sharedLibraryKey(name) {
  return name.replace(/\W/g, '_');
}

/** The global expression the bundle reads a shared library from. */
export function sharedLibraryGlobalName(name) {
  return 'window.spinnaker.plugins.sharedLibraries.' + sharedLibraryKey(name);
}

/** Map for rollup-plugin-external-globals, including commonjs' proxy ids. */
export function sharedLibraryGlobals() {
  const map = {};
  for (const name of SHARED_LIBRARIES) {
    map[name] = sharedLibraryGlobalName(name);
    map[`${name}?commonjs-proxy`] = sharedLibraryGlobalName(name);
  }
  return map;
}
