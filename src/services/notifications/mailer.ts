import nodemailer from 'nodemailer';

/** What sending needs of the SMTP configuration (services/admin/mail-config.ts). */
export interface SmtpSettings {
  hostname: string;
  port: number;
  username?: string;
  password?: string;
  /** TLS from the first byte (SMTPS, usually port 465). */
  sslEnabled: boolean;
  /** Upgrade a plain connection with STARTTLS; refused when the server does not offer it. */
  startTlsEnabled: boolean;
  systemEmail: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sending failed; the message says why in a person's words (never with the password). */
export class MailError extends Error {}

const TIMEOUT_MS = 15_000;

/**
 * Sends one message with nodemailer. STARTTLS is required when asked for (the password never goes
 * over a plain connection because a server stopped offering it) and not attempted otherwise, as the
 * reference's two flags say; certificates are checked against the system's CAs (NODE_EXTRA_CA_CERTS
 * adds an internal one).
 */
export async function sendMail(settings: SmtpSettings, message: MailMessage): Promise<void> {
  const transport = nodemailer.createTransport({
    host: settings.hostname,
    port: settings.port,
    secure: settings.sslEnabled,
    requireTLS: !settings.sslEnabled && settings.startTlsEnabled,
    ignoreTLS: !settings.sslEnabled && !settings.startTlsEnabled,
    ...(settings.username ? { auth: { user: settings.username, pass: settings.password ?? '' } } : {}),
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  try {
    await transport.sendMail({ from: settings.systemEmail, to: message.to, subject: message.subject, text: message.text });
  } catch (err) {
    throw new MailError(explain(settings, err as Error & { code?: string; responseCode?: number; response?: string }));
  } finally {
    transport.close();
  }
}

function explain(settings: SmtpSettings, err: Error & { code?: string; responseCode?: number; response?: string }): string {
  const server = `the SMTP server ${settings.hostname}:${settings.port}`;
  const detail = (err.response ?? err.message).trim();
  switch (err.code) {
    case 'EAUTH':
      return `${server} refused the credentials of ${settings.username ?? '(no user)'}: ${detail}`;
    case 'ETLS':
      return `STARTTLS with ${server} failed (startTlsEnabled is set): ${detail}`;
    case 'EENVELOPE':
      return `${server} refused the sender or recipient: ${detail}`;
    case 'ETIMEDOUT':
      return `${server} did not answer within ${TIMEOUT_MS / 1000} s: ${detail}`;
    case 'EMESSAGE':
      return `${server} refused the message: ${detail}`;
    default: {
      if (/certificate|self[- ]signed|wrong version number|handshake/i.test(detail)) {
        const how = settings.sslEnabled ? 'SSL/TLS (sslEnabled)' : 'STARTTLS (startTlsEnabled)';
        return `${how} with ${server} failed: ${detail}. The server's certificate must be valid for ${settings.hostname} and trusted by the system's CAs (NODE_EXTRA_CA_CERTS adds one).`;
      }
      const tls = settings.sslEnabled ? ' (sslEnabled is set: does the server speak TLS on this port?)' : '';
      return `Could not send mail through ${server}${tls}: ${detail}`;
    }
  }
}
