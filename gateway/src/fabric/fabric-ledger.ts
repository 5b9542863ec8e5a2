import { createPrivateKey, randomBytes } from 'node:crypto';
import {
  connect,
  hash,
  signers,
  type Contract,
  type Gateway,
  type Network,
} from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import {
  CaseAnswerSchema,
  CaseDetailsAnswerSchema,
  DiffValueListsAnswerSchema,
  DomainError,
  ListValueListsAnswerSchema,
  RecordAnswerSchema,
  TimelineAnswerSchema,
  ValueListAnswerSchema,
  ValueListChangeAnswerSchema,
  TRANSACTIONS,
  TRANSIENT_KEYS,
  WriteAnswerSchema,
  type CollectionName,
  type ListValueListsAnswer,
  type ValueListAnswer,
  type ValueListApproval,
  type ValueListChangeAnswer,
  type ValueListDiff,
  type ValueListName,
  type ValueListProposal,
  type CaseDetails,
  type CaseView,
  type ChaincodeReceipt,
  type Enforcement,
  type EventInput,
  type ImportedFact,
  type Receipt,
} from '@asl/chaincode/domain';
import type { z } from 'zod';
import { GatewayError } from '../http/problem';
import type { Caller, CaseLedger, DetailsEntry, EnforcementCommit, LedgerEntry, WriteResult } from '../ports/case-ledger';
import { blockFactsOf, completedReceipt, type BlockFacts } from './block-receipts';
import { translateFabricError } from './fabric-errors';
import { KeyedQueue } from './case-queue';
import { submitWithRetries, type RetryEvent, type Submitted } from './submit-retry';
import type { PeerConnection } from './peer-connection';

/** Per-call deadlines (perf-reliability.md §3.1; sample values 5 s / 15 s / 5 s / 60 s). */
export interface FabricTimeouts {
  readonly evaluateMs: number;
  readonly endorseMs: number;
  readonly submitMs: number;
  readonly commitStatusMs: number;
}

/** A signing identity: certificate and private key (PEM). */
export interface SigningMaterial {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** Options of {@link FabricCaseLedger}. */
export interface FabricLedgerOptions {
  /** The one gRPC connection to this agency's peer, shared by every identity's Gateway. */
  readonly connection: PeerConnection;
  readonly mspId: string;
  readonly channel: string;
  readonly chaincode: string;
  /** The caller's own identity: every write is signed by the person or system that made it. */
  readonly identityOf: (userId: string) => Promise<SigningMaterial>;
  /** The gateway's service identity for block queries (QSCC) and the event stream. */
  readonly service: SigningMaterial;
  readonly timeouts: FabricTimeouts;
  /** How often a write that lost an MVCC or phantom-read race is submitted again (as a new proposal). */
  readonly mvccRetries: number;
  /** How often a proposal whose two endorsements disagreed (peers at different heights) is endorsed again (default 4). */
  readonly endorseRetries?: number;
  /** Told about every retry (metrics, log). */
  readonly onRetry?: (event: RetryEvent) => void;
  /** MSP IDs that endorse a `zabEnforcement` write (ZAB alone). */
  readonly enforcementEndorsers: readonly string[];
}

const DEFAULT_ENDORSE_RETRIES = 4;

const decoder = new TextDecoder();
function json<T>(schema: z.ZodType<T>, bytes: Uint8Array): T {
  return schema.parse(JSON.parse(decoder.decode(bytes)));
}

/**
 * The {@link CaseLedger} on a Fabric v3.1 peer through `@hyperledger/fabric-gateway` 1.11. The CaseLedger
 * contract suite runs it against the live two-agency network (`test/ledger/fabric-ledger.net.test.ts`);
 * its block parsing is also unit-tested on real Fabric block files.
 */
export class FabricCaseLedger implements CaseLedger {
  readonly #o: FabricLedgerOptions;
  readonly #gateways = new Map<string, Gateway>();
  readonly #service: Gateway;
  readonly #blocks = new Map<string, common.Block>();
  /** Writes on one case go one after the other (they would only lose MVCC races to each other). */
  readonly #cases = new KeyedQueue();

  constructor(options: FabricLedgerOptions) {
    this.#o = options;
    this.#service = this.#connect(options.service);
  }

  #connect(material: SigningMaterial): Gateway {
    const t = this.#o.timeouts;
    return connect({
      client: this.#o.connection.client,
      tlsClientCertificateHash: this.#o.connection.tlsClientCertificateHash,
      identity: { mspId: this.#o.mspId, credentials: Buffer.from(material.certificatePem) },
      signer: signers.newPrivateKeySigner(createPrivateKey(material.privateKeyPem)),
      hash: hash.sha256,
      evaluateOptions: () => ({ deadline: Date.now() + t.evaluateMs }),
      endorseOptions: () => ({ deadline: Date.now() + t.endorseMs }),
      submitOptions: () => ({ deadline: Date.now() + t.submitMs }),
      commitStatusOptions: () => ({ deadline: Date.now() + t.commitStatusMs }),
    });
  }

  async #contract(caller: Caller): Promise<Contract> {
    let gateway = this.#gateways.get(caller.userId);
    if (!gateway) {
      gateway = this.#connect(await this.#o.identityOf(caller.userId));
      this.#gateways.set(caller.userId, gateway);
    }
    return gateway.getNetwork(this.#o.channel).getContract(this.#o.chaincode);
  }

  /** The service identity's network (event stream, QSCC). */
  network(): Network {
    return this.#service.getNetwork(this.#o.channel);
  }

  /** Forgets a user's Gateway (after revocation). The shared gRPC connection stays open. */
  forget(userId: string): void {
    this.#gateways.get(userId)?.close();
    this.#gateways.delete(userId);
  }

  close(): void {
    for (const g of this.#gateways.values()) g.close();
    this.#gateways.clear();
    this.#service.close();
  }

  async #evaluate(caller: Caller, name: string, arg: unknown): Promise<Uint8Array> {
    const contract = await this.#contract(caller);
    try {
      return await contract.evaluateTransaction(name, JSON.stringify(arg));
    } catch (error) {
      throw translateFabricError(error, 'evaluate');
    }
  }

  /** Endorse, submit, wait for the commit, with the retries and error mapping of {@link submitWithRetries}. */
  async #submit(
    caller: Caller,
    name: string,
    arg: unknown,
    transient: Record<string, Uint8Array> | undefined,
    endorsingOrganizations?: readonly string[],
  ): Promise<Submitted> {
    const contract = await this.#contract(caller);
    return submitWithRetries(
      () =>
        contract.newProposal(name, {
          arguments: [JSON.stringify(arg)],
          ...(transient ? { transientData: transient } : {}),
          ...(endorsingOrganizations ? { endorsingOrganizations: [...endorsingOrganizations] } : {}),
        }),
      {
        mvccRetries: this.#o.mvccRetries,
        endorseRetries: this.#o.endorseRetries ?? DEFAULT_ENDORSE_RETRIES,
        ...(this.#o.onRetry ? { onRetry: this.#o.onRetry } : {}),
      },
    );
  }

  async #block(blockNumber: bigint | undefined, txId: string): Promise<common.Block> {
    const key = blockNumber?.toString();
    const cached = key === undefined ? undefined : this.#blocks.get(key);
    if (cached) return cached;
    const qscc = this.network().getContract('qscc');
    try {
      const bytes =
        blockNumber === undefined
          ? await qscc.evaluateTransaction('GetBlockByTxID', this.#o.channel, txId)
          : await qscc.evaluateTransaction('GetBlockByNumber', this.#o.channel, blockNumber.toString());
      const block = common.Block.deserializeBinary(bytes);
      this.#blocks.set(String(block.getHeader()?.getNumber() ?? 0), block);
      if (this.#blocks.size > 64) this.#blocks.delete(this.#blocks.keys().next().value ?? '');
      return block;
    } catch (error) {
      throw translateFabricError(error, 'evaluate');
    }
  }

  /** The receipt of domain.md §8: the chaincode's part completed from the committed block. */
  async completeReceipt(partial: ChaincodeReceipt, blockNumber?: bigint): Promise<Receipt> {
    const facts: BlockFacts | undefined = blockFactsOf(await this.#block(blockNumber, partial.txId), partial.txId);
    if (!facts) throw new GatewayError('LEDGER_UNAVAILABLE', { reason: 'TX_NOT_IN_BLOCK' }, 5);
    return completedReceipt(partial, facts);
  }

  async #write(caller: Caller, name: string, caseId: string, arg: unknown, sourceMessageId: string, transient?: Record<string, Uint8Array>): Promise<WriteResult> {
    try {
      const { result, blockNumber } = await this.#cases.run(caseId, () => this.#submit(caller, name, arg, transient));
      const answer = json(RecordAnswerSchema, result);
      return { receipt: await this.completeReceipt(answer.receipt, blockNumber), event: answer.event, warnings: answer.warnings, alreadyApplied: false };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'ALREADY_APPLIED') {
        const original = await this.getWrite(caller, sourceMessageId);
        if (original) return original;
      }
      throw error;
    }
  }

  #caseDetailsTransient(details: CaseDetails | undefined): Record<string, Uint8Array> | undefined {
    if (!details) return undefined;
    return { [TRANSIENT_KEYS.caseDetails]: Buffer.from(JSON.stringify({ ...details, salt: randomBytes(32).toString('base64') })) };
  }

  submitEvent(caller: Caller, input: EventInput, caseDetails?: CaseDetails): Promise<WriteResult> {
    return this.#write(caller, TRANSACTIONS.RecordEvent, input.caseId, input, input.sourceMessageId, this.#caseDetailsTransient(caseDetails));
  }

  importCase(
    caller: Caller,
    request: { caseId: string; sourceMessageId: string; occurredAt: string; facts: readonly ImportedFact[] },
    caseDetails?: CaseDetails,
  ): Promise<WriteResult> {
    const input = { caseId: request.caseId, type: 'CASE_IMPORTED', sourceMessageId: request.sourceMessageId, occurredAt: request.occurredAt, data: { facts: request.facts } };
    return this.#write(caller, TRANSACTIONS.ImportCase, request.caseId, input, request.sourceMessageId, this.#caseDetailsTransient(caseDetails));
  }

  purge(
    caller: Caller,
    request: { caseId: string; collection: CollectionName; sourceMessageId: string; occurredAt: string },
  ): Promise<WriteResult> {
    return this.#write(caller, TRANSACTIONS.PurgePrivateData, request.caseId, request, request.sourceMessageId);
  }

  async putEnforcement(caller: Caller, caseId: string, enforcement: Enforcement): Promise<EnforcementCommit> {
    const transient = { [TRANSIENT_KEYS.enforcement]: Buffer.from(JSON.stringify({ ...enforcement, salt: randomBytes(32).toString('base64') })) };
    const { blockNumber, txId } = await this.#cases.run(caseId, () => this.#submit(caller, TRANSACTIONS.PutEnforcement, { caseId }, transient, this.#o.enforcementEndorsers));
    const facts = blockFactsOf(await this.#block(blockNumber, txId), txId);
    if (!facts) throw new GatewayError('LEDGER_UNAVAILABLE', { reason: 'TX_NOT_IN_BLOCK' }, 5);
    return { txId, ...facts };
  }

  async getCase(caller: Caller, caseId: string): Promise<CaseView | undefined> {
    try {
      return json(CaseAnswerSchema, await this.#evaluate(caller, TRANSACTIONS.GetCase, { caseId }));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CASE_NOT_FOUND') return undefined;
      throw error;
    }
  }

  async getTimeline(caller: Caller, caseId: string): Promise<readonly LedgerEntry[] | undefined> {
    const out: LedgerEntry[] = [];
    let bookmark: string | undefined;
    try {
      do {
        const page = json(TimelineAnswerSchema, await this.#evaluate(caller, TRANSACTIONS.GetTimeline, { caseId, pageSize: 100, ...(bookmark ? { bookmark } : {}) }));
        for (const item of page.items) out.push({ event: item.event, receipt: await this.completeReceipt(item.receipt), warnings: [] });
        bookmark = page.bookmark;
      } while (bookmark !== undefined);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CASE_NOT_FOUND') return undefined;
      throw error;
    }
    return out;
  }

  async getWrite(caller: Caller, sourceMessageId: string): Promise<WriteResult | undefined> {
    try {
      const found = json(WriteAnswerSchema, await this.#evaluate(caller, TRANSACTIONS.GetWrite, { sourceMessageId }));
      return { receipt: await this.completeReceipt(found.receipt), event: found.event, warnings: [], alreadyApplied: true };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CASE_NOT_FOUND') return undefined;
      throw error;
    }
  }

  async getCaseDetails(caller: Caller, caseId: string): Promise<readonly DetailsEntry[]> {
    const answer = json(CaseDetailsAnswerSchema, await this.#evaluate(caller, TRANSACTIONS.GetCaseDetails, { caseId }));
    return answer.records.flatMap((r): DetailsEntry[] => {
      if (r.status === 'PRESENT' && r.record) return [{ agency: r.agency, state: 'present', record: r.record }];
      if (r.status === 'ERASED') return [{ agency: r.agency, state: 'erased' }];
      return [];
    });
  }

  async caseExists(caller: Caller, caseId: string): Promise<boolean> {
    return (await this.getCase(caller, caseId)) !== undefined;
  }

  async listValueLists(caller: Caller): Promise<ListValueListsAnswer> {
    return json(ListValueListsAnswerSchema, await this.#evaluate(caller, TRANSACTIONS.ListValueLists, {}));
  }

  async getValueList(caller: Caller, list: ValueListName, version?: number): Promise<ValueListAnswer> {
    return json(ValueListAnswerSchema, await this.#evaluate(caller, TRANSACTIONS.GetValueList, { list, ...(version !== undefined ? { version } : {}) }));
  }

  async diffValueLists(caller: Caller, list: ValueListName, from: number, to: number): Promise<ValueListDiff> {
    return json(DiffValueListsAnswerSchema, await this.#evaluate(caller, TRANSACTIONS.DiffValueLists, { list, from, to }));
  }

  /** Both agencies' peers endorse (the chaincode-level policy), so "endorsed by both" holds (domain.md §9). */
  async proposeValueList(caller: Caller, proposal: ValueListProposal): Promise<ValueListChangeAnswer> {
    const { result } = await this.#submit(caller, TRANSACTIONS.ProposeValueList, proposal, undefined);
    return json(ValueListChangeAnswerSchema, result);
  }

  async approveValueList(caller: Caller, approval: ValueListApproval): Promise<ValueListChangeAnswer> {
    const { result } = await this.#submit(caller, TRANSACTIONS.ApproveValueList, approval, undefined);
    return json(ValueListChangeAnswerSchema, result);
  }

  async blockHeight(): Promise<bigint> {
    try {
      const bytes = await this.network().getContract('qscc').evaluateTransaction('GetChainInfo', this.#o.channel);
      return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
    } catch (error) {
      throw translateFabricError(error, 'evaluate');
    }
  }
}
