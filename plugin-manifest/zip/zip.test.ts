import { describe, expect, it } from 'vitest';

import { readZip, unsafeEntryName, ZipError } from './readZip';
import { dosDateTime, writeZip } from './writeZip';

const enc = (s: string) => new TextEncoder().encode(s);

function expectZipError(fn: () => unknown, kind: ZipError['kind'], message: RegExp) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZipError);
    expect((e as ZipError).kind).toBe(kind);
    expect((e as ZipError).message).toMatch(message);
    return;
  }
  throw new Error('expected a ZipError');
}

describe('writeZip / readZip', () => {
  it('round-trips entries in the given order', () => {
    const zip = writeZip([
      { name: 'index.js', data: enc('export const plugin = {};') },
      { name: 'index.js.map', data: enc('{}') },
    ]);
    const entries = readZip(zip, 'test.zip');
    expect(entries.map((e) => e.name)).toEqual(['index.js', 'index.js.map']);
    expect(new TextDecoder().decode(entries[0].data)).toBe('export const plugin = {};');
  });

  it('writes the same bytes twice, and different bytes for a different timestamp', () => {
    const files = [{ name: 'a.txt', data: enc('a'.repeat(1000)) }];
    expect(Buffer.from(writeZip(files)).equals(Buffer.from(writeZip(files)))).toBe(true);
    expect(Buffer.from(writeZip(files, { mtimeEpochSeconds: 1_700_000_000 })).equals(Buffer.from(writeZip(files)))).toBe(false);
  });

  it('encodes DOS times from UTC, not the local zone', () => {
    // 2023-11-14T22:13:20Z
    const { date, time } = dosDateTime(1_700_000_000);
    expect(date).toBe(((2023 - 1980) << 9) | (11 << 5) | 14);
    expect(time).toBe((22 << 11) | (13 << 5) | 10);
  });

  it('names every unsafe entry name', () => {
    expect(unsafeEntryName('../evil.js')).toMatch(/".." segment/);
    expect(unsafeEntryName('a/../../evil.js')).toMatch(/".." segment/);
    expect(unsafeEntryName('/etc/passwd')).toMatch(/absolute/);
    expect(unsafeEntryName('C:/x')).toMatch(/drive letter/);
    expect(unsafeEntryName('a\\..\\b')).toMatch(/backslash/);
    expect(unsafeEntryName('dir/index.js')).toBeUndefined();
  });

  it('refuses an archive with an entry escaping its folder before inflating anything', () => {
    const zip = writeZip([{ name: '../evil.js', data: enc('x') }]);
    expectZipError(() => readZip(zip, 'deck.zip'), 'unsafe-path', /deck\.zip: entry "\.\.\/evil\.js" has a "\.\." segment/);
  });

  it('refuses a zip whose local header names a different path than its central directory', () => {
    const zip = Buffer.from(writeZip([{ name: 'aaaaaaaa', data: enc('x') }]));
    zip.write('../a.txt', 30, 'latin1'); // the local name, which streaming readers such as pf4j's use
    expectZipError(() => readZip(zip, 'deck.zip'), 'unsafe-path', /entry "aaaaaaaa" is named "\.\.\/a\.txt" in its local header/);
  });

  it('refuses an entry hidden between the listed ones', () => {
    const listed = Buffer.from(writeZip([{ name: 'index.js', data: enc('ok') }]));
    const hidden = Buffer.from(writeZip([{ name: '../evil.js', data: enc('boom') }]));
    const hiddenLocal = hidden.subarray(0, hidden.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
    const cd = listed.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const zip = Buffer.concat([listed.subarray(0, cd), hiddenLocal, listed.subarray(cd)]);
    // Point the end record at the moved central directory.
    zip.writeUInt32LE(cd + hiddenLocal.length, zip.length - 22 + 16);
    expectZipError(() => readZip(zip, 'deck.zip'), 'unsafe-path', new RegExp(`${hiddenLocal.length} unlisted bytes before the central directory`));
  });

  it('refuses too many entries', () => {
    const zip = writeZip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: enc('x') })));
    expectZipError(() => readZip(zip, 'z', { maxEntries: 4, maxEntryBytes: 100, maxTotalBytes: 100 }), 'too-many-entries', /5 entries/);
  });

  it('refuses an entry that inflates past its declared size (zip bomb)', () => {
    const zip = Buffer.from(writeZip([{ name: 'bomb.txt', data: enc('0'.repeat(100_000)) }]));
    // Lie about the uncompressed size in both headers, as a bomb does.
    zip.writeUInt32LE(10, 22); // local header
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(10, central + 24);
    expectZipError(() => readZip(zip, 'z'), 'too-large', /inflates past its declared 10 bytes/);
  });

  it('refuses entries declaring more than the total budget', () => {
    const zip = writeZip([{ name: 'big.txt', data: enc('0'.repeat(5000)) }]);
    expectZipError(() => readZip(zip, 'z', { maxEntries: 10, maxEntryBytes: 4000, maxTotalBytes: 10_000 }), 'too-large', /declares 5000 bytes/);
  });

  it('refuses a file that is not a zip', () => {
    expectZipError(() => readZip(enc('<html>Not Found</html>'.repeat(3)), 'bundle'), 'not-a-zip', /bundle is not a zip file/);
  });

  it('detects a corrupted entry by its CRC', () => {
    const zip = Buffer.from(writeZip([{ name: 'a.txt', data: enc('hello') }], { level: 0 }));
    // Level 0 deflates to one stored block: 30-byte header, 5-byte name, 5-byte block header, data.
    zip[30 + 5 + 5] ^= 0x01;
    expectZipError(() => readZip(zip, 'z'), 'corrupt', /"a\.txt" fails its CRC check/);
  });
});
