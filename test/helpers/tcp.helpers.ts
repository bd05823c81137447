/**
 * TCP-level test helpers: free and refused ports, and a proxy that can cut a connection to a
 * real server and bring it back (for a dependency that goes away while the rest keeps running).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A free TCP port on 127.0.0.1 (for a process that must come back on the same port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A local port nothing listens on, so connecting to it is refused at once. */
export const refusedPort = freePort;

/** Whether `port` can be listened on now (nothing holds it). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** A proxy that can be taken down and brought back up on the same port. */
export interface TcpProxy {
  /** The proxy's port on 127.0.0.1 (the same after `down` and `up`). */
  port: number;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Cuts every open connection and stops listening. */
  down(): Promise<void>;
}

/** A TCP proxy on a free local port in front of `host:port`; it is up when returned. */
export async function tcpProxy(host: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const proxy: TcpProxy = {
    port: 0,
    async up() {
      server = createServer((client) => {
        const upstream = connect(targetPort, host);
        for (const [from, to] of [[client, upstream], [upstream, client]]) {
          sockets.add(from);
          from.pipe(to);
          from.on('error', () => to.destroy());
          from.on('close', () => { sockets.delete(from); to.destroy(); });
        }
      });
      await new Promise<void>((resolve) => server!.listen(proxy.port, '127.0.0.1', resolve));
      proxy.port = (server.address() as { port: number }).port;
    },
    async down() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    },
  };
  await proxy.up();
  return proxy;
}
