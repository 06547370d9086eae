/** One `-----BEGIN LABEL-----` block of a PEM file. */
export interface PemBlock {
  label: string;
  der: Buffer;
  /** RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED` (an encrypted legacy key). */
  encrypted: boolean;
  /** The block carries RFC 1421 header lines (`Name: value`). */
  hasHeaders: boolean;
}

export interface PemParse {
  blocks: PemBlock[];
  /** Blocks whose base64 body is corrupt, by label. */
  corrupt: string[];
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]{1,64})-----([\s\S]*?)-----END \1-----/g;

const STANDARD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The bytes of standard base64 text (A–Z, a–z, 0–9, "+", "/", then at most two "="), or undefined
 * when the text is anything else or 4n+1 characters long, which no base64 encoder writes.
 * The checks run in C++, where the regular expression over every character of every certificate
 * cost more than the decoding: text beyond ASCII is refused first (Node's decoder reads only the
 * low byte of each character, so "Ł" would pass for "A"); of ASCII, the decoder skips characters
 * it does not know and stops at "=", so such a character makes it return fewer bytes than the
 * text's digits promise; and it reads base64url's "-" and "_", which standard base64 does not
 * have. Only when the digits number 4n+1 (the last one carries no whole byte) could one skipped
 * character go unnoticed: such text is checked character by character.
 */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 === 1 || Buffer.byteLength(text, "utf8") !== text.length) return undefined;
  let padding = 0;
  while (padding < 2 && text.charCodeAt(text.length - 1 - padding) === 0x3d) padding++;
  const digits = text.length - padding;
  if (digits % 4 === 1) return STANDARD_BASE64.test(text) ? Buffer.from(text, "base64") : undefined;
  if (text.includes("-") || text.includes("_")) return undefined;
  const bytes = Buffer.from(text, "base64");
  return bytes.length === Math.floor((digits * 3) / 4) ? bytes : undefined;
}

/**
 * Parse every PEM block in a text, tolerating text before, between and after blocks (openssl
 * dumps, comments) and CRLF line ends, as Go's pem.Decode does.
 */
export function parsePem(text: string): PemParse {
  const blocks: PemBlock[] = [];
  const corrupt: string[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const label = match[1] as string;
    const lines = (match[2] as string).split(/\r?\n/).map((line) => line.trim());
    const encrypted = lines.some((line) => /^Proc-Type:.*ENCRYPTED/i.test(line));
    const body = lines.filter((line) => line.length > 0 && !line.includes(":")).join("");
    const der = body.length === 0 ? undefined : decodeBase64(body);
    if (der === undefined) {
      corrupt.push(label);
      continue;
    }
    blocks.push({ label, der, encrypted, hasHeaders: lines.some((line) => line.includes(":")) });
  }
  return { blocks, corrupt };
}

export function looksLikePem(bytes: Buffer): boolean {
  return bytes.includes("-----BEGIN ");
}
