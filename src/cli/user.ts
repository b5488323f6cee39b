import { Command } from 'commander';
import { withContext } from './context.js';

/** The password from --password, else the first line of standard input (so it stays out of shell history). */
async function readPassword(given: string | undefined): Promise<string> {
  if (given) return given;
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  if (!line) throw new Error('no password given (use --password or pipe it on standard input)');
  return line;
}

export function userCommand(): Command {
  const user = new Command('user').description('manage local users');
  user
    .command('create <username>')
    .description('create a local user')
    .option('--password <password>', 'the password (default: read from standard input)')
    .option('--first-name <name>')
    .option('--last-name <name>')
    .option('--email <email>')
    .action(async (username: string, options: { password?: string; firstName?: string; lastName?: string; email?: string }, command: Command) => {
      const password = await readPassword(options.password);
      const { createUser } = await import('../services/access/users.js');
      await withContext(command, async (ctx) => {
        await createUser(ctx, { username, password, firstName: options.firstName, lastName: options.lastName, email: options.email });
      });
      console.log(`created user ${username}`);
    });
  user
    .command('passwd <username>')
    .description("set a user's password")
    .option('--password <password>', 'the new password (default: read from standard input)')
    .action(async (username: string, options: { password?: string }, command: Command) => {
      const password = await readPassword(options.password);
      const { setPassword } = await import('../services/access/users.js');
      const { forgetCredentials } = await import('../http/auth.js');
      await withContext(command, (ctx) => setPassword(ctx, username, password));
      forgetCredentials();
      console.log(`password of ${username} changed`);
    });
  return user;
}
