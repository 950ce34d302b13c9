/**
 * The names and checksum of a release bundle, apart from the code that writes one: whatever only
 * reads bundles (verify-manifest, the bridge's preflight) needs these without the zip writer and
 * its dependencies.
 */
import { createHash } from 'node:crypto';

/** The service Deck plugins belong to, and so the name of the inner zip. */
export const DECK_SERVICE = 'deck';
export const DECK_ZIP = `${DECK_SERVICE}.zip`;
export const DECK_FILES = ['index.js', 'index.js.map'] as const;

/** Hex SHA-512, the form `sha512sum` takes in plugins.json. */
export function sha512Hex(bytes: Uint8Array): string {
  return createHash('sha512').update(bytes).digest('hex');
}
