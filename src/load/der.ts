/**
 * A bounds-checked reader of DER (the X.690 subset X.509 and key files use): tag, length, content,
 * nothing more. certificate.ts and keys.ts read the few structures they need with it, because
 * decoding through @peculiar/x509 costs about 0.5 ms a certificate and OpenSSL 3's key decoders in
 * node:crypto about 0.1 ms a key, while walking the bytes costs microseconds. Every read is checked
 * against the buffer and the enclosing element; anything malformed throws DerError.
 */

/** One element: its tag byte and where its header and content lie in the buffer. */
export interface DerElement {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

export class DerError extends Error {}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** The element at `offset`, which must end at or before `limit`. */
export function readElement(buf: Uint8Array, offset: number, limit: number = buf.length): DerElement {
  if (offset + 2 > limit) throw new DerError("truncated element");
  const tag = buf[offset]!;
  // High tag numbers (0x1f) never occur in the structures read here.
  if ((tag & 0x1f) === 0x1f) throw new DerError("unsupported high tag number");
  const first = buf[offset + 1]!;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = offset + 2;
  } else {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length, which DER forbids; more than 4 bytes exceeds any file we read.
    if (count === 0 || count > 4) throw new DerError("invalid length");
    if (offset + 2 + count > limit) throw new DerError("truncated length");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[offset + 2 + i]!;
    contentStart = offset + 2 + count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError("element runs past its container");
  return { tag, start: offset, contentStart, end };
}

/** The element at `offset`, which must have tag `tag`. */
export function expectElement(buf: Uint8Array, offset: number, tag: number, limit?: number): DerElement {
  const element = readElement(buf, offset, limit);
  if (element.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`);
  return element;
}

/** The elements inside a constructed element, in order. */
export function childrenOf(buf: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readElement(buf, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** The single element that fills the whole buffer (trailing bytes are an error, as in DER). */
export function readWhole(buf: Uint8Array, tag: number): DerElement {
  const element = expectElement(buf, 0, tag);
  if (element.end !== buf.length) throw new DerError("trailing bytes after the element");
  return element;
}

export function contentOf(buf: Uint8Array, element: DerElement): Uint8Array {
  return buf.subarray(element.contentStart, element.end);
}

/** Bytes read as an unsigned big-endian number (0 for none): RSA key parts, EC coordinates, IPv6 addresses. */
export function unsignedInteger(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}

/** The whole element, header included. */
export function bytesOf(buf: Uint8Array, element: DerElement): Uint8Array {
  return buf.subarray(element.start, element.end);
}

/** Dotted text of an OBJECT IDENTIFIER's content. */
export function oidText(buf: Uint8Array, element: DerElement): string {
  if (element.tag !== TAG.OID || element.end === element.contentStart) throw new DerError("not an object identifier");
  const arcs: number[] = [];
  let value = 0;
  for (let i = element.contentStart; i < element.end; i++) {
    const byte = buf[i]!;
    if (value === 0 && byte === 0x80) throw new DerError("non-minimal object identifier arc");
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError("object identifier arc too large");
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  if ((buf[element.end - 1]! & 0x80) !== 0) throw new DerError("truncated object identifier");
  return arcs.join(".");
}

/** The bits of a BIT STRING (its first content byte counts the unused trailing bits). */
export function bitStringBytes(buf: Uint8Array, element: DerElement): Uint8Array {
  if (element.tag !== TAG.BIT_STRING || element.end === element.contentStart) throw new DerError("not a bit string");
  if (buf[element.contentStart]! > 7) throw new DerError("invalid unused-bit count");
  return buf.subarray(element.contentStart + 1, element.end);
}

/** Text of a directory string (UTF8String, PrintableString, IA5String, T61String, BMPString, UniversalString). */
export function stringText(buf: Uint8Array, element: DerElement): string {
  const bytes = contentOf(buf, element);
  switch (element.tag) {
    case TAG.UTF8_STRING:
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    case TAG.T61_STRING:
      // Teletex strings in certificates are Latin-1 in practice (Go and OpenSSL read them so).
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    case TAG.BMP_STRING: {
      if (bytes.length % 2 !== 0) throw new DerError("odd-length BMPString");
      let text = "";
      for (let i = 0; i < bytes.length; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
      return text;
    }
    case TAG.UNIVERSAL_STRING: {
      if (bytes.length % 4 !== 0) throw new DerError("UniversalString length not a multiple of 4");
      let text = "";
      for (let i = 0; i < bytes.length; i += 4) text += String.fromCodePoint(((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0);
      return text;
    }
    default:
      throw new DerError(`not a directory string (tag 0x${element.tag.toString(16)})`);
  }
}

/** UTCTime or GeneralizedTime (whole seconds, Z, optional fraction) as a Date. */
export function timeValue(buf: Uint8Array, element: DerElement): Date {
  const text = Buffer.from(contentOf(buf, element)).toString("latin1");
  const match =
    element.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : element.tag === TAG.GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text)
        : null;
  if (!match) throw new DerError("invalid time");
  const [, yearText, month, day, hour, minute, second] = match as unknown as [string, string, string, string, string, string, string];
  // RFC 5280 §4.1.2.5.1: UTCTime years 50–99 are 19xx, 00–49 are 20xx.
  const year = element.tag === TAG.UTC_TIME ? (Number(yearText) >= 50 ? 1900 : 2000) + Number(yearText) : Number(yearText);
  const date = new Date(Date.UTC(year, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) throw new DerError("invalid date");
  return date;
}

/** DER header bytes for an element of `tag` with `length` content bytes. */
function header(tag: number, length: number): number[] {
  if (length < 0x80) return [tag, length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return [tag, 0x80 | bytes.length, ...bytes];
}

/** Encode one element from its content parts (for building SubjectPublicKeyInfo). */
export function encodeElement(tag: number, ...parts: Uint8Array[]): Buffer {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  return Buffer.concat([Buffer.from(header(tag, length)), ...parts]);
}
