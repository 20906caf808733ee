/** `[::1]` as `::1`, lower-case: how a Host header and a --host compare. */
export const unbracket = (host: string): string => host.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** The four parts of a dotted-quad IPv4 address, each 0 to 255; null for anything else. */
function ipv4Parts(text: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:127.0.0.1`, `::ffff:7f00:1`), dotted. */
function mappedIpv4(text: string): string | null {
  const m = /^(?:0{1,4}:){5}ffff:(.+)$|^::ffff:(.+)$/.exec(text);
  const rest = m?.[1] ?? m?.[2];
  if (!rest) return null;
  if (ipv4Parts(rest)) return rest;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(rest);
  if (!hex) return null;
  const hi = parseInt(hex[1], 16);
  const lo = parseInt(hex[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/**
 * True for an address this machine alone answers: 127.0.0.0/8, ::1 and IPv4-mapped loopback.
 * Takes addresses as resolvers and browsers write them (`::1`, not every legal spelling of it).
 */
export function isLoopbackAddress(address: string): boolean {
  const bare = unbracket(address);
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = ipv4Parts(bare) ?? ipv4Parts(mappedIpv4(bare) ?? '');
  return v4 !== null && v4[0] === 127;
}

/** An address literal rather than a name: DNS can re-point a name, never a literal. */
export function isAddressLiteral(host: string): boolean {
  const bare = unbracket(host);
  return ipv4Parts(bare) !== null || (bare.includes(':') && /^[0-9a-f:.]+$/.test(bare));
}

/** Listening on every interface (0.0.0.0 or ::). */
export function isWildcardAddress(host: string): boolean {
  const bare = unbracket(host);
  return bare === '0.0.0.0' || bare === '::' || bare === '0:0:0:0:0:0:0:0';
}
