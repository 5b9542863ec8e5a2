/** Exit code of the CLI when the Fabric peer/orderer binaries cannot be had on this machine. */
export const EXIT_BINARIES_UNAVAILABLE = 3;

/**
 * The Fabric binaries are not on this machine and cannot be built here (the source archive is missing or
 * does not match its sha256). Carries the exact command and its output so the report is
 * actionable; the CLI exits with {@link EXIT_BINARIES_UNAVAILABLE}.
 */
export class BinariesUnavailableError extends Error {
  override readonly name = 'BinariesUnavailableError';
  readonly exitCode = EXIT_BINARIES_UNAVAILABLE;

  constructor(
    message: string,
    /** The command that failed, as one could paste it into a shell. */
    readonly command: string,
    /** Its combined output (trimmed). */
    readonly output: string,
  ) {
    super(message);
  }
}

/** An external command failed. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';

  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(`${command} failed (exit ${String(exitCode)}):\n${output}`);
  }
}
