/**
 * Known failures. The CLI prints `message` as one line (prefixed by the file when there is one)
 * and exits with `exitCode`; anything else is a bug: one line saying so, exit code 3, the stack
 * with --debug.
 */
export const ExitCode = {
  /** Ran cleanly; no findings over the threshold. */
  Clean: 0,
  /** Ran cleanly and found findings over the threshold. */
  Findings: 1,
  /**
   * Bad input or bad usage: a corrupt, truncated, unsafe or unrecognised input, or wrong arguments.
   * Also when some files were skipped: the results from the others are still written, and each
   * skipped file is named on stderr.
   */
  BadInput: 2,
  /** An unexpected exception: a bug in howchain, not a problem with the input. */
  Internal: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class HowchainError extends Error {
  constructor(
    message: string,
    readonly file: string | null = null,
    readonly exitCode: ExitCode = ExitCode.BadInput,
  ) {
    super(message);
    this.name = 'HowchainError';
  }

  /** The single line shown to users. */
  get line(): string {
    return this.file ? `${this.file}: ${this.message}` : this.message;
  }
}

/** Bad input in one file: corrupt, truncated, unsafe or unrecognised. */
export class EvidenceError extends HowchainError {
  constructor(file: string, message: string) {
    super(message, file, ExitCode.BadInput);
    this.name = 'EvidenceError';
  }
}

export class UsageError extends HowchainError {
  constructor(message: string) {
    super(message, null, ExitCode.BadInput);
    this.name = 'UsageError';
  }
}
