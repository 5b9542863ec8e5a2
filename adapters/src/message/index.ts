/** The adapters' XAusländer-style message format: types, schemas, codec, XSD, ReturnToSender. */
export * from './message-types';
export * from './message-schemas';
export * from './codec';
export * from './safe-xml';
export * from './return-to-sender';
export { generateXsd, xsdPattern } from './xsd';
