import type { Kysely } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { Database } from '../../store/schema.js';
import { MailError, type SmtpSettings, sendMail } from '../notifications/mailer.js';
import { deleteSetting, getSetting, putSetting } from './settings.js';
import { checkBoolean, checkEmail, checkHostname, checkPort, keptPassword, optionalString, withStored } from './connection-fields.js';

/**
 * The reference's SMTP configuration (Config Mail): where policy notifications are sent from. The
 * password is stored for the server's authentication and never returned.
 */
export const MAIL_SETTING = 'config.mail';

export interface MailInput {
  hostname?: unknown;
  port?: unknown;
  username?: unknown;
  password?: unknown;
  passwordIsIncluded?: unknown;
  sslEnabled?: unknown;
  startTlsEnabled?: unknown;
  systemEmail?: unknown;
}

export async function getMailSettings(db: Kysely<Database>): Promise<SmtpSettings | undefined> {
  return getSetting<SmtpSettings>(db, MAIL_SETTING);
}

/** The configuration as GET answers it: the password never, passwordIsIncluded always false. */
export async function readMailConfig(ctx: AppContext) {
  const config = await getMailSettings(ctx.store.db);
  if (!config) throw new NotFoundError('No SMTP server is configured.');
  return {
    hostname: config.hostname,
    port: config.port,
    ...(config.username ? { username: config.username } : {}),
    passwordIsIncluded: false,
    sslEnabled: config.sslEnabled,
    startTlsEnabled: config.startTlsEnabled,
    systemEmail: config.systemEmail,
  };
}

/** The settings `input` makes, with the stored password where the reference keeps it. */
function settingsFrom(given: MailInput, previous: SmtpSettings | undefined): SmtpSettings {
  const input = withStored(given, previous);
  const hostname = checkHostname(input.hostname, 'hostname');
  const port = checkPort(input.port);
  const username = optionalString(input.username, 'username');
  const password = keptPassword(input, previous, previous?.hostname === hostname && previous?.port === port, 'hostname or port');
  return {
    hostname,
    port,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    sslEnabled: checkBoolean(input.sslEnabled, 'sslEnabled'),
    startTlsEnabled: checkBoolean(input.startTlsEnabled, 'startTlsEnabled'),
    systemEmail: checkEmail(input.systemEmail, 'systemEmail'),
  };
}

export async function saveMailConfig(ctx: AppContext, input: MailInput): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const settings = settingsFrom(input, await getMailSettings(trx));
    await putSetting(trx, MAIL_SETTING, settings, ctx.now().toISOString());
  });
}

export async function deleteMailConfig(ctx: AppContext): Promise<void> {
  if (!(await deleteSetting(ctx.store.db, MAIL_SETTING))) throw new NotFoundError('No SMTP server is configured.');
}

/**
 * Sends a test message to `recipient` with the configuration given (the stored password when the
 * reference keeps it), without storing anything. A failure is a 400 saying what the server did.
 */
export async function testMailConfig(ctx: AppContext, recipient: string, input: MailInput): Promise<void> {
  const to = checkEmail(recipient, 'recipientEmail');
  const settings = settingsFrom(input, await getMailSettings(ctx.store.db));
  try {
    await sendMail(settings, {
      to,
      subject: 'Tollgate: test message',
      text: `This is a test message from Tollgate (${ctx.config.baseUrl}).\n\nThe SMTP server ${settings.hostname}:${settings.port} accepted it, so policy notifications can be sent this way.\n`,
    });
  } catch (err) {
    if (err instanceof MailError) throw new ValidationError(err.message);
    throw err;
  }
  ctx.log.info({ recipient: to, hostname: settings.hostname, port: settings.port }, 'test mail sent');
}
