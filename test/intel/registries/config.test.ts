import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('registries configuration', () => {
  it('has defaults pointing at the public registries, online', () => {
    const { registries } = loadConfig({ file: false, env: {} });
    expect(registries).toEqual({
      offline: false,
      ttlSeconds: 86400,
      notFoundTtlSeconds: 3600,
      timeoutMs: 15000,
      downSeconds: 60,
      downMaxSeconds: 900,
      failureTtlSeconds: 300,
      npm: { url: 'https://registry.npmjs.org' },
      maven: { url: 'https://repo1.maven.org/maven2', searchUrl: 'https://search.maven.org/solrsearch/select' },
      pypi: { url: 'https://pypi.org' },
      cargo: { url: 'https://crates.io' },
      gem: { url: 'https://rubygems.org' },
      nuget: { url: 'https://api.nuget.org/v3/index.json' },
      composer: { url: 'https://repo.packagist.org' },
      golang: { url: 'https://proxy.golang.org' },
      depsdev: { url: 'https://api.deps.dev', formats: '' },
    });
  });

  it('is set from environment variables', () => {
    const { registries } = loadConfig({
      file: false,
      env: {
        TOLLGATE_REGISTRIES_OFFLINE: 'true',
        TOLLGATE_REGISTRIES_TTL_SECONDS: '60',
        TOLLGATE_REGISTRIES_NOT_FOUND_TTL_SECONDS: '5',
        TOLLGATE_REGISTRIES_TIMEOUT_MS: '2500',
        TOLLGATE_REGISTRIES_DOWN_SECONDS: '30',
        TOLLGATE_REGISTRIES_DOWN_MAX_SECONDS: '600',
        TOLLGATE_REGISTRIES_FAILURE_TTL_SECONDS: '20',
        TOLLGATE_REGISTRIES_NPM_URL: 'https://npm.example.org/',
        TOLLGATE_REGISTRIES_MAVEN_URL: 'https://maven.example.org/releases',
        TOLLGATE_REGISTRIES_MAVEN_SEARCH_URL: 'off',
        TOLLGATE_REGISTRIES_PYPI_URL: 'https://pypi.example.org',
        TOLLGATE_REGISTRIES_CARGO_URL: 'https://crates.example.org',
        TOLLGATE_REGISTRIES_GEM_URL: 'https://gems.example.org',
        TOLLGATE_REGISTRIES_NUGET_URL: 'https://nuget.example.org/v3/index.json',
        TOLLGATE_REGISTRIES_COMPOSER_URL: 'https://composer.example.org',
        TOLLGATE_REGISTRIES_GOLANG_URL: 'https://goproxy.example.org',
        TOLLGATE_REGISTRIES_DEPSDEV_URL: 'https://depsdev.example.org',
        TOLLGATE_REGISTRIES_DEPSDEV_FORMATS: 'pypi,golang',
      },
    });
    expect(registries).toMatchObject({
      offline: true,
      ttlSeconds: 60,
      notFoundTtlSeconds: 5,
      timeoutMs: 2500,
      downSeconds: 30,
      downMaxSeconds: 600,
      failureTtlSeconds: 20,
      npm: { url: 'https://npm.example.org/' },
      maven: { url: 'https://maven.example.org/releases', searchUrl: 'off' },
      pypi: { url: 'https://pypi.example.org' },
      cargo: { url: 'https://crates.example.org' },
      gem: { url: 'https://gems.example.org' },
      nuget: { url: 'https://nuget.example.org/v3/index.json' },
      composer: { url: 'https://composer.example.org' },
      golang: { url: 'https://goproxy.example.org' },
      depsdev: { url: 'https://depsdev.example.org', formats: 'pypi,golang' },
    });
  });

  it('refuses a negative TTL', () => {
    expect(() => loadConfig({ file: false, env: { TOLLGATE_REGISTRIES_TTL_SECONDS: '-1' } })).toThrow(ConfigError);
  });
});
