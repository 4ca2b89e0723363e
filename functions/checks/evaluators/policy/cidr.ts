/**
 * IP addresses and CIDR blocks for the IpAddress / NotIpAddress operators
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress:
 * "RFC 4632 CIDR format"; a bare address means /32 or /128), and the question S3's definition of
 * public turns on: does a set of CIDRs leave anyone out, or does it cover every address?
 */

export interface CidrBlock {
  readonly family: 4 | 6;
  readonly start: bigint;
  readonly end: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let address = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4) {
    const tail = parseIpv4(v4[1] as string);
    if (tail === undefined) return undefined;
    address = `${address.slice(0, -(v4[1] as string).length)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? (halves[0] as string).split(':') : [];
  const tail = halves.length === 2 && halves[1] ? (halves[1] as string).split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const hextets = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const hextet of hextets) {
    if (!/^[0-9a-f]{1,4}$/i.test(hextet)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(hextet, 16));
  }
  return value;
}

/** A CIDR block or a bare address; `undefined` when the text is neither. */
export function parseCidr(text: string): CidrBlock | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const family: 4 | 6 = address.includes(':') ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  const value = family === 4 ? parseIpv4(address) : parseIpv6(address);
  if (value === undefined) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits || (prefixText ?? '0').trim() === '') {
    return undefined;
  }
  const hostBits = BigInt(bits - prefix);
  const start = (value >> hostBits) << hostBits;
  return { family, start, end: start + (1n << hostBits) - 1n };
}

export function cidrContains(block: CidrBlock, address: CidrBlock): boolean {
  return block.family === address.family && block.start <= address.start && address.end <= block.end;
}

/** True when the blocks together cover every address of the family (e.g. 0.0.0.0/1 + 128.0.0.0/1). */
export function coversEveryAddress(blocks: readonly CidrBlock[], family: 4 | 6): boolean {
  const last = family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n;
  const sorted = blocks.filter((b) => b.family === family).sort((a, b) => (a.start < b.start ? -1 : 1));
  let next = 0n;
  for (const block of sorted) {
    if (block.start > next) return false;
    if (block.end + 1n > next) next = block.end + 1n;
    if (next > last) return true;
  }
  return false;
}
