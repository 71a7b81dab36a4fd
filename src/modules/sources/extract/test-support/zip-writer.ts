import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntryInput {
  name: string;
  data: Buffer | string;
  /** Deflate (default) or store. */
  compress?: boolean;
  /** Uncompressed size to write in the headers instead of the real one (a lying archive). */
  declaredSize?: number;
}

/**
 * A minimal zip writer for tests: unlike zip libraries it writes whatever names it is given
 * (`../../evil`), which is what hostile-archive tests need.
 */
export function buildZip(entries: ZipEntryInput[]): Buffer {
  const localParts: Buffer[] = [];
  const centralParts: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const compress = entry.compress ?? true;
    const body = compress ? deflateRawSync(raw) : raw;
    const common = { method: compress ? 8 : 0, crc: crc32(raw), compressed: body.length, uncompressed: entry.declaredSize ?? raw.length, name };
    const local = localHeader(common);
    localParts.push(local, body);
    centralParts.push(centralHeader(common, offset));
    offset += local.length + body.length;
  }
  const central = Buffer.concat(centralParts);
  return Buffer.concat([...localParts, central, endOfCentralDirectory(entries.length, central.length, offset)]);
}

interface HeaderFields {
  method: number;
  crc: number;
  compressed: number;
  uncompressed: number;
  name: Buffer;
}

function localHeader(fields: HeaderFields): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4); // version needed
  header.writeUInt16LE(0x0800, 6); // UTF-8 names
  header.writeUInt16LE(fields.method, 8);
  header.writeUInt32LE(fields.crc >>> 0, 14);
  header.writeUInt32LE(fields.compressed, 18);
  header.writeUInt32LE(fields.uncompressed, 22);
  header.writeUInt16LE(fields.name.length, 26);
  return Buffer.concat([header, fields.name]);
}

function centralHeader(fields: HeaderFields, localOffset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(20, 4); // version made by
  header.writeUInt16LE(20, 6); // version needed
  header.writeUInt16LE(0x0800, 8);
  header.writeUInt16LE(fields.method, 10);
  header.writeUInt32LE(fields.crc >>> 0, 16);
  header.writeUInt32LE(fields.compressed, 20);
  header.writeUInt32LE(fields.uncompressed, 24);
  header.writeUInt16LE(fields.name.length, 28);
  header.writeUInt32LE(localOffset, 42);
  return Buffer.concat([header, fields.name]);
}

function endOfCentralDirectory(count: number, centralSize: number, centralOffset: number): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(centralSize, 12);
  record.writeUInt32LE(centralOffset, 16);
  return record;
}
