import { type Command, CommanderError } from 'commander';

/**
 * Exit codes of `tollgate evaluate`, the codes a CI step acts on: the policy passed (or only
 * warned), the policy failed, or the evaluation could not run at all (unknown application, bad
 * credentials, unreadable file, unreachable server, wrong flags). Other commands exit 1 on error.
 */
export const EXIT = { pass: 0, policyFailure: 1, couldNotRun: 2 } as const;

/** An error that ends the command with its own exit code; `reported` when its message was already printed. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
    readonly reported = false,
  ) {
    super(message);
  }
}

/**
 * Makes commander's usage errors (a missing option, a value that is not a number or not one of
 * the choices) end the command with `code` instead of commander's own exit 1; help and --version
 * still exit 0.
 */
export function usageErrorsExitWith(command: Command, code: number): Command {
  return command.exitOverride((err: CommanderError) => {
    if (err.exitCode === 0) throw new CliError(err.message, 0, true);
    throw new CliError(err.message, code, true);
  });
}

/** Runs a program: errors are printed once as `tollgate: …` and set the exit code. */
export async function runProgram(program: Command): Promise<void> {
  try {
    await program.parseAsync();
  } catch (err) {
    if (err instanceof CliError) {
      if (!err.reported) console.error(`tollgate: ${err.message}`);
      process.exitCode = err.exitCode;
    } else if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
    } else {
      console.error(`tollgate: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  }
}
