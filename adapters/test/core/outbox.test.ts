import { MemoryLevel } from 'memory-level';
import type { LevelLike } from '../../src/core/outbox';
import { outboxSuite } from '../support/outbox-suite';

outboxSuite('memory-level', () => new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as LevelLike);
