import * as fs from 'fs';
import * as path from 'path';
import { Geography, ModelCatalog } from '../../lib/models';

const ROOT = path.join(__dirname, '..', '..');

/** The one command that rewrites every generated block; the staleness test prints it. */
export const REGENERATE_COMMAND = 'npx projen model-table';

/** What the tables read from a catalog: the built-in one, or a small one in a test. */
export type CatalogView = Pick<ModelCatalog, 'modelIds' | 'displayName' | 'routes' | 'globalSourceRegions' | 'inRegionRegions'>;

/** A block of a Markdown file between `<!-- <name>:begin ... -->` and `<!-- <name>:end -->`, rendered from the catalog. */
export interface GeneratedBlock {
  /** The file, relative to the repository root. */
  readonly file: string;
  readonly name: string;
  readonly render: (catalog: CatalogView) => string;
}

export const GENERATED_BLOCKS: GeneratedBlock[] = [
  { file: 'README.md', name: 'model-table', render: renderModelTable },
  { file: path.join('docs', 'models.md'), name: 'model-routes', render: renderRouteTables },
];

/** The catalog without models past their end of life: the tables offer only ids synthesis accepts. */
export function currentModels(catalog: ModelCatalog): CatalogView {
  return {
    modelIds: () => catalog.modelIds().filter((id) => !catalog.isRetired(id)),
    displayName: (id) => catalog.displayName(id),
    routes: (id, geography) => catalog.routes(id, geography),
    globalSourceRegions: (id) => catalog.globalSourceRegions(id),
    inRegionRegions: (id) => catalog.inRegionRegions(id),
  };
}

function geographicPrefixes(catalog: CatalogView, modelId: string): string[] {
  return Geography.all().filter((g) => !g.isGlobal && catalog.routes(modelId, g).length > 0).map((g) => `${g.prefix}.`);
}

function regionCount(regions: string[]): string {
  return regions.length === 1 ? '1 Region' : `${regions.length} Regions`;
}

/** One row per model: the id to put after a prefix, and which prefixes, `global.` Regions and direct Regions the catalog has. */
export function renderModelTable(catalog: CatalogView): string {
  const rows = catalog.modelIds().map((id) => {
    const prefixes = geographicPrefixes(catalog, id).map((p) => `\`${p}\``).join(' ') || 'none';
    const global = catalog.globalSourceRegions(id);
    const direct = catalog.inRegionRegions(id);
    return `| ${catalog.displayName(id) ?? id} | \`${id}\` | ${prefixes} | ${global.length > 0 ? `from ${regionCount(global)}` : 'none'} | ${direct.length > 0 ? direct.join(', ') : 'profile only'} |`;
  });
  return [
    '| Model | Id after the prefix | Geographic profiles | `global.` profile | Without a profile, in |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Per geography, each profile id with the Regions it is called from and may route to; then `global.` and direct calls. */
export function renderRouteTables(catalog: CatalogView): string {
  const sections: string[] = [];
  for (const geography of Geography.all().filter((g) => !g.isGlobal)) {
    const rows = catalog.modelIds().flatMap((id) => {
      const routes = catalog.routes(id, geography);
      if (routes.length === 0) {
        return [];
      }
      const destinations = [...new Set(routes.flatMap((r) => r.destinationRegions))].sort();
      return [`| \`${geography.prefix}.${id}\` | ${routes.map((r) => r.sourceRegion).join(', ')} | ${destinations.join(', ')} |`];
    });
    if (rows.length > 0) {
      sections.push([`### \`${geography.prefix}.\``, '', '| Model id | Call it from (`AWS_REGION`) | Bedrock may route it to |', '| --- | --- | --- |', ...rows].join('\n'));
    }
  }
  const globalRows = catalog.modelIds().flatMap((id) => {
    const regions = catalog.globalSourceRegions(id);
    return regions.length > 0 ? [`| \`global.${id}\` | ${regions.join(', ')} |`] : [];
  });
  if (globalRows.length > 0) {
    sections.push(['### `global.`', '', 'Bedrock may route a `global.` profile to any commercial Region.', '', '| Model id | Call it from (`AWS_REGION`) |', '| --- | --- |', ...globalRows].join('\n'));
  }
  const directRows = catalog.modelIds().flatMap((id) => {
    const regions = catalog.inRegionRegions(id);
    return regions.length > 0 ? [`| \`${id}\` | ${regions.join(', ')} |`] : [];
  });
  if (directRows.length > 0) {
    sections.push(['### Without a profile (`ModelReference.foundationModel`)', '', '| Model id | Invoke it directly in |', '| --- | --- |', ...directRows].join('\n'));
  }
  return sections.join('\n\n');
}

/** The text with the named block's content replaced; throws when the markers are missing, so nothing is skipped silently. */
export function replaceBlock(text: string, name: string, content: string): string {
  const begin = new RegExp(`<!-- ${name}:begin[^>]*-->\\n`);
  const end = `<!-- ${name}:end -->`;
  const start = begin.exec(text);
  const stop = start ? text.indexOf(end, start.index) : -1;
  if (!start || stop < 0) {
    throw new Error(`no generated block '${name}': the file needs a line '<!-- ${name}:begin -->' and, below it, '${end}'`);
  }
  const from = start.index + start[0].length;
  return `${text.slice(0, from)}${content}\n${text.slice(stop)}`;
}

/** Each generated block's file as it is and as the catalog renders it. */
export function generatedFiles(
  catalog: CatalogView = currentModels(ModelCatalog.builtIn()), root = ROOT,
): { file: string; current: string; expected: string }[] {
  const byFile = new Map<string, string>();
  for (const block of GENERATED_BLOCKS) {
    const current = byFile.get(block.file) ?? fs.readFileSync(path.join(root, block.file), 'utf8');
    byFile.set(block.file, replaceBlock(current, block.name, block.render(catalog)));
  }
  return [...byFile].map(([file, expected]) => ({ file, current: fs.readFileSync(path.join(root, file), 'utf8'), expected }));
}

if (require.main === module) {
  for (const { file, current, expected } of generatedFiles()) {
    if (current !== expected) {
      fs.writeFileSync(path.join(ROOT, file), expected);
    }
    console.log(`${current === expected ? 'unchanged' : 'rewritten'}: ${file}`);
  }
}
