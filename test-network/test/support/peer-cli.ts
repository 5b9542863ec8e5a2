import { execFile } from 'node:child_process';
import type { Connection, ConnectionOrg } from '@asl/network/connection';
import { locateFabric } from '../../../network/src/binaries';

/**
 * Fabric's own `peer` CLI (built from ../shared/third_party into the binary cache, located as the network tooling
 * does) calling the chaincode straight at the peers, signed by one identity: no gateway, no fabric-gateway client.
 * The environment is the one `peerAdminEnv` (network/src/generators/peer.ts) builds for the org admin, for any MSP
 * folder and TLS pair.
 */

/** Who the CLI signs as: an MSP folder under an MSP ID, and the TLS pair it presents (peers require one). */
export interface CliIdentity {
  readonly mspId: string;
  /** The local MSP folder (signcerts, keystore, cacerts, config.yaml). */
  readonly msp: string;
  readonly tls: { readonly certificate: string; readonly privateKey: string };
}

/** A peer the CLI talks to. */
export interface CliPeer {
  readonly endpoint: string;
  readonly hostAlias: string;
  readonly tlsRootCert: string;
}

/** What one CLI call ended with. */
export interface CliOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  /** stderr without the CLI's own log noise (gRPC keepalive warnings, colour codes). */
  readonly stderr: string;
  readonly durationMs: number;
}

/** What a call answered, classified. */
export interface CliAnswer {
  /** `OK`, the chaincode's `[CODE]`, `PEER_ACCESS_DENIED` (the peer refused the proposal) or `ERROR`. */
  readonly answer: string;
  /** The refusal text the CLI printed (the chaincode's message or the peer's), for the report. */
  readonly message?: string;
  /** For an invoke that committed: its transaction ID. */
  readonly txId?: string;
  /** For an invoke: the validation code per peer address, as the peers' deliver service reported it. */
  readonly commits?: Readonly<Record<string, string>>;
  /** For a successful call: the chaincode's answer. */
  readonly payload?: string;
  readonly durationMs: number;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Removes colour codes and the gRPC keepalive notice the CLI logs on every connection. */
function cleanStderr(text: string): string {
  return text
    .replace(ANSI, '')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes('Adjusting keepalive ping interval'))
    .join('\n');
}

/** The value of a Go `%q`-printed string starting at `from` (the CLI prints payloads and messages that way). */
function goQuoted(text: string, from: number): string | undefined {
  if (text[from] !== '"') return undefined;
  let out = '';
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      const n = text[i + 1];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : (n ?? '');
      i++;
    } else if (c === '"') {
      return out;
    } else {
      out += c;
    }
  }
  return undefined;
}

/** Classifies a CLI call: success, a chaincode `[CODE]`, a refusal by the peer itself, or something else. */
export function classify(kind: 'invoke' | 'query', o: CliOutcome): CliAnswer {
  const base = { durationMs: o.durationMs };
  if (o.exitCode === 0) {
    if (kind === 'query') return { ...base, answer: 'OK', payload: o.stdout.trim() };
    const commits: Record<string, string> = {};
    let txId: string | undefined;
    for (const m of o.stderr.matchAll(/txid \[([0-9a-f]+)\] committed with status \((\w+)\) at (\S+)/g)) {
      txId = m[1];
      commits[m[3] ?? ''] = m[2] ?? '';
    }
    const at = o.stderr.indexOf('payload:');
    const payload = at < 0 ? undefined : goQuoted(o.stderr, at + 'payload:'.length);
    return { ...base, answer: 'OK', ...(txId === undefined ? {} : { txId }), commits, ...(payload === undefined ? {} : { payload }) };
  }
  const text = o.stderr;
  const msgAt = text.indexOf('message:');
  const chaincodeMessage = msgAt < 0 ? undefined : goQuoted(text, msgAt + 'message:'.length);
  const code = chaincodeMessage === undefined ? undefined : /^\[([A-Z_]+)\] /.exec(chaincodeMessage)?.[1];
  if (code !== undefined && chaincodeMessage !== undefined) return { ...base, answer: code, message: chaincodeMessage };
  const errorLine = text.split('\n').find((l) => l.startsWith('Error: ')) ?? text.split('\n').pop() ?? '';
  if (errorLine.includes('access denied')) return { ...base, answer: 'PEER_ACCESS_DENIED', message: errorLine };
  const invalidated = /transaction invalidated with status \((\w+)\)/.exec(text);
  if (invalidated) return { ...base, answer: `INVALID_${invalidated[1] ?? ''}`, message: errorLine };
  return { ...base, answer: 'ERROR', message: errorLine };
}

/** Runs the `peer` binary with `args` and `env`; never rejects. */
function run(peerBin: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CliOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(peerBin, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ exitCode, stdout, stderr: cleanStderr(stderr), durationMs: Date.now() - started });
    });
  });
}

/** Limits how many CLI processes run at once (2 cores: the peers and chaincode servers need them too). */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(n: number) {
    this.#free = n;
  }
  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next !== undefined) next();
      else this.#free++;
    }
  }
}

/** A transaction call: name, its one JSON argument, optional transient data. */
export interface Call {
  readonly transaction: string;
  readonly argument: unknown;
  /** Transient map entries (the CLI sends `--transient` as JSON with base64 values). */
  readonly transient?: Readonly<Record<string, Uint8Array>>;
}

/** The `peer` CLI bound to the running network of connection.json. */
export class PeerCli {
  readonly #slots: Slots;

  private constructor(
    readonly peerBin: string,
    readonly fabricCfgPath: string,
    readonly connection: Connection,
    parallel: number,
  ) {
    this.#slots = new Slots(parallel);
  }

  /** Locates the `peer` binary and its sample config; fails when the binaries are not there. */
  static async open(connection: Connection, parallel = 4): Promise<PeerCli> {
    const fabric = await locateFabric();
    if (fabric === undefined) throw new Error('Fabric binaries not found (npx tsx network/src/cli.ts ensure-binaries)');
    return new PeerCli(fabric.tools.peer, fabric.sampleConfig, connection, parallel);
  }

  /** The first peer of an organisation (`bamf`, `zab`). */
  peer(org: string): CliPeer {
    const o: ConnectionOrg | undefined = this.connection.orgs[org];
    const p = o?.peers[0];
    if (p === undefined) throw new Error(`no peer of ${org} in the connection description`);
    return { endpoint: p.endpoint, hostAlias: p.hostAlias, tlsRootCert: p.tlsRootCert };
  }

  /**
   * Environment of the CLI signing as `who` (cf. peerAdminEnv): local MSP, TLS on, client certificate. No host
   * override: the nodes' TLS certificates name 127.0.0.1, and one override would apply to every peer address.
   */
  env(who: CliIdentity, target: CliPeer, logSpec: string): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      FABRIC_CFG_PATH: this.fabricCfgPath,
      FABRIC_LOGGING_SPEC: logSpec,
      CORE_PEER_LOCALMSPID: who.mspId,
      CORE_PEER_MSPCONFIGPATH: who.msp,
      CORE_PEER_ADDRESS: target.endpoint,
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_TLS_ROOTCERT_FILE: target.tlsRootCert,
      CORE_PEER_TLS_CLIENTAUTHREQUIRED: 'true',
      CORE_PEER_TLS_CLIENTCERT_FILE: who.tls.certificate,
      CORE_PEER_TLS_CLIENTKEY_FILE: who.tls.privateKey,
    };
  }

  /** `-c` of a call: the transaction name and its one JSON argument. */
  static ctor(call: Call): string {
    return JSON.stringify({ Args: [call.transaction, JSON.stringify(call.argument)] });
  }

  static transientArg(call: Call): string[] {
    if (call.transient === undefined) return [];
    const map = Object.fromEntries(Object.entries(call.transient).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    return ['--transient', JSON.stringify(map)];
  }

  /** `peer chaincode query` on one peer. */
  query(who: CliIdentity, target: CliPeer, call: Call): Promise<CliAnswer> {
    const args = ['chaincode', 'query', '-C', this.connection.channel, '-n', this.connection.chaincode, '-c', PeerCli.ctor(call), ...PeerCli.transientArg(call)];
    return this.#slots.use(async () => classify('query', await run(this.peerBin, args, this.env(who, target, 'warning'), 60_000)));
  }

  /**
   * `peer chaincode invoke` endorsed by `endorsers` (each with `--peerAddresses` and its TLS root), ordered through
   * the first orderer, and `--waitForEvent`: the CLI returns once every endorsing peer's deliver service reported
   * the transaction's validation code (it prints them at INFO, hence the log spec).
   */
  invoke(who: CliIdentity, endorsers: readonly CliPeer[], call: Call): Promise<CliAnswer> {
    const orderer = this.connection.orderers[0];
    const first = endorsers[0];
    if (orderer === undefined || first === undefined) throw new Error('no orderer or no endorser');
    const args = [
      'chaincode', 'invoke',
      '-C', this.connection.channel, '-n', this.connection.chaincode,
      '-o', orderer.endpoint, '--ordererTLSHostnameOverride', orderer.hostAlias,
      '--tls', '--cafile', orderer.tlsRootCert,
      '--clientauth', '--certfile', who.tls.certificate, '--keyfile', who.tls.privateKey,
      ...endorsers.flatMap((p) => ['--peerAddresses', p.endpoint, '--tlsRootCertFiles', p.tlsRootCert]),
      '--waitForEvent', '--waitForEventTimeout', '60s',
      '-c', PeerCli.ctor(call), ...PeerCli.transientArg(call),
    ];
    return this.#slots.use(async () => classify('invoke', await run(this.peerBin, args, this.env(who, first, 'chaincodeCmd=info:warning'), 120_000)));
  }
}
