/**
 * A byte-for-byte reproducible zip writer. Written by hand (about sixty lines) so that every byte is
 * ours: entries in the order given, one fixed DOS timestamp, deflate at a fixed level through
 * fflate (pure JavaScript, so the output does not depend on the zlib build or CPU the way Node's
 * zlib can), no extra fields, no comments, no data descriptors, no platform attributes.
 */
import { crc32 } from 'node:zlib';

import { deflateSync } from 'fflate';

export interface ZipInput {
  name: string;
  data: Uint8Array;
}

export interface ZipOptions {
  /** Seconds since the epoch written as every entry's time (UTC wall clock). Default 1980-01-01. */
  mtimeEpochSeconds?: number;
  /** Deflate level; fixed so two runs compress alike. */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

/** The earliest time a zip (DOS) timestamp can hold. */
export const DOS_EPOCH_SECONDS = Date.UTC(1980, 0, 1) / 1000;

/** DOS date and time fields from UTC (zip times carry no zone: UTC keeps them machine-independent). */
export function dosDateTime(epochSeconds: number): { date: number; time: number } {
  const d = new Date(Math.max(epochSeconds, DOS_EPOCH_SECONDS) * 1000);
  const year = Math.min(d.getUTCFullYear(), 2107);
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
  };
}

export function writeZip(entries: readonly ZipInput[], options: ZipOptions = {}): Uint8Array {
  const { date, time } = dosDateTime(options.mtimeEpochSeconds ?? DOS_EPOCH_SECONDS);
  const level = options.level ?? 9;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) throw new Error(`duplicate zip entry ${entry.name}`);
    seen.add(entry.name);
    const name = Buffer.from(entry.name, 'utf8');
    const ascii = /^[\x20-\x7e]*$/.test(entry.name);
    const flags = ascii ? 0 : 0x0800; // bit 11: the name is UTF-8
    const compressed = deflateSync(entry.data, { level });
    const crc = crc32(entry.data) >>> 0;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // no extra field
    locals.push(local, name, Buffer.from(compressed));

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: MS-DOS, 2.0 (no Unix mode bits to vary)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk, internal and external attributes: all zero
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, ...centrals, end]));
}
