/**
 * A TCP proxy in front of a gateway for crash tests: it forwards bytes both ways unchanged and tells the test when
 * a request it waits for has gone through to the gateway (its request line seen in the client's bytes), and
 * optionally when the gateway's answer to it came back — holding that answer back from the client — so the test can
 * kill the gateway at a known point of that request: a signal, not a guess by time. When either side closes or
 * fails, both are closed, as a crashed gateway's connections are.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** What {@link TcpProxy.intercept} reports. */
export interface Interception {
  /** Resolves once the matching request's bytes were written to the gateway. */
  readonly sent: Promise<void>;
  /** With `holdAnswer`: resolves with the status line of the gateway's answer, which the client never gets. */
  readonly answered: Promise<string>;
}

interface Watch {
  readonly pattern: RegExp;
  readonly holdAnswer: boolean;
  readonly sent: () => void;
  readonly answered: (statusLine: string) => void;
}

/** A running proxy. */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private watch: Watch | undefined;

  constructor(
    private readonly upstreamPort: number,
    private readonly upstreamHost = '127.0.0.1',
  ) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (address === undefined) throw new Error('proxy not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.upstreamPort, this.upstreamHost);
      this.sockets.add(client);
      this.sockets.add(upstream);
      /** Set once this connection carried the watched request and its answer is to be held back. */
      let holding: Watch | undefined;
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('data', (chunk: Buffer) => {
        const watch = this.watch;
        const seen = watch !== undefined && watch.pattern.test(chunk.toString('latin1'));
        if (seen) {
          this.watch = undefined;
          if (watch.holdAnswer) holding = watch;
        }
        upstream.write(chunk, () => {
          if (seen) watch.sent();
        });
      });
      upstream.on('data', (chunk: Buffer) => {
        if (holding === undefined) {
          client.write(chunk);
          return;
        }
        holding.answered(chunk.toString('latin1').split('\r\n')[0] ?? '');
      });
      client.on('close', close);
      upstream.on('close', close);
      client.on('error', close);
      upstream.on('error', close);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  /**
   * Watches for the next request whose bytes match `requestLine` (e.g. `/^POST \/api\/v1\/cases\/\S+\/events /m`).
   * With `holdAnswer`, nothing the gateway sends on that connection afterwards reaches the client.
   */
  intercept(requestLine: RegExp, options: { holdAnswer: boolean }): Interception {
    if (this.watch !== undefined) throw new Error('already waiting for a request');
    let sent!: () => void;
    let answered!: (statusLine: string) => void;
    const result: Interception = {
      sent: new Promise<void>((resolve) => (sent = resolve)),
      answered: new Promise<string>((resolve) => (answered = resolve)),
    };
    this.watch = { pattern: requestLine, holdAnswer: options.holdAnswer, sent, answered };
    return result;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
