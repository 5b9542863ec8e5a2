import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, formatError, parseError, DomainError, isErrorCode } from '../src/domain/errors';

function readmeTable(): Map<string, number> {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.split('## Error codes')[1] ?? '';
  const rows = new Map<string, number>();
  for (const line of section.split('\n')) {
    const match = /^\| `([A-Z_]+)` \| (\d{3}) \|/.exec(line);
    if (match?.[1] && match[2]) rows.set(match[1], Number(match[2]));
  }
  return rows;
}

describe('the README error-code table', () => {
  it('lists exactly the codes of the registry, with the same HTTP status', () => {
    const table = readmeTable();
    const registry = new Map(Object.entries(ERROR_CODES).map(([code, entry]) => [code, entry.http]));
    expect(table).toEqual(registry);
  });
});

describe('error wire form', () => {
  it('formats `[CODE] {json}` with sorted keys and reads it back, also when wrapped by a peer', () => {
    const message = formatError('PRECONDITION_FAILED', { missing: ['HEARING_SCHEDULED'], at: 1 });
    expect(message).toBe('[PRECONDITION_FAILED] {"at":1,"missing":["HEARING_SCHEDULED"]}');
    const wrapped = `10 ABORTED: failed to endorse transaction, see attached details for more info: chaincode response 500, ${message}`;
    expect(parseError(wrapped)).toEqual({ code: 'PRECONDITION_FAILED', detail: { at: 1, missing: ['HEARING_SCHEDULED'] } });
  });

  it('rejects unknown codes and non-object details', () => {
    expect(parseError('[NO_SUCH_CODE] {}')).toBeUndefined();
    expect(parseError('[CASE_CLOSED] []')).toBeUndefined();
    expect(parseError('[CASE_CLOSED] {not json}')).toBeUndefined();
    expect(parseError('something else')).toBeUndefined();
    expect(isErrorCode('toString')).toBe(false);
  });

  it('DomainError carries code, detail and the wire message', () => {
    const error = new DomainError('NOT_OWNER', { type: 'APPLICATION_FILED' });
    expect(error.code).toBe('NOT_OWNER');
    expect(error.message).toBe('[NOT_OWNER] {"type":"APPLICATION_FILED"}');
    expect(error).toBeInstanceOf(Error);
  });
});
