import { ModelCatalog } from './catalog';
import { Geography } from './geography';

/** At most this many ids in one "did you mean". */
const MAX_SUGGESTIONS = 3;

/** Every id the catalog knows that a client may pass to Bedrock: each profile, and each bare model id. */
export function knownModelIds(catalog: ModelCatalog): string[] {
  const ids: string[] = [];
  for (const modelId of catalog.modelIds()) {
    ids.push(modelId);
    for (const geo of Geography.all()) {
      const offered = geo.isGlobal ? catalog.globalSourceRegions(modelId).length > 0 : catalog.routes(modelId, geo).length > 0;
      if (offered) {
        ids.push(`${geo.prefix}.${modelId}`);
      }
    }
  }
  return ids.sort();
}

/**
 * The known ids closest to one the catalog does not know: those that only add a suffix (the date
 * and version people leave out, as in `anthropic.claude-haiku-4-5`), then those a few typed
 * characters away (`claude-sonet-4-6`). Empty when nothing is close enough to be a slip.
 */
export function closestModelIds(typed: string, catalog: ModelCatalog): string[] {
  const text = typed.trim().toLowerCase();
  const known = knownModelIds(catalog);
  const completions = known.filter((id) => id.startsWith(`${text}-`) || id.startsWith(`${text}:`));
  if (completions.length > 0) {
    return completions.slice(0, MAX_SUGGESTIONS);
  }
  // A slip is a few characters; a different model is more (claude-opus-5 and claude-opus-4-7 differ by 3).
  const limit = Math.max(2, Math.floor(text.length / 15));
  return known
    .map((id) => ({ id, d: editDistance(text, id) }))
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, MAX_SUGGESTIONS)
    .map((c) => c.id);
}

/** ` Did you mean 'a' or 'b'?`, or nothing when no known id is close. */
export function didYouMean(typed: string, catalog: ModelCatalog): string {
  const ids = closestModelIds(typed, catalog);
  return ids.length > 0 ? ` Did you mean ${ids.map((id) => `'${id}'`).join(' or ')}?` : '';
}

/**
 * The profiles of a model that every one of the Regions may call: the geographic ones whose routes
 * start in all of them, then `global.` when it is offered from all of them.
 */
export function profilesFrom(modelId: string, regions: readonly string[], catalog: ModelCatalog): string[] {
  const found: string[] = [];
  for (const geo of Geography.all()) {
    const sources = geo.isGlobal ? catalog.globalSourceRegions(modelId) : catalog.routes(modelId, geo).map((r) => r.sourceRegion);
    if (sources.length > 0 && regions.every((r) => sources.includes(r))) {
      found.push(`${geo.prefix}.${modelId}`);
    }
  }
  return found;
}

/**
 * The newest current model of the same family (Opus, Sonnet, Haiku, Fable) that the Regions can
 * call, for a model past or near its end of life; undefined when the catalog has none.
 */
export function successorOf(modelId: string, regions: readonly string[], catalog: ModelCatalog): string | undefined {
  const family = familyOf(modelId);
  if (!family) {
    return undefined;
  }
  const candidates = catalog.modelIds()
    .filter((id) => id !== modelId && familyOf(id) === family && catalog.endOfLife(id) === undefined)
    .filter((id) => profilesFrom(id, regions, catalog).length > 0)
    .sort((a, b) => versionOf(catalog.displayName(b)) - versionOf(catalog.displayName(a)));
  const best = candidates[0];
  return best ? profilesFrom(best, regions, catalog)[0] : undefined;
}

function familyOf(modelId: string): string | undefined {
  return /^anthropic\.claude-(opus|sonnet|haiku|fable|mythos)-/.exec(modelId)?.[1];
}

/** `Claude Sonnet 4.6` is 4.6; a name without a number sorts last. */
function versionOf(displayName: string | undefined): number {
  const m = /(\d+(?:\.\d+)?)\s*$/.exec(displayName ?? '');
  return m ? Number(m[1]) : 0;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
