/** Types for the contract-api's SPI class that turns contract classes into chaincode (fabric-shim 2.5.8, untyped JS). */
declare module 'fabric-shim/lib/contract-spi/chaincodefromcontract' {
  import type { Contract } from 'fabric-contract-api';

  class ChaincodeFromContract {
    constructor(
      contractClasses: (new () => Contract)[],
      serializers: { transaction: string; serializers: Record<string, unknown> },
      metadata?: object,
      title?: string,
      version?: string,
    );
    /** What `org.hyperledger.fabric:GetMetadata` returns. */
    readonly metadata: unknown;
    /** Dispatches one proposal: builds the context (with the real ClientIdentity) and calls the transaction. */
    invokeFunctionality(stub: unknown): Promise<{ status: number; message?: string; payload?: Uint8Array }>;
  }

  export = ChaincodeFromContract;
}
