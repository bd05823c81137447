import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy on 127.0.0.1 that a test can take down (cutting every connection) and bring back on the same port. */
export interface TcpProxy {
  readonly port: number;
  up(): Promise<void>;
  down(): Promise<void>;
}

/**
 * Starts a proxy to `host:port`, so one client's connection (Redis, a WebSocket) can go away and
 * come back while the server behind it keeps running for everyone else.
 */
export async function startTcpProxy(host: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    server = createServer((client) => {
      const upstream = connect(targetPort, host);
      for (const [from, to] of [[client, upstream], [upstream, client]]) {
        sockets.add(from);
        from.pipe(to);
        from.on('error', () => to.destroy());
        from.on('close', () => { sockets.delete(from); to.destroy(); });
      }
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  };
  const down = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  };
  await up();
  return { get port() { return port; }, up, down };
}
