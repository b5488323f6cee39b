import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const dir = mkdtempSync(join(tmpdir(), 'tollgate-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The message loadConfig throws for these inputs (fails the test when it does not throw). */
function failure(options: Parameters<typeof loadConfig>[0]): string {
  try {
    loadConfig(options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`expected an invalid configuration: ${JSON.stringify(options)}`);
}

describe('configuration: defaults ← file ← environment', () => {
  it('has the reference product’s defaults', () => {
    const config = loadConfig({ file: false, env: {} });
    expect(config).toMatchObject({
      port: 8070,
      host: '0.0.0.0',
      baseUrl: 'http://localhost:8070',
      dataDir: './data',
      logLevel: 'info',
      initialAdminPassword: 'admin123',
      rateLimit: { enabled: false, max: 1500, windowSeconds: 300 },
      shutdownTimeoutSeconds: 30,
      idempotencyKeyTtlSeconds: 86400,
    });
    expect(loadConfig({ file: false, env: { TOLLGATE_IDEMPOTENCY_KEY_TTL_SECONDS: '3600' } }).idempotencyKeyTtlSeconds).toBe(3600);
    expect(config.databaseUrl).toBe(`sqlite:${resolve('./data', 'tollgate.db')}`);
  });

  it('links follow the port when baseUrl is not set', () => {
    expect(loadConfig({ file: false, env: { TOLLGATE_PORT: '9090' } }).baseUrl).toBe('http://localhost:9090');
    expect(loadConfig({ file: false, env: {}, overrides: { port: 8443 } }).baseUrl).toBe('http://localhost:8443');
    expect(loadConfig({ file: false, env: { TOLLGATE_PORT: '9090', TOLLGATE_BASE_URL: 'https://gate.example.com/' } }).baseUrl).toBe('https://gate.example.com');
  });

  it('reads YAML and JSON files, keeping defaults for what they leave out', () => {
    const yaml = file('tollgate.yaml', 'port: 9001\nbaseUrl: https://tollgate.example.com/\nrateLimit:\n  enabled: true\n  max: 10\n');
    const fromYaml = loadConfig({ file: yaml, env: {} });
    expect(fromYaml).toMatchObject({ port: 9001, baseUrl: 'https://tollgate.example.com', rateLimit: { enabled: true, max: 10, windowSeconds: 300 } });
    expect(fromYaml.host).toBe('0.0.0.0');

    const json = file('tollgate.json', JSON.stringify({ dataDir: join(dir, 'store'), logLevel: 'warn' }));
    const fromJson = loadConfig({ file: json, env: {} });
    expect(fromJson).toMatchObject({ logLevel: 'warn', port: 8070 });
    expect(fromJson.databaseUrl).toBe(`sqlite:${join(dir, 'store', 'tollgate.db')}`);

    expect(loadConfig({ file: file('empty.yaml', ''), env: {} }).port).toBe(8070);
  });

  it('lets the environment override the file, and explicit overrides both', () => {
    const yaml = file('env.yaml', 'port: 9001\nlogLevel: debug\nrateLimit:\n  max: 10\n');
    const env = {
      TOLLGATE_PORT: '9002',
      TOLLGATE_RATE_LIMIT_ENABLED: 'true',
      TOLLGATE_RATE_LIMIT_WINDOW_SECONDS: '60',
      DATABASE_URL: 'postgres://tollgate@db.example.com/tollgate',
    };
    const config = loadConfig({ file: yaml, env });
    expect(config).toMatchObject({ port: 9002, logLevel: 'debug', rateLimit: { enabled: true, max: 10, windowSeconds: 60 } });
    expect(config.databaseUrl).toBe('postgres://tollgate@db.example.com/tollgate');
    expect(loadConfig({ file: yaml, env, overrides: { port: '9003' } }).port).toBe(9003);
    // TOLLGATE_PORT is more specific than the platform's PORT.
    expect(loadConfig({ file: false, env: { PORT: '7000', TOLLGATE_PORT: '7001' } }).port).toBe(7001);
    expect(loadConfig({ file: false, env: { PORT: '7000' } }).port).toBe(7000);
  });

  it('finds the file through TOLLGATE_CONFIG unless one is given', () => {
    const named = file('named.yaml', 'port: 9100\n');
    expect(loadConfig({ env: { TOLLGATE_CONFIG: named } }).port).toBe(9100);
    expect(loadConfig({ file: file('given.yaml', 'port: 9200\n'), env: { TOLLGATE_CONFIG: named } }).port).toBe(9200);
  });

  it('names the wrong setting, where it came from and what is allowed', () => {
    const cases: Array<[Parameters<typeof loadConfig>[0], RegExp]> = [
      [{ file: false, env: { TOLLGATE_PORT: 'eighty' } }, /port \(from environment variable TOLLGATE_PORT\): must be integer \(got "eighty"\)/],
      [{ file: false, env: {}, overrides: { port: 70000 } }, /port: must be <= 65535 \(got 70000\)/],
      [{ file: false, env: { TOLLGATE_RATE_LIMIT_MAX: '0' } }, /rateLimit\.max \(from environment variable TOLLGATE_RATE_LIMIT_MAX\): must be >= 1/],
      [{ file: false, env: { TOLLGATE_RATE_LIMIT_ENABLED: 'maybe' } }, /rateLimit\.enabled .*must be boolean/],
      [{ file: false, env: { TOLLGATE_LOG_LEVEL: 'loud' } }, /logLevel .*must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/],
      [{ file: file('typo.yaml', 'prot: 8080\n'), env: {} }, /typo\.yaml\)[\s\S]*prot: is not a setting Tollgate knows/],
      [{ file: file('nested.yaml', 'rateLimit:\n  maximum: 5\n'), env: {} }, /rateLimit\.maximum: is not a setting/],
    ];
    for (const [options, message] of cases) expect(failure(options)).toMatch(message);
  });

  it('never repeats a password it rejects', () => {
    const message = failure({ file: false, env: {}, overrides: { initialAdminPassword: '', port: 'x' } });
    expect(message).toMatch(/initialAdminPassword/);
    const secret = failure({ file: false, env: { TOLLGATE_ADMIN_PASSWORD: 'S3cret!', TOLLGATE_PORT: 'x' } });
    expect(secret).toMatch(/port/);
    expect(secret).not.toContain('S3cret!');
  });

  it('explains a file it cannot read or parse', () => {
    expect(failure({ file: join(dir, 'missing.yaml'), env: {} })).toMatch(/cannot read config file .*missing\.yaml/);
    expect(failure({ file: file('bad.yaml', 'port: [1,\n'), env: {} })).toMatch(/config file .*bad\.yaml is not valid/);
    expect(failure({ file: file('bad.json', '{"port": 1,}'), env: {} })).toMatch(/bad\.json is not valid/);
    expect(failure({ file: file('list.yaml', '- 1\n- 2\n'), env: {} })).toMatch(/top level must be a mapping/);
  });
});
