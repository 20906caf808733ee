import { lookup } from 'node:dns/promises';
import { isLoopbackAddress } from '../../app/serve/loopback.js';

/**
 * Whether every address a host name resolves to is loopback. Decided on the resolved addresses,
 * never on the text: `127.evil.example` starts like loopback and may resolve anywhere.
 */
export async function resolvesToLoopback(host: string): Promise<boolean> {
  try {
    const addresses = await lookup(host, { all: true, verbatim: true });
    return addresses.length > 0 && addresses.every((a) => isLoopbackAddress(a.address));
  } catch {
    return false;
  }
}
