import * as fs from 'fs';
import * as path from 'path';
import { ModelCatalog } from '../../lib/models/catalog';
import { CATALOG_FILE, CatalogFile, validateCatalogFile } from '../../lib/models/catalog-file';
import { priceOf } from '../../lib/models/prices';

const catalog = ModelCatalog.builtIn();
const FILE = JSON.parse(fs.readFileSync(CATALOG_FILE, 'utf8')) as CatalogFile;
const SONNET = 'anthropic.claude-sonnet-4-6';

describe('priceOf', () => {
  test('every model that is not retired has a price, read from a page and dated', () => {
    const current = catalog.modelIds().filter((id) => !catalog.isRetired(id));
    expect(current.length).toBeGreaterThan(10);
    const missing = current.filter((id) => priceOf(id) === undefined);
    expect(missing).toEqual([]);
    for (const id of current) {
      const price = priceOf(id)!;
      expect(price.source).toMatch(/^https:\/\//);
      expect(price.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // Output always costs more than input, and a cache hit less than either (Anthropic's pricing page).
      expect(price.outputPerMillionUsd).toBeGreaterThan(price.inputPerMillionUsd);
      expect(price.cacheReadPerMillionUsd).toBeLessThan(price.inputPerMillionUsd);
    }
  });

  test('every price is sourced in CATALOG-SOURCES.md', () => {
    const sources = fs.readFileSync(path.join(path.dirname(CATALOG_FILE), 'CATALOG-SOURCES.md'), 'utf8');
    const section = sources.slice(sources.indexOf('## Prices'));
    for (const id of Object.keys(FILE.prices ?? {})) {
      expect(section).toContain(`\`${id}\``);
    }
  });

  test('the global profile is billed at list price; a geographic profile and an in-Region call 10% above it', () => {
    // Anthropic's list price for Sonnet 4.6: $3 input, $15 output per million tokens.
    const list = { inputPerMillionUsd: 3, outputPerMillionUsd: 15, cacheReadPerMillionUsd: 0.3, cacheWritePerMillionUsd: 6 };
    expect(priceOf(`global.${SONNET}`)).toMatchObject(list);
    for (const id of [`us.${SONNET}`, `eu.${SONNET}`, `jp.${SONNET}`, `au.${SONNET}`, SONNET]) {
      expect(priceOf(id)).toMatchObject({ inputPerMillionUsd: 3.3, outputPerMillionUsd: 16.5 });
      expect(priceOf(id)).toMatchObject({ cacheReadPerMillionUsd: 0.33, cacheWritePerMillionUsd: 6.6 });
    }
  });

  test('any profile prefix finds its model, the long-context variant included', () => {
    const haiku = 'anthropic.claude-haiku-4-5-20251001-v1:0';
    for (const prefix of ['us', 'eu', 'apac', 'jp', 'au', 'in', 'us-gov']) {
      expect(priceOf(`${prefix}.${haiku}`)).toEqual(priceOf(haiku));
    }
    expect(priceOf('us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0')).toEqual(priceOf('anthropic.claude-sonnet-4-5-20250929-v1:0'));
    expect(priceOf('global.anthropic.claude-sonnet-5-5[1m]')).toEqual(priceOf('global.anthropic.claude-sonnet-5-5'));
  });

  test.each([
    'anthropic.claude-sonnet-9',
    'us.anthropic.claude-sonnet-9',
    'xx.anthropic.claude-sonnet-4-6',
    'claude-sonnet-4-6',
    '',
  ])('%j names no priced model: undefined, never a guess', (id) => {
    expect(priceOf(id)).toBeUndefined();
  });
});

describe('validateCatalogFile', () => {
  const withPrice = (change: Record<string, unknown>) => ({ ...FILE, prices: { [SONNET]: { ...FILE.prices![SONNET], ...change } } });

  test('accepts the committed catalog', () => {
    expect(validateCatalogFile(FILE)).toBe(FILE);
  });

  test.each([
    [{ outputPerMillionUsd: '15' }, /prices\['anthropic.claude-sonnet-4-6'\].outputPerMillionUsd is "15"; it must be a number/],
    [{ cacheReadPerMillionUsd: -0.3 }, /cacheReadPerMillionUsd is -0.3/],
    [{ inputPerMillionUsd: Number.NaN }, /inputPerMillionUsd is null/],
    [{ inputPerMillionUsd: 0 }, /look free to the spend-rate cap/],
    [{ regionalPremiumPercent: 1.1 * 100 }, /regionalPremiumPercent is 110.00000000000001; give a percentage from 0 to 100/],
    [{ regionalPremiumPercent: undefined }, /regionalPremiumPercent is undefined/],
    [{ source: 'aws.amazon.com/bedrock/pricing' }, /source is "aws.amazon.com\/bedrock\/pricing"; give the https:\/\/ address/],
    [{ checkedOn: '1 Dec 2026' }, /checkedOn is "1 Dec 2026"; give the day/],
  ])('refuses %j, naming the entry and the fix', (change, message) => {
    expect(() => validateCatalogFile(withPrice(change), 'catalog.json')).toThrow(message);
    expect(() => validateCatalogFile(withPrice(change), 'catalog.json')).toThrow(/CATALOG-SOURCES.md/);
  });

  test('refuses a price keyed by a profile id, which priceOf would never find', () => {
    expect(() => validateCatalogFile({ ...FILE, prices: { [`us.${SONNET}`]: FILE.prices![SONNET] } })).toThrow(/not keyed by a foundation-model id/);
  });

  test('refuses a file without models', () => {
    expect(() => validateCatalogFile({ schemaVersion: 1 })).toThrow(/no "models" object/);
    expect(() => validateCatalogFile([])).toThrow(/not a JSON object/);
  });
});
