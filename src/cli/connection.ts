import { type Command, InvalidArgumentError } from 'commander';
import { CliError } from './exit.js';
import { IqClient } from './iq-client.js';

/** How the client commands reach a server: its URL and Basic credentials (a password or a user token). */
export interface ConnectionOptions {
  server: string;
  user: string;
  password?: string;
}

/** --server, --user and --password, defaulting to TOLLGATE_URL, TOLLGATE_USER and TOLLGATE_PASSWORD. */
export function withConnectionOptions(command: Command): Command {
  return command
    .option('--server <url>', 'server URL (or set TOLLGATE_URL)', process.env.TOLLGATE_URL || 'http://localhost:8070')
    .option('-u, --user <name>', 'username or the user code of a token (or set TOLLGATE_USER)', process.env.TOLLGATE_USER || 'admin')
    .option('-p, --password <secret>', 'password or pass code (or set TOLLGATE_PASSWORD)');
}

/** A client for the options' server; no password is an error with `exitCode`. */
export function connect(options: ConnectionOptions, exitCode: number): IqClient {
  const password = options.password ?? process.env.TOLLGATE_PASSWORD;
  if (!password) throw new CliError('no password: use --password or set TOLLGATE_PASSWORD', exitCode);
  try {
    return new IqClient({ server: options.server, username: options.user, password });
  } catch (err) {
    throw new CliError((err as Error).message, exitCode);
  }
}

/** A commander parser for a number above zero (`--timeout abc` is a usage error, not NaN seconds). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!value.trim() || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number greater than 0');
  return n;
}
