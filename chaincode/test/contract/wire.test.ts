import './support/quiet-logs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSONSerializer } from 'fabric-contract-api';
import ChaincodeFromContract from 'fabric-shim/lib/contract-spi/chaincodefromcontract';
import { contracts } from '../../src';
import { RecordAnswerSchema } from '../../src/domain';
import { FakeLedger } from './support/fake-stub';
import { fakeCaseId } from './support/fixtures';
import { seedValueLists } from './support/harness';

const certificate = (name: string): Uint8Array => readFileSync(join(__dirname, 'support', 'certs', `${name}.pem`));
const ADAPTER = certificate('zab-adapter-01');
const NO_ROLE = certificate('zab-no-role');

function chaincode(): ChaincodeFromContract {
  return new ChaincodeFromContract([...contracts], { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } }, {}, '@asl/chaincode', '0.1.0');
}

const registration = JSON.stringify({
  caseId: fakeCaseId(1),
  type: 'CASE_REGISTERED',
  occurredAt: '2026-01-05T09:30:00+01:00',
  sourceMessageId: 'zab-0001',
  data: { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' },
});

/**
 * Through the shim's own dispatcher (what `fabric-chaincode-node server` runs), with the real
 * `ClientIdentity` reading real certificates: the CN becomes the enrollment ID, the `role` attribute
 * comes from the Fabric CA extension, and only `[CODE] {json}` messages come back.
 */
describe('the shim dispatcher', () => {
  it('records an event with the actor taken from the certificate', async () => {
    const ledger = new FakeLedger('2026-01-05T10:00:00.000Z');
    seedValueLists(ledger);
    const stub = ledger.begin({ wire: { args: ['RecordEvent', registration], mspId: 'ZabSachsenMSP', certificatePem: ADAPTER } });
    const response = await chaincode().invokeFunctionality(stub);
    expect(response.status).toBe(200);
    const answer = RecordAnswerSchema.parse(JSON.parse(Buffer.from(response.payload ?? []).toString('utf8')));
    expect(answer.event.actor).toEqual({ mspId: 'ZabSachsenMSP', enrollmentId: 'zab-adapter-01', role: 'adapter' });
    expect(stub.writeSet().event?.name).toBe('CaseEventRecorded');
  });

  it('answers a certificate without role with the coded message only', async () => {
    const stub = new FakeLedger().begin({ wire: { args: ['RecordEvent', registration], mspId: 'ZabSachsenMSP', certificatePem: NO_ROLE } });
    const response = await chaincode().invokeFunctionality(stub);
    expect(response).toMatchObject({ status: 500, message: '[FORBIDDEN_ROLE] {"reason":"NO_ROLE"}' });
    expect(stub.isWriteSetEmpty()).toBe(true);
  });

  it('answers an unknown transaction name with INVALID_INPUT', async () => {
    const stub = new FakeLedger().begin({ wire: { args: ['DeleteEverything', '{}'], mspId: 'ZabSachsenMSP', certificatePem: ADAPTER } });
    const response = await chaincode().invokeFunctionality(stub);
    expect(response).toMatchObject({ status: 500, message: '[INVALID_INPUT] {"where":"transaction"}' });
  });

  /**
   * fabric-contract-api 2.5.8 asks for `class-transformer ^0.4.0`, and 0.4.1 already carries 0.5's rename
   * (no `classToPlain`), so the shim could not serialise GetMetadata. The root package.json pins 0.4.0
   * (`overrides`, and chaincode depends on it exactly); this test fails if that pin is lost.
   */
  it('serves GetMetadata equal to the golden file', async () => {
    const stub = new FakeLedger().begin({ wire: { args: ['org.hyperledger.fabric:GetMetadata'], mspId: 'ZabSachsenMSP', certificatePem: ADAPTER } });
    const response = await chaincode().invokeFunctionality(stub);
    expect(response.status).toBe(200);
    const golden: unknown = JSON.parse(readFileSync(join(__dirname, '__golden__', 'contract-metadata.json'), 'utf8'));
    expect(JSON.parse(Buffer.from(response.payload ?? []).toString('utf8'))).toEqual(golden);
  });
});
