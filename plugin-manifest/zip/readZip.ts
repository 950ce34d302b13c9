/**
 * A defensive zip reader for bundles downloaded from the internet. It refuses what Gate's
 * extraction would trip over or what could harm the machine: names that leave the target folder
 * (`../`, absolute paths, drive letters, backslashes), duplicate names, encrypted or ZIP64 entries,
 * too many entries, entries that inflate past their declared size or past the total budget
 * (zip bombs), overlapping entries, and CRC mismatches.
 */
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  maxEntries: number;
  /** Largest single entry, uncompressed. */
  maxEntryBytes: number;
  /** All entries together, uncompressed. */
  maxTotalBytes: number;
}

export const DEFAULT_LIMITS: ZipLimits = {
  maxEntries: 100,
  maxEntryBytes: 32 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
};

export interface ZipEntry {
  name: string;
  isDirectory: boolean;
  data: Uint8Array;
}

export type ZipErrorKind = 'not-a-zip' | 'unsafe-path' | 'too-many-entries' | 'too-large' | 'unsupported' | 'corrupt';

export class ZipError extends Error {
  constructor(
    readonly kind: ZipErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Why a name may not be written under a target folder, or undefined when it is safe. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.length === 0) return 'an empty name';
  if (name.includes('\0')) return 'a NUL character';
  if (name.includes('\\')) return 'a backslash (Windows separators can escape the folder)';
  if (name.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'a drive letter';
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) return 'a ".." segment that leaves the folder';
  return undefined;
}

interface CentralRecord {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function findEnd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return i;
  }
  return -1;
}

export function readZip(bytes: Uint8Array, label: string, limits: ZipLimits = DEFAULT_LIMITS): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 22) throw new ZipError('not-a-zip', `${label} is not a zip file (${buf.length} bytes)`);
  const end = findEnd(buf);
  if (end < 0) throw new ZipError('not-a-zip', `${label} is not a zip file (no end of central directory)`);
  const disk = buf.readUInt16LE(end + 4);
  const count = buf.readUInt16LE(end + 10);
  const cdSize = buf.readUInt32LE(end + 12);
  const cdOffset = buf.readUInt32LE(end + 16);
  if (disk !== 0) throw new ZipError('unsupported', `${label} is a multi-part zip`);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError('unsupported', `${label} is a ZIP64 archive`);
  if (count > limits.maxEntries) {
    throw new ZipError('too-many-entries', `${label} has ${count} entries; at most ${limits.maxEntries} are accepted`);
  }
  if (cdOffset + cdSize > end) throw new ZipError('corrupt', `${label}: the central directory lies outside the file`);

  const records: CentralRecord[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== 0x02014b50) {
      throw new ZipError('corrupt', `${label}: central directory entry ${i} is damaged`);
    }
    const flags = buf.readUInt16LE(p + 8);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const nameBytes = buf.subarray(p + 46, p + 46 + nameLength);
    records.push({
      name: nameBytes.toString(flags & 0x0800 ? 'utf8' : 'latin1'),
      flags,
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }

  // Names first: nothing is inflated from an archive that tries to escape its folder.
  const names = new Set<string>();
  for (const r of records) {
    const why = unsafeEntryName(r.name);
    if (why) throw new ZipError('unsafe-path', `${label}: entry "${r.name}" has ${why}; refusing to extract it`);
    const key = r.name.replace(/\/+$/, '');
    if (names.has(key)) throw new ZipError('unsafe-path', `${label}: entry "${r.name}" appears twice`);
    names.add(key);
  }

  // Overlapping entries are the classic way to make a small file inflate many times over.
  const byOffset = [...records].sort((a, b) => a.localOffset - b.localOffset);
  let total = 0;
  const entryEnds: number[] = [];
  const entries = new Map<CentralRecord, ZipEntry>();
  for (let i = 0; i < byOffset.length; i++) {
    const r = byOffset[i];
    if (r.flags & 0x0001) throw new ZipError('unsupported', `${label}: entry "${r.name}" is encrypted`);
    if (r.method !== 0 && r.method !== 8) {
      throw new ZipError('unsupported', `${label}: entry "${r.name}" uses compression method ${r.method} (only stored and deflate)`);
    }
    if (r.size > limits.maxEntryBytes) {
      throw new ZipError('too-large', `${label}: entry "${r.name}" declares ${r.size} bytes; at most ${limits.maxEntryBytes} are accepted`);
    }
    total += r.size;
    if (total > limits.maxTotalBytes) {
      throw new ZipError('too-large', `${label}: entries declare more than ${limits.maxTotalBytes} bytes in total`);
    }
    const lp = r.localOffset;
    if (lp + 30 > cdOffset || buf.readUInt32LE(lp) !== 0x04034b50) {
      throw new ZipError('corrupt', `${label}: the local header of "${r.name}" is damaged`);
    }
    // Gate (pf4j) extracts with a streaming reader that trusts local headers, not the central
    // directory: a local name that differs from the central one, or an entry hidden between the
    // listed ones, would be extracted by Gate without being checked here.
    const localNameLength = buf.readUInt16LE(lp + 26);
    const localName = buf.subarray(lp + 30, lp + 30 + localNameLength).toString(r.flags & 0x0800 ? 'utf8' : 'latin1');
    if (localName !== r.name) {
      throw new ZipError('unsafe-path', `${label}: entry "${r.name}" is named "${localName}" in its local header; refusing a zip whose two names disagree`);
    }
    const expectedStart = i === 0 ? 0 : entryEnds[i - 1];
    if (lp !== expectedStart) {
      throw new ZipError('unsafe-path', `${label}: ${lp - expectedStart} unlisted bytes before "${r.name}" (a hidden entry a streaming reader would extract)`);
    }
    const dataStart = lp + 30 + localNameLength + buf.readUInt16LE(lp + 28);
    const dataEnd = dataStart + r.compressedSize;
    const nextStart = i + 1 < byOffset.length ? byOffset[i + 1].localOffset : cdOffset;
    if (dataEnd > nextStart) throw new ZipError('corrupt', `${label}: entry "${r.name}" overlaps the next entry`);
    // A data descriptor (flag bit 3) may follow the data: 12 or 16 bytes, optionally signed.
    let end = dataEnd;
    if (r.flags & 0x0008) end += nextStart - dataEnd === 16 || nextStart - dataEnd === 12 ? nextStart - dataEnd : 0;
    entryEnds.push(end);
    const raw = buf.subarray(dataStart, dataEnd);
    let data: Buffer;
    if (r.method === 0) {
      data = raw;
    } else {
      try {
        // One byte more than declared: inflating past the declared size is refused, not truncated.
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, r.size + 1) });
      } catch (e) {
        const tooBig = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        throw new ZipError(
          tooBig ? 'too-large' : 'corrupt',
          tooBig
            ? `${label}: entry "${r.name}" inflates past its declared ${r.size} bytes (zip bomb?)`
            : `${label}: entry "${r.name}" does not inflate: ${(e as Error).message}`,
        );
      }
    }
    if (data.length !== r.size) {
      throw new ZipError(
        data.length > r.size ? 'too-large' : 'corrupt',
        `${label}: entry "${r.name}" holds ${data.length} bytes but declares ${r.size}`,
      );
    }
    if ((crc32(data) >>> 0) !== r.crc) throw new ZipError('corrupt', `${label}: entry "${r.name}" fails its CRC check`);
    entries.set(r, { name: r.name, isDirectory: r.name.endsWith('/'), data: new Uint8Array(data) });
  }
  const lastEnd = entryEnds.length ? entryEnds[entryEnds.length - 1] : 0;
  if (lastEnd !== cdOffset) {
    throw new ZipError('unsafe-path', `${label}: ${cdOffset - lastEnd} unlisted bytes before the central directory (a hidden entry a streaming reader would extract)`);
  }
  return records.map((r) => entries.get(r) as ZipEntry);
}
