import { MemoryLevel } from 'memory-level';
import { outboxSuite } from '../support/outbox-suite';

outboxSuite('memory-level', () => new MemoryLevel<string, unknown>({ valueEncoding: 'json' }));
