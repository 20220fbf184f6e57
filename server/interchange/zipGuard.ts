/**
 * Opens every entry of a ZIP package with a cap on what it unpacks to, before anything else reads
 * it. mammoth reads a .docx through JSZip, which inflates a whole entry into memory and compares its
 * size with the header only afterwards; the sizes a ZIP declares are written by whoever made the
 * file, so a zip bomb can claim 1 KB and unpack to gigabytes. Here each entry is inflated with
 * Node's `inflateRawSync` and a `maxOutputLength`: inflating stops as soon as the entry passes its
 * cap (or the package passes its total), whatever the headers say. Entries are found the way JSZip
 * finds them: the central directory for names, methods and compressed sizes, each entry's local
 * header for where its data starts.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Unpacked bytes of one entry. */
  entryBytes: number;
  /** Unpacked bytes of all entries together. */
  totalBytes: number;
  /** Entries in the package. */
  entries: number;
}

/** Why a package was refused; `tooLarge` for a cap passed (answered 413), else it is damaged or unsupported. */
export class ZipRefusal extends Error {
  constructor(message: string, readonly tooLarge: boolean) {
    super(message);
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  /** The unpacked size the central directory claims (not trusted). */
  declaredSize: number;
  /** Offset of the entry's data (after its local header). */
  dataStart: number;
}

const MB = 1024 * 1024;
const size = (bytes: number) => (bytes >= MB ? `${Math.round(bytes / MB)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`);
const damaged = (why: string) => new ZipRefusal(`it is damaged or incomplete (${why}): save it again from Word`, false);

/** The entries of the central directory, with their data offsets read from the local headers. */
export function zipEntries(data: Buffer, maxEntries = Infinity): ZipEntry[] {
  const min = Math.max(0, data.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = data.length - 22; i >= min; i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged('its ZIP directory cannot be read');
  const count = data.readUInt16LE(eocd + 10);
  let at = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new ZipRefusal('it is a ZIP64 package, which is not accepted: a Word article is never that large', true);
  if (count > maxEntries) throw new ZipRefusal(`too complex: more than ${maxEntries.toLocaleString('en-US')} ZIP entries (the most accepted)`, true);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) throw damaged('its ZIP directory is cut short');
    const flags = data.readUInt16LE(at + 8);
    const method = data.readUInt16LE(at + 10);
    const compressedSize = data.readUInt32LE(at + 20);
    const declaredSize = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const local = data.readUInt32LE(at + 42);
    if (compressedSize === 0xffffffff || declaredSize === 0xffffffff || local === 0xffffffff) {
      throw new ZipRefusal('it is a ZIP64 package, which is not accepted: a Word article is never that large', true);
    }
    const name = data.toString('utf8', at + 46, Math.min(data.length, at + 46 + nameLength));
    if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50) throw damaged(`the ZIP entry "${name}" is missing`);
    const dataStart = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    if (dataStart + compressedSize > data.length) throw damaged(`the ZIP entry "${name}" is cut short`);
    entries.push({ name, method, flags, compressedSize, declaredSize, dataStart });
    at += 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * Unpacks every entry within the caps and hands each one's bytes to `inspect` (which may return a
 * reason to refuse the package); nothing is kept. Throws `ZipRefusal`. Returns the total unpacked.
 */
export function checkZip(data: Buffer, limits: ZipLimits, inspect?: (entry: ZipEntry, bytes: Buffer) => string | undefined): number {
  let total = 0;
  for (const entry of zipEntries(data, limits.entries)) {
    if (entry.flags & 0x1) throw new ZipRefusal('it is encrypted (password-protected): save it without a password', false);
    const packed = data.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
    const room = Math.min(limits.entryBytes, limits.totalBytes - total);
    const over = () =>
      room === limits.entryBytes
        ? new ZipRefusal(`too large: its part "${entry.name}" unpacks to more than ${size(limits.entryBytes)} (the most accepted for one part), though its ZIP header says ${size(entry.declaredSize)}`, true)
        : new ZipRefusal(`too large: it unpacks to more than ${size(limits.totalBytes)} (the most accepted), though its ZIP headers say less`, true);
    let bytes: Buffer;
    if (entry.method === 0) {
      if (packed.length > room) throw over();
      bytes = packed;
    } else if (entry.method === 8) {
      try {
        bytes = inflateRawSync(packed, { maxOutputLength: Math.max(1, room) });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw over();
        throw damaged(`its part "${entry.name}" cannot be unpacked: ${(e as Error).message}`);
      }
    } else {
      throw new ZipRefusal(`its part "${entry.name}" uses ZIP compression method ${entry.method}, which Word does not write: save it again from Word`, false);
    }
    total += bytes.length;
    const problem = inspect?.(entry, bytes);
    if (problem) throw new ZipRefusal(`${problem}, in its part "${entry.name}"`, true);
  }
  return total;
}
