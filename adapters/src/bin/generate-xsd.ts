/** Writes `adapters/xsd/asl-nachrichten.xsd` from the message schemas. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateXsd } from '../message/xsd';

/** Where the published XSD lives. */
export const XSD_PATH = join(__dirname, '..', '..', 'xsd', 'asl-nachrichten.xsd');

if (require.main === module) writeFileSync(XSD_PATH, generateXsd());
