import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DestinationRegions, Geography, ModelCatalog, ModelReference } from '../lib/models';
import { CatalogView, currentModels, generatedFiles, REGENERATE_COMMAND, renderModelTable, replaceBlock } from './support/model-table';
import { resolveTarget } from '../lib/models/resolve';

const ROOT = path.join(__dirname, '..');
const models = fs.readFileSync(path.join(ROOT, 'docs', 'models.md'), 'utf8');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

test('the model tables of the README and docs/models.md are the ones the catalog gives', () => {
  const stale = generatedFiles().filter((f) => f.current !== f.expected).map((f) => f.file);
  if (stale.length > 0) {
    throw new Error(`${stale.join(' and ')} no longer ${stale.length === 1 ? 'matches' : 'match'} lib/models/catalog.json: run \`${REGENERATE_COMMAND}\` and commit the result`);
  }
  expect(stale).toEqual([]);
});

/** The rows of docs/models.md: each id in the first cell, with the Regions of the second. */
function listedIds(): { id: string; regions: string[] }[] {
  return [...models.matchAll(/^\| `([^`]+)` \| ([a-z0-9, -]+) \|/gm)].map((m) => ({ id: m[1], regions: m[2].split(', ') }));
}

function partitionOf(region: string): string {
  return region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

test('every id docs/models.md lists is one the library grants from each Region it is listed under', () => {
  const rows = listedIds();
  expect(rows.length).toBeGreaterThan(ModelCatalog.builtIn().modelIds().length);
  const refused: string[] = [];
  for (const { id, regions } of rows) {
    for (const region of regions) {
      const partition = partitionOf(region);
      try {
        const target = resolveTarget(ModelReference.parse(id), {
          sourceRegions: [region],
          account: '111122223333',
          conditionAccount: '111122223333',
          partition,
          catalog: ModelCatalog.builtIn(),
          destinations: DestinationRegions.ANY,
        });
        // A profile is granted in the Region called from; a model without one is granted there directly.
        const granted = [...target.profileArns, ...target.directModelArns];
        if (!granted.some((arn) => arn.startsWith(`arn:${partition}:bedrock:${region}:`))) {
          refused.push(`${id} from ${region}: granted ${granted.join(', ')}`);
        }
      } catch (e) {
        refused.push(`${id} from ${region}: ${(e as Error).message}`);
      }
    }
  }
  expect(refused).toEqual([]);
});

test('every profile the README\'s table offers is listed, with its Regions, in docs/models.md', () => {
  const listed = new Set(listedIds().map((r) => r.id));
  const offered = [...readme.matchAll(/^\| [^|]+ \| `([^`]+)` \| ([^|]+) \| ([^|]+) \|/gm)].flatMap((m) => [
    ...[...m[2].matchAll(/`([a-z-]+\.)`/g)].map((p) => `${p[1]}${m[1]}`),
    ...(m[3].startsWith('from') ? [`global.${m[1]}`] : []),
  ]);
  expect(offered.length).toBeGreaterThan(ModelCatalog.builtIn().modelIds().length);
  expect(offered.filter((id) => !listed.has(id))).toEqual([]);
});

test('a row names each geography a model has profiles in, its global Regions and where it is served without a profile', () => {
  const catalog: CatalogView = {
    modelIds: () => ['anthropic.claude-example-1', 'anthropic.claude-example-2'],
    displayName: (id) => (id.endsWith('1') ? 'Claude Example 1' : undefined),
    routes: (id, g) => (id.endsWith('1') && (g === Geography.EU || g === Geography.JP)
      ? [{ sourceRegion: g === Geography.EU ? 'eu-west-1' : 'ap-northeast-1', destinationRegions: ['eu-west-1'] }] : []),
    globalSourceRegions: (id) => (id.endsWith('1') ? ['us-east-1', 'eu-west-1'] : []),
    inRegionRegions: (id) => (id.endsWith('2') ? ['us-west-2'] : []),
  };
  expect(renderModelTable(catalog).split('\n').slice(2)).toEqual([
    '| Claude Example 1 | `anthropic.claude-example-1` | `eu.` `jp.` | from 2 Regions | profile only |',
    '| anthropic.claude-example-2 | `anthropic.claude-example-2` | none | none | us-west-2 |',
  ]);
});

test('the generator refuses a file without the block\'s markers instead of skipping it', () => {
  expect(() => replaceBlock('# A page\n', 'model-table', 'x')).toThrow(/no generated block 'model-table'/);
  expect(replaceBlock('a\n<!-- t:begin (generated) -->\nold\n<!-- t:end -->\nb\n', 't', 'new')).toBe('a\n<!-- t:begin (generated) -->\nnew\n<!-- t:end -->\nb\n');
});

test('generatedFiles reports a hand-edited table as stale', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'model-table-'));
  fs.mkdirSync(path.join(root, 'docs'));
  fs.writeFileSync(path.join(root, 'README.md'), '<!-- model-table:begin -->\n| edited |\n<!-- model-table:end -->\n');
  fs.writeFileSync(path.join(root, 'docs', 'models.md'), '<!-- model-routes:begin -->\n<!-- model-routes:end -->\n');
  const files = generatedFiles(currentModels(ModelCatalog.builtIn()), root);
  expect(files.map((f) => [f.file, f.current === f.expected])).toEqual([['README.md', false], [path.join('docs', 'models.md'), false]]);
  expect(files[0].expected).toContain('| Claude Sonnet 4.6 | `anthropic.claude-sonnet-4-6` |');
});
