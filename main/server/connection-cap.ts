import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * At most `max` open connections. When one more arrives, the oldest connection that is not in the
 * middle of a request (idle keep-alive, or still trickling its headers) is closed to make room, so
 * slow or half-open clients cannot hold every slot; only when all are busy is the newcomer refused.
 */
export function capConnections(server: Server, max: number): void {
  // insertion order is age order
  const open = new Map<Socket, { busy: number }>();
  server.on('connection', (socket: Socket) => {
    open.set(socket, { busy: 0 });
    socket.once('close', () => open.delete(socket));
    if (open.size <= max) return;
    for (const [s, state] of open) {
      if (state.busy === 0) {
        s.destroy();
        return;
      }
    }
  });
  server.on('request', (req, res) => {
    const state = open.get(req.socket);
    if (!state) return;
    state.busy++;
    res.once('close', () => state.busy--);
  });
}
