import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('./seed-webhook-receiver/', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));

/** One webhook as the seed's receiver logged it. */
export interface Received {
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** The HMAC-SHA1 the receiver computed over JSON.stringify(body) with its settings.json secret. */
  hmacDigest: string;
  /** The X-Nexus-Webhook-Signature it received ('undefined' when none was sent). */
  signature: string;
}

/**
 * The seed's example receiver (express + body-parser, seed-webhook-receiver/app.cjs, unchanged) in a
 * child process: a real server on a loopback port, with `secretKey` in its settings.json. What it
 * logs for each webhook is parsed into `received`. `stop()` kills it; `start()` runs it again on the
 * same port (a receiver that was down for a while).
 */
export class SeedReceiver {
  readonly received: Received[] = [];
  port = 0;
  private child?: ChildProcess;
  private readonly dir: string;

  constructor(secretKey: string) {
    this.dir = mkdtempSync(join(tmpdir(), 'seed-receiver-'));
    copyFileSync(join(HERE, 'app.cjs'), join(this.dir, 'app.cjs'));
    writeFileSync(join(this.dir, 'settings.json'), JSON.stringify({ secretKey }));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--require', join(HERE, 'port.cjs'), join(this.dir, 'app.cjs')], {
      cwd: this.dir,
      env: { ...process.env, NODE_PATH: NODE_MODULES, RECEIVER_PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child = child;
    let current: Partial<Received> = {};
    const lines = createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the seed receiver exited (${code}) before listening`)));
      lines.on('line', (line) => {
        const port = /^PORT (\d+)$/.exec(line);
        if (port) {
          this.port = Number(port[1]);
          resolve();
        } else if (line === 'Webhook received') current = {};
        else if (line.startsWith('Headers: ')) current.headers = JSON.parse(line.slice(9));
        else if (line.startsWith('Body: ')) current.body = JSON.parse(line.slice(6));
        else if (line.startsWith('HmacDigest: ')) current.hmacDigest = line.slice(12);
        else if (line.startsWith('Signature: ')) {
          current.signature = line.slice(11);
          this.received.push(current as Received);
        }
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill();
    });
    this.child = undefined;
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
