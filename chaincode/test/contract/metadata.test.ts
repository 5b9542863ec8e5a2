import './support/quiet-logs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSONSerializer } from 'fabric-contract-api';
import ChaincodeFromContract from 'fabric-shim/lib/contract-spi/chaincodefromcontract';
import { z } from 'zod';
import { contracts } from '../../src';
import { CONTRACT_NAME, TRANSACTIONS, type TransactionName } from '../../src/contract/names';
import type { ProcedureContract } from '../../src/contract/procedure-contract';

const GOLDEN = join(__dirname, '__golden__', 'contract-metadata.json');

/** The metadata `fabric-chaincode-node server` generates from the exported contracts (GetMetadata). */
function generatedMetadata(): unknown {
  const chaincode = new ChaincodeFromContract(
    [...contracts],
    { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } },
    {},
    '@asl/chaincode',
    '0.1.0',
  );
  return JSON.parse(JSON.stringify(chaincode.metadata));
}

const ProcedureMetadataSchema = z.object({
  contracts: z.object({
    [CONTRACT_NAME]: z.object({
      transactions: z.array(
        z.object({
          name: z.string(),
          tag: z.array(z.string()),
          parameters: z.array(z.object({ name: z.string(), schema: z.object({ type: z.string() }) })),
          returns: z.object({ type: z.string() }),
        }),
      ),
    }),
  }),
});

describe('contract metadata', () => {
  it('matches the golden file (set UPDATE_GOLDEN=1 to rewrite it after a deliberate change)', () => {
    const text = `${JSON.stringify(generatedMetadata(), null, 2)}\n`;
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('declares every transaction of the names object, with one string argument and a string result', () => {
    const procedure = ProcedureMetadataSchema.parse(generatedMetadata()).contracts[CONTRACT_NAME];
    expect(procedure.transactions.map((t) => t.name).sort()).toEqual(Object.values(TRANSACTIONS).sort());
    for (const t of procedure.transactions) {
      expect(t.parameters).toHaveLength(1);
      expect(t.parameters[0]?.schema.type).toBe('string');
      expect(t.returns.type).toBe('string');
    }
  });

  it('marks reads as EVALUATE and writes as SUBMIT', () => {
    const procedure = ProcedureMetadataSchema.parse(generatedMetadata()).contracts[CONTRACT_NAME];
    const tags = Object.fromEntries(procedure.transactions.map((t) => [t.name, t.tag[0]]));
    expect(tags).toEqual({
      RecordEvent: 'SUBMIT',
      ImportCase: 'SUBMIT',
      PurgePrivateData: 'SUBMIT',
      PutCaseDetails: 'SUBMIT',
      PutEnforcement: 'SUBMIT',
      GetCase: 'EVALUATE',
      GetTimeline: 'EVALUATE',
      GetWrite: 'EVALUATE',
      ListCases: 'EVALUATE',
      GetCaseDetails: 'EVALUATE',
      GetEnforcement: 'EVALUATE',
      ProposeValueList: 'SUBMIT',
      ApproveValueList: 'SUBMIT',
      GetValueList: 'EVALUATE',
      ListValueLists: 'EVALUATE',
      DiffValueLists: 'EVALUATE',
    });
  });

  it('implements every transaction name as a method (checked by the compiler)', () => {
    const implemented: Record<TransactionName, unknown> = contracts[0]!.prototype satisfies ProcedureContract;
    expect(Object.keys(TRANSACTIONS).every((name) => typeof (implemented as Record<string, unknown>)[name] === 'function')).toBe(true);
  });
});
