import * as fs from 'fs';
import * as path from 'path';
import { BedrockClient, GetInferenceProfileCommand, InferenceProfileSummary, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { mockClient } from 'aws-sdk-client-mock';
import { COMMERCIAL_REGIONS } from '../../../lib/cli/catalog-refresh/commercial-regions';
import { deriveDisplayName } from '../../../lib/cli/catalog-refresh/display-name';
import { CATALOG_FILE, CatalogFile } from '../../../lib/models/catalog-file';
import { Sandbox } from '../cli-harness';
import { otherProviderProfile, page, profilesFromCatalog, systemProfile } from '../fixtures/bedrock-responses';

const bedrock = mockClient(BedrockClient);
const COMMITTED = fs.readFileSync(CATALOG_FILE, 'utf8');
const CATALOG = JSON.parse(COMMITTED) as CatalogFile;

/** A fake Bedrock: each Region's system profiles, some without `models` so GetInferenceProfile must fill them in. */
function serve(profilesFor: (region: string) => InferenceProfileSummary[], failing: Record<string, Error> = {}) {
  const inRegion = async (getClient: () => BedrockClient) => {
    const region = await getClient().config.region();
    if (failing[region]) {
      throw failing[region];
    }
    return { region, profiles: [...profilesFor(region), otherProviderProfile(region)] };
  };
  bedrock.on(ListInferenceProfilesCommand).callsFake(async (input, getClient) => {
    const { profiles } = await inRegion(getClient);
    // Every third profile comes without its models, as a summary may.
    const summaries = profiles.map((p, i) => (i % 3 === 0 ? { ...p, models: [] } : p));
    return page(summaries, input.nextToken, 7);
  });
  bedrock.on(GetInferenceProfileCommand).callsFake(async (input, getClient) => {
    const { profiles } = await inRegion(getClient);
    return profiles.find((p) => p.inferenceProfileId === input.inferenceProfileIdentifier);
  });
}

/** AWS as the committed catalog describes it, with one change in one Region. */
function catalogWith(change: (region: string, profiles: InferenceProfileSummary[]) => InferenceProfileSummary[]) {
  return (region: string) => change(region, profilesFromCatalog(CATALOG, region));
}

let box: Sandbox;
let file: string;
beforeEach(() => {
  box = new Sandbox();
  bedrock.reset();
  file = path.join(box.root, 'catalog.json');
  fs.writeFileSync(file, COMMITTED);
});
afterEach(() => box.cleanup());

const refresh = (...args: string[]) => box.run(['catalog', 'refresh', '--file', file, ...args]);

test('when AWS matches the committed catalog, the refresh rewrites nothing', async () => {
  serve(catalogWith((_, profiles) => profiles));
  const { code, stdout } = await refresh();
  expect(code).toBe(0);
  expect(stdout).toContain(`Asked ${COMMERCIAL_REGIONS.length} Regions; ${COMMERCIAL_REGIONS.length} answered.`);
  expect(stdout).toContain('already matches AWS');
  expect(fs.readFileSync(file, 'utf8')).toBe(COMMITTED);
  // Only system-defined profiles were asked for, in every Region, and the paged summaries were all read.
  const calls = bedrock.commandCalls(ListInferenceProfilesCommand);
  expect(calls.every((c) => c.args[0].input.typeEquals === 'SYSTEM_DEFINED')).toBe(true);
  expect(calls.some((c) => c.args[0].input.nextToken !== undefined)).toBe(true);
  expect(bedrock.commandCalls(GetInferenceProfileCommand).length).toBeGreaterThan(0);
});

describe('a route AWS changed', () => {
  // eu-west-1's EU Sonnet 4.6 profile starts routing to eu-west-2 as well.
  const widened = catalogWith((region, profiles) => profiles.map((p) => (region === 'eu-west-1' && p.inferenceProfileId === 'eu.anthropic.claude-sonnet-4-6'
    ? systemProfile(region, 'eu.anthropic.claude-sonnet-4-6', [...CATALOG.models['anthropic.claude-sonnet-4-6'].geographic!.eu['eu-west-1'], 'eu-west-2'])
    : p)));

  test('the file diff is exactly that one destination, and the summary names the route', async () => {
    serve(widened);
    const { code, stdout } = await refresh();
    expect(code).toBe(0);
    expect(stdout).toContain('~ anthropic.claude-sonnet-4-6 eu. from eu-west-1: eu-central-1,eu-north-1,eu-south-1,eu-south-2,eu-west-1,eu-west-3 '
      + '-> eu-central-1,eu-north-1,eu-south-1,eu-south-2,eu-west-1,eu-west-2,eu-west-3');
    expect(stdout.match(/^ {2}[~+-] /gm)).toHaveLength(1);
    const { removed, added } = lineDiff(COMMITTED, fs.readFileSync(file, 'utf8'));
    expect(removed).toEqual([]);
    expect(added).toEqual(['            "eu-west-2",']);
  });

  test('a second refresh against the same AWS writes an identical file', async () => {
    serve(widened);
    await refresh();
    const first = fs.readFileSync(file, 'utf8');
    const { code, stdout } = await refresh();
    expect(code).toBe(0);
    expect(stdout).toContain('already matches AWS');
    expect(fs.readFileSync(file, 'utf8')).toBe(first);
  });

  test('--check reports the change, writes nothing and exits 1', async () => {
    serve(widened);
    const { code, stdout } = await refresh('--check');
    expect(code).toBe(1);
    expect(stdout).toContain('Would change');
    expect(fs.readFileSync(file, 'utf8')).toBe(COMMITTED);
  });
});

test('a new model gets a derived name, its routes and global Regions, and an empty in-Region list', async () => {
  serve(catalogWith((region, profiles) => (region === 'us-east-1'
    ? [...profiles, systemProfile(region, 'us.anthropic.claude-sonnet-9', ['us-east-1', 'us-west-2']), systemProfile(region, 'global.anthropic.claude-sonnet-9', [])]
    : profiles)));
  await refresh('--regions', 'us-east-1');
  const after = JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogFile;
  // A model the committed catalog does not hold yet.
  expect(CATALOG.models['anthropic.claude-sonnet-9']).toBeUndefined();
  expect(after.models['anthropic.claude-sonnet-9']).toEqual({
    displayName: 'Claude Sonnet 9',
    geographic: { us: { 'us-east-1': ['us-east-1', 'us-west-2'] } },
    global: ['us-east-1'],
    inRegion: [],
  });
});

test('a profile that disappears from a Region loses that source Region only', async () => {
  serve(catalogWith((region, profiles) => profiles.filter((p) => !(region === 'us-west-1' && p.inferenceProfileId === 'us.anthropic.claude-opus-4-6-v1'))));
  const { stdout } = await refresh();
  expect(stdout).toContain('- anthropic.claude-opus-4-6-v1 us. from us-west-1:');
  const after = JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogFile;
  expect(after.models['anthropic.claude-opus-4-6-v1'].geographic!.us['us-west-1']).toBeUndefined();
  expect(after.models['anthropic.claude-opus-4-6-v1'].geographic!.us['us-east-1']).toBeDefined();
});

test('Regions not asked keep their entries: --regions limits the refresh, GovCloud is never guessed', async () => {
  serve(() => []);
  await refresh('--regions', 'eu-west-1');
  const after = JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogFile;
  const sonnet45 = after.models['anthropic.claude-sonnet-4-5-20250929-v1:0'];
  expect(sonnet45.geographic!.eu['eu-west-1']).toBeUndefined();
  expect(sonnet45.geographic!.eu['eu-central-1']).toEqual(CATALOG.models['anthropic.claude-sonnet-4-5-20250929-v1:0'].geographic!.eu['eu-central-1']);
  expect(sonnet45.geographic!['us-gov']).toEqual(CATALOG.models['anthropic.claude-sonnet-4-5-20250929-v1:0'].geographic!['us-gov']);
});

test('a Region that fails keeps its entries, is named in the output, and the exit code is 1', async () => {
  const optIn = Object.assign(new Error('The security token included in the request is invalid.'), { name: 'UnrecognizedClientException' });
  serve(() => [], { 'me-central-1': optIn });
  const { code, stdout } = await refresh('--regions', 'me-central-1,eu-west-1');
  expect(code).toBe(1);
  expect(stdout).toContain('me-central-1: AWS rejected the credentials (UnrecognizedClientException');
  const after = JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogFile;
  expect(after.models['anthropic.claude-sonnet-4-6'].global).toContain('me-central-1');
  expect(after.models['anthropic.claude-sonnet-4-6'].global).not.toContain('eu-west-1');
});

test('no Region answering (no credentials) changes nothing and exits 4 with what to do', async () => {
  const none = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
  serve(() => [], { 'us-east-1': none, 'eu-west-1': none });
  const { code, stdout } = await refresh('--regions', 'us-east-1,eu-west-1');
  expect(code).toBe(4);
  expect(stdout).toContain('No Region answered');
  expect(stdout).toContain('aws sso login');
  expect(fs.readFileSync(file, 'utf8')).toBe(COMMITTED);
});

test('a profile with a geography the library does not know is reported, not written', async () => {
  serve(catalogWith((region, profiles) => (region === 'mx-central-1' ? [...profiles, systemProfile(region, 'zz.anthropic.claude-sonnet-4-6', ['mx-central-1'])] : profiles)));
  const { stdout } = await refresh('--regions', 'mx-central-1');
  expect(stdout).toContain("skipped zz.anthropic.claude-sonnet-4-6, whose prefix 'zz' is not a geography this library knows");
  expect(fs.readFileSync(file, 'utf8')).toBe(COMMITTED);
});

test('a missing catalog file is a usage error naming the path', async () => {
  const { code, stderr } = await box.run(['catalog', 'refresh', '--file', path.join(box.root, 'nope.json')]);
  expect(code).toBe(4);
  expect(stderr).toContain(`cannot read the catalog '${path.join(box.root, 'nope.json')}' (ENOENT)`);
});

test('the default Regions cover every commercial source Region in the catalog', () => {
  const sources = new Set<string>();
  for (const entry of Object.values(CATALOG.models)) {
    Object.values(entry.geographic ?? {}).forEach((byRegion) => Object.keys(byRegion).forEach((r) => sources.add(r)));
    (entry.global ?? []).forEach((r) => sources.add(r));
  }
  const commercial = [...sources].filter((r) => !r.startsWith('us-gov-'));
  expect(commercial.filter((r) => !COMMERCIAL_REGIONS.includes(r))).toEqual([]);
});

test('derived display names match every name the committed catalog holds', () => {
  for (const [id, entry] of Object.entries(CATALOG.models)) {
    expect(deriveDisplayName(id)).toBe(entry.displayName);
  }
  expect(deriveDisplayName('anthropic.claude-3-5-haiku-20241022-v1:0')).toBe('Claude 3.5 Haiku');
});

/** Lines only in `before` and lines only in `after`, around the common beginning and end. */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    start++;
  }
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) {
    end++;
  }
  return { removed: a.slice(start, a.length - end), added: b.slice(start, b.length - end) };
}

test('prices survive a refresh that changes routes: the profile APIs carry none, so they are kept by hand', async () => {
  serve(catalogWith((region, profiles) => profiles.filter((p) => !(region === 'us-west-1' && p.inferenceProfileId === 'us.anthropic.claude-opus-4-6-v1'))));
  const { code } = await refresh();
  expect(code).toBe(0);
  const after = JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogFile;
  expect(after.models).not.toEqual(CATALOG.models);
  expect(CATALOG.prices!['anthropic.claude-sonnet-4-6']).toBeDefined();
  expect(after.prices).toEqual(CATALOG.prices);
});

test('a catalog with a bad price is refused before anything is asked or written', async () => {
  const broken = { ...CATALOG, prices: { ...CATALOG.prices, 'anthropic.claude-sonnet-4-6': { ...CATALOG.prices!['anthropic.claude-sonnet-4-6'], outputPerMillionUsd: '15' } } };
  fs.writeFileSync(file, JSON.stringify(broken));
  serve(catalogWith((_, profiles) => profiles));
  const { code, stderr } = await refresh();
  expect(code).not.toBe(0);
  expect(stderr).toContain("prices['anthropic.claude-sonnet-4-6'].outputPerMillionUsd is \"15\"");
  expect(bedrock.calls()).toHaveLength(0);
  expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(broken));
});
