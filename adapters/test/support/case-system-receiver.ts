/**
 * A case system's inbox for crash tests: takes every outbound message an adapter delivers (`POST /inbox`, one
 * XML message, 200 when it parses) and keeps each delivery in arrival order with its bytes, so a test can see
 * redeliveries (same `nachrichtUUID`, same bytes) and what each partner event carried.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMessage, type Message } from '../../src/message';

/** One delivery as it arrived. */
export interface Delivery {
  readonly nachrichtUUID: string;
  readonly kind: Message['kind'];
  readonly xml: string;
  readonly eventType?: string;
  readonly caseId?: string;
  /** Of an event: the ledger's `sourceMessageId` and writer (the `quittung`) and the AZR number it carried. */
  readonly sourceMessageId?: string;
  readonly txId?: string;
  readonly writer?: string;
  readonly azrNummer?: string;
}

/** The inbox. */
export class CaseSystemReceiver {
  private server: Server | undefined;
  readonly deliveries: Delivery[] = [];
  refused = 0;

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (address === undefined) throw new Error('receiver not started');
    return `http://127.0.0.1:${address.port}/inbox`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const parsed = req.method === 'POST' && req.url === '/inbox' ? parseMessage(bytes) : undefined;
        if (parsed === undefined || !parsed.ok) {
          this.refused += 1;
          res.writeHead(400).end();
          return;
        }
        this.deliveries.push(summary(parsed.message, bytes.toString('utf8')));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  /** Event deliveries of the given cases. */
  eventsOf(caseIds: ReadonlySet<string>): Delivery[] {
    return this.deliveries.filter((d) => d.kind === 'event' && d.caseId !== undefined && caseIds.has(d.caseId));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function summary(m: Message, xml: string): Delivery {
  const id = m.body.nachrichtenkopf.nachrichtUUID;
  switch (m.kind) {
    case 'event': {
      const q = m.body.quittung;
      const ident = m.body.identifikation;
      return {
        nachrichtUUID: id,
        kind: 'event',
        xml,
        eventType: m.eventType,
        ...(ident.fallId === undefined ? {} : { caseId: ident.fallId }),
        ...(ident.azrNummer === undefined ? {} : { azrNummer: ident.azrNummer }),
        ...(q === undefined ? {} : { sourceMessageId: q.sourceMessageId, txId: q.txId, writer: q.writer }),
      };
    }
    case 'notice':
      return { nachrichtUUID: id, kind: 'notice', xml, ...(m.body.identifikation.fallId === undefined ? {} : { caseId: m.body.identifikation.fallId }) };
    case 'returnToSender':
      return { nachrichtUUID: id, kind: 'returnToSender', xml };
  }
}
