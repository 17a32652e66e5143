import * as fs from 'fs';
import * as path from 'path';
import { Geography, ModelCatalog, ModelReference } from '../../lib';
import { CATALOG_FILE } from '../../lib/models/catalog-file';
import { planInvokePolicy } from '../../lib/models/invoke-policy';
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
      // The Claude 5 models AWS documents for Bedrock (see CATALOG-SOURCES.md).
      'anthropic.claude-opus-5',
      'anthropic.claude-opus-5-5',
      'anthropic.claude-sonnet-5',
      'anthropic.claude-sonnet-5-5',
      'anthropic.claude-fable-5',
      'anthropic.claude-fable-5-1',
      'anthropic.claude-haiku-5-5',
    ]) {
      expect(catalog.hasModel(id)).toBe(true);
      expect(catalog.displayName(id)).toMatch(/^Claude /);
    }
  });

  test('names its sources for every model it holds', () => {
    const sources = fs.readFileSync(path.join(path.dirname(CATALOG_FILE), 'CATALOG-SOURCES.md'), 'utf8');
    for (const id of catalog.modelIds()) {
      expect(sources).toContain(`**${id}**`);
    }
  });

  test('the Claude 5 models are profile-only, offered globally and in the geographies their cards name', () => {
    const geographies = (id: string) => Geography.all().filter((g) => !g.isGlobal && catalog.routes(id, g).length > 0).map((g) => g.prefix);
    expect(geographies('anthropic.claude-opus-5')).toEqual(['us', 'eu', 'au', 'in']);
    expect(geographies('anthropic.claude-opus-5-5')).toEqual(['us', 'eu', 'jp', 'au']);
    expect(geographies('anthropic.claude-fable-5')).toEqual(['us']);
    for (const id of ['anthropic.claude-opus-5', 'anthropic.claude-opus-5-5', 'anthropic.claude-sonnet-5', 'anthropic.claude-sonnet-5-5', 'anthropic.claude-fable-5', 'anthropic.claude-fable-5-1']) {
      expect(catalog.inRegionRegions(id)).toEqual([]);
      expect(catalog.globalSourceRegions(id)).toHaveLength(33);
      // Canada is inside the US geography for these profiles ("keeps data within US and Canada regions").
      expect(catalog.routes(id, Geography.US).map((r) => r.sourceRegion)).toEqual(['ca-central-1', 'ca-west-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2']);
    }
    expect(catalog.routes('anthropic.claude-opus-5-5', Geography.JP)).toEqual([
      { sourceRegion: 'ap-northeast-1', destinationRegions: ['ap-northeast-1', 'ap-northeast-3'] },
      { sourceRegion: 'ap-northeast-3', destinationRegions: ['ap-northeast-1', 'ap-northeast-3'] },
    ]);
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

  test.each([
    ['global.anthropic.claude-opus-5-5', 'ap-northeast-1'],
    ['jp.anthropic.claude-opus-5-5', 'ap-northeast-1'],
    ['us.anthropic.claude-opus-5', 'us-east-1'],
    ['eu.anthropic.claude-sonnet-5', 'eu-west-1'],
    ['us.anthropic.claude-fable-5', 'us-west-2'],
    ['global.anthropic.claude-sonnet-5-5[1m]', 'eu-central-1'],
  ])('%s from %s resolves to a policy that names its profile, where it failed before', (id, region) => {
    const ref = ModelReference.parse(id);
    const policy = JSON.stringify(planInvokePolicy({ models: [ref] }, { sourceRegions: [region], account: '111122223333', partition: 'aws' }));
    expect(policy).toContain(`arn:aws:bedrock:${region}:111122223333:inference-profile/${ref.invocationId}`);
    expect(policy).not.toContain('[1m]');
  });

  test('unknown models have no routes, so resolution asks the user for them', () => {
    expect(catalog.hasModel('anthropic.claude-unknown')).toBe(false);
    expect(catalog.routes('anthropic.claude-unknown', Geography.US)).toEqual([]);
    expect(catalog.globalSourceRegions('anthropic.claude-unknown')).toEqual([]);
    expect(catalog.displayName('anthropic.claude-unknown')).toBeUndefined();
  });
});
