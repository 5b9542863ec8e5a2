/**
 * The contract-api logs every decorator at info level when the contract module loads, and the shim logs
 * every refused transaction at error level; both read the level from the peer's environment variable.
 * Imported first by the contract tests to keep their output quiet.
 */
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] = 'CRITICAL';
