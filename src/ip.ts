/** Dotted IPv4 without leading zeros, as Go's net.ParseIP (and Node's net.isIPv4) accept it. */
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * Canonical text of an IP address (IPv6 compressed per RFC 5952), or null when it is not one.
 * (Not node:net's isIP: its IPv6 expression takes milliseconds to compile on first use.)
 */
export function normalizeIP(text: string): string | null {
  const bare = text.replace(/^\[(.*)\]$/, "$1");
  if (IPV4.test(bare)) return bare;
  if (!bare.includes(":")) return null;
  const value = parseIPv6(bare);
  return value === undefined ? null : formatIPv6(value);
}

/** The first address of a CIDR's network plus one: the `kubernetes` Service's cluster IP. */
export function firstServiceIP(cidrList: string | undefined): string | undefined {
  const cidr = cidrList?.split(",")[0]?.trim();
  if (!cidr) return undefined;
  const [address, prefixText] = cidr.split("/");
  const prefix = Number(prefixText);
  if (!address || !Number.isInteger(prefix)) return undefined;
  if (address.includes(":")) {
    const value = parseIPv6(address);
    if (value === undefined || prefix < 0 || prefix > 128) return undefined;
    const mask = prefix === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - prefix)) - 1n);
    return formatIPv6((value & mask) + 1n);
  }
  const octets = address.split(".").map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || prefix < 0 || prefix > 32) return undefined;
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const network = prefix === 0 ? 0 : Math.floor(value / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
  const first = network + 1;
  return [24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256).join(".");
}

export function parseIPv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) + BigInt(parseInt(group, 16));
  }
  return value;
}

export function formatIPv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 asks.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLength && j - i > 1) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  if (bestStart < 0) return groups.join(":");
  return `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLength).join(":")}`;
}

