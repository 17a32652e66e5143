import * as fs from 'fs';
import { Geography, ModelCatalog } from '../../lib';
import { CATALOG_FILE } from '../../lib/models/catalog-file';
import { isRegionName } from '../../lib/models/regions';

const catalog = ModelCatalog.builtIn();

describe('the built-in catalog', () => {
  test('holds the Claude models the library promises', () => {
    for (const id of [
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
      'anthropic.claude-sonnet-4-6',
      'anthropic.claude-opus-4-5-20251101-v1:0',
      'anthropic.claude-opus-4-6-v1',
      'anthropic.claude-opus-4-7',
      'anthropic.claude-haiku-4-5-20251001-v1:0',
    ]) {
      expect(catalog.hasModel(id)).toBe(true);
      expect(catalog.displayName(id)).toMatch(/^Claude /);
    }
  });

  test('every route is between real Region names of the geography partition and includes its source', () => {
    for (const id of catalog.modelIds()) {
      for (const geo of Geography.all().filter((g) => !g.isGlobal)) {
        for (const route of catalog.routes(id, geo)) {
          expect(isRegionName(route.sourceRegion)).toBe(true);
          expect(route.destinationRegions.length).toBeGreaterThan(0);
          route.destinationRegions.forEach((r) => expect(isRegionName(r)).toBe(true));
          // AWS always lists the source among a geographic profile's destinations.
          expect(route.destinationRegions).toContain(route.sourceRegion);
          if (geo === Geography.US_GOV) {
            route.destinationRegions.forEach((r) => expect(r).toMatch(/^us-gov-/));
          }
        }
      }
      catalog.globalSourceRegions(id).forEach((r) => expect(r).not.toMatch(/^us-gov-|^cn-/));
    }
  });

  test('is written in a stable order, so a refresh diff shows only what AWS changed', () => {
    const text = fs.readFileSync(CATALOG_FILE, 'utf8');
    const sortDeep = (v: any): any => Array.isArray(v)
      ? [...v].sort()
      : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep(v[k])])) : v;
    expect(text).toBe(`${JSON.stringify(sortDeep(JSON.parse(text)), null, 2)}\n`);
  });

  test('unknown models have no routes, so resolution asks the user for them', () => {
    expect(catalog.hasModel('anthropic.claude-unknown')).toBe(false);
    expect(catalog.routes('anthropic.claude-unknown', Geography.US)).toEqual([]);
    expect(catalog.globalSourceRegions('anthropic.claude-unknown')).toEqual([]);
    expect(catalog.displayName('anthropic.claude-unknown')).toBeUndefined();
  });
});
