import { lookup } from 'node:dns/promises';
import { isLoopbackAddress } from '../../app/serve/loopback.js';

/**
 * The address to bind for a host that must be loopback, or null when any address the name resolves
 * to is not. Decided on the resolved addresses, never on the text (`127.evil.example` starts like
 * loopback and may resolve anywhere), and the server binds the address found here rather than the
 * name: a second lookup at listen time could answer otherwise.
 */
export async function loopbackAddressOf(host: string): Promise<string | null> {
  try {
    const addresses = await lookup(host, { all: true, verbatim: true });
    return addresses.length > 0 && addresses.every((a) => isLoopbackAddress(a.address)) ? addresses[0].address : null;
  } catch {
    return null;
  }
}
