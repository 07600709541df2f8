/**
 * A TCP proxy the test controls, put between the API and PostgreSQL or
 * Redis: `cut()` drops every open connection at once (a server restart, a
 * network blip, in the middle of whatever was being written), `refuse()`
 * also stops listening, so new connections are refused (the server is
 * down), and `restore()` listens again on the same port.
 */
import net from 'node:net';

export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  /** Connections accepted so far (each counts once). */
  accepted = 0;
  /** Connections dropped as they came, while `dropNew` (each a client's attempt to connect). */
  dropped = 0;
  /** While true, every new connection is closed as soon as it is accepted (a server not yet up). */
  dropNew = false;

  private constructor(
    private readonly target: { host: string; port: number },
    /** The port the proxy listens on, 127.0.0.1. */
    readonly port: number,
  ) {}

  /** A proxy to `target`, listening on a free port of 127.0.0.1. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    await new Promise((resolve) => probe.close(resolve));
    const proxy = new TcpProxy(target, address.port);
    await proxy.restore();
    return proxy;
  }

  /** The same URL, pointing at this proxy. */
  urlFor(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Open connections through the proxy (client sides). */
  get openConnections(): number {
    return this.sockets.size / 2;
  }

  /** Listens again (if not already). */
  async restore(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      if (this.dropNew) {
        this.dropped++;
        client.on('error', () => undefined);
        client.destroy();
        return;
      }
      this.accepted++;
      const upstream = net.connect(this.target.port, this.target.host);
      this.track(client);
      this.track(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Drops every open connection, both ways, at once. */
  cut(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Drops every connection and refuses new ones until `restore`. */
  async refuse(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.cut();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  async close(): Promise<void> {
    await this.refuse();
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    // A peer's reset is what a cut looks like: nothing to report.
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
