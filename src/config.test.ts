import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, testConfig } from './config.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-real-secret-of-at-least-32-characters!',
  DATABASE_URL: 'postgres://heard@db.internal/heard',
  PUBLIC_URL: 'https://concerns.example.gov.uk/',
};

function errorsOf(env: NodeJS.ProcessEnv): string[] {
  const result = parseConfig(env);
  if (result.ok) throw new Error('expected the configuration to be refused');
  return result.errors;
}

describe('parseConfig defaults', () => {
  it('needs nothing in development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      production: false,
      host: '0.0.0.0',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      dataDir: './data',
      databaseUrl: undefined,
      databasePoolSize: 10,
      demoSeed: true,
      logLevel: 'info',
      smtpUrl: undefined,
      outboxDir: 'data/outbox',
      smtpPort: 2525,
      imapUrl: undefined,
      trustProxy: false,
      secureCookies: false,
    });
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('follows PORT in the default public URL and drops a trailing slash from PUBLIC_URL', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'http://heard.test/' }).publicUrl).toBe('http://heard.test');
  });

  it('is quiet in tests', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('reads booleans the way people write them', () => {
    for (const yes of ['true', '1', 'yes']) expect(loadConfig({ TRUST_PROXY: yes }).trustProxy).toBe(true);
    for (const no of ['false', '0', 'no', '']) expect(loadConfig({ TRUST_PROXY: no }).trustProxy).toBe(false);
    expect(loadConfig({ DEMO_SEED: 'false' }).demoSeed).toBe(false);
    expect(errorsOf({ TRUST_PROXY: 'maybe' })[0]).toMatch(/^TRUST_PROXY: /);
  });

  it('treats empty DATABASE_URL and SMTP_URL as unset', () => {
    const config = loadConfig({ DATABASE_URL: '', SMTP_URL: '' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.smtpUrl).toBeUndefined();
  });

  it('marks cookies Secure when the public URL is https', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://heard.test' }).secureCookies).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'http://heard.test' }).secureCookies).toBe(false);
  });
});

describe('production', () => {
  it('starts with the three required settings', () => {
    const config = loadConfig(PRODUCTION);
    expect(config).toMatchObject({
      production: true,
      sessionSecret: PRODUCTION.SESSION_SECRET,
      databaseUrl: PRODUCTION.DATABASE_URL,
      publicUrl: 'https://concerns.example.gov.uk',
      secureCookies: true,
      demoSeed: false,
      logLevel: 'info',
    });
  });

  it.each(['SESSION_SECRET', 'DATABASE_URL', 'PUBLIC_URL'] as const)(
    'refuses to start without %s',
    (name) => {
      const env: NodeJS.ProcessEnv = { ...PRODUCTION };
      delete env[name];
      const errors = errorsOf(env);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^${name}: required in production`));
      expect(() => loadConfig(env)).toThrow(new RegExp(`Invalid configuration:[\\s\\S]*${name}`));
    },
  );

  it('lists every missing setting at once', () => {
    const errors = errorsOf({ NODE_ENV: 'production' });
    expect(errors.map((e) => e.split(':')[0])).toEqual(['SESSION_SECRET', 'DATABASE_URL', 'PUBLIC_URL']);
  });

  it('refuses a short session secret', () => {
    expect(errorsOf({ ...PRODUCTION, SESSION_SECRET: 'too-short' })[0]).toMatch(/^SESSION_SECRET: /);
  });

  it('never seeds demo data, even with DEMO_SEED=true', () => {
    expect(loadConfig({ ...PRODUCTION, DEMO_SEED: 'true' }).demoSeed).toBe(false);
    expect(loadConfig({ DEMO_SEED: 'true' }).demoSeed).toBe(true);
  });
});

describe('invalid values', () => {
  it.each(['abc', '70000', '-1', '3.5'])('refuses PORT=%s with a clear message', (port) => {
    const errors = errorsOf({ PORT: port });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe('PORT: must be a whole number from 0 to 65535');
    expect(() => loadConfig({ PORT: port })).toThrow(/Invalid configuration:\n {2}PORT: /);
  });

  it('treats an empty PORT or DATABASE_POOL_SIZE as unset rather than zero', () => {
    const config = loadConfig({ PORT: '', DATABASE_POOL_SIZE: ' ' });
    expect(config.port).toBe(3000);
    expect(config.databasePoolSize).toBe(10);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(errorsOf({ DATABASE_POOL_SIZE: '0' })).toEqual([
      'DATABASE_POOL_SIZE: must be a whole number from 1 to 200',
    ]);
  });

  it('refuses an unknown NODE_ENV and a PUBLIC_URL that is not a URL', () => {
    expect(errorsOf({ NODE_ENV: 'staging' })[0]).toMatch(/^NODE_ENV: /);
    expect(errorsOf({ PUBLIC_URL: 'not a url' })[0]).toMatch(/^PUBLIC_URL: /);
  });
});

describe('testConfig', () => {
  it('is the test environment without demo data, with overrides applied', () => {
    expect(testConfig()).toMatchObject({
      env: 'test',
      demoSeed: false,
      logLevel: 'silent',
      production: false,
    });
    expect(testConfig({ secureCookies: true }).secureCookies).toBe(true);
  });
});
