// See README.md: a shared library this sandbox does not ship. Any use throws, naming the library.
function unavailable(name) {
  return new Proxy(
    {},
    {
      get(_target, prop) {
        if (prop === '__esModule' || prop === 'then' || typeof prop === 'symbol') return undefined;
        throw new Error(`${name} is not available in the CD-as-a-Service sandbox (read ${String(prop)})`);
      },
    },
  );
}
module.exports = unavailable;
