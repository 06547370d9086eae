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
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

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
    if (body.length === 0 || !BASE64_BODY.test(body) || body.length % 4 === 1) {
      corrupt.push(label);
      continue;
    }
    blocks.push({ label, der: Buffer.from(body, "base64"), encrypted, hasHeaders: lines.some((line) => line.includes(":")) });
  }
  return { blocks, corrupt };
}

export function looksLikePem(bytes: Buffer): boolean {
  return bytes.includes("-----BEGIN ");
}
