import { deriveDisplayName } from './display-name';
import { CLAUDE_PROFILE, ObservedProfile } from './observe-region';
import { CatalogFile, CatalogFileEntry, CatalogLifecycle } from '../../models/catalog-file';
import { Geography } from '../../models/geography';
import { sortedUnique } from '../../models/regions';

/** What one Region answered. */
export interface RegionObservation {
  readonly region: string;
  readonly profiles: readonly ObservedProfile[];
}

interface MutableEntry {
  displayName: string;
  geographic: Record<string, Record<string, string[]>>;
  global: Set<string>;
  inRegion: string[];
  lifecycle?: CatalogLifecycle;
}

const FOUNDATION_MODEL_ARN = /^arn:[a-z-]+:bedrock:([a-z0-9-]*)::foundation-model\/(.+)$/;

/**
 * The catalog after a refresh: for each Region that answered, its routes and global entries are
 * replaced by what it reported; Regions not asked (or that failed) keep what the file had.
 *
 * `inRegion` is kept from the existing file: AWS documents it per endpoint, and the profile APIs
 * do not report it. A new model starts with an empty list (profile-only, as new Claude models are).
 */
export function buildCatalog(existing: CatalogFile, observations: readonly RegionObservation[]): { catalog: CatalogFile; notes: string[] } {
  const notes: string[] = [];
  const known = new Set(Geography.all().map((g) => g.prefix));
  const models = new Map<string, MutableEntry>();
  for (const [id, entry] of Object.entries(existing.models)) {
    models.set(id, toMutable(entry));
  }
  const asked = new Set(observations.map((o) => o.region));
  for (const entry of models.values()) {
    for (const byRegion of Object.values(entry.geographic)) {
      asked.forEach((r) => delete byRegion[r]);
    }
    asked.forEach((r) => entry.global.delete(r));
  }
  for (const { region, profiles } of observations) {
    for (const profile of profiles) {
      const [, prefix, modelId] = CLAUDE_PROFILE.exec(profile.id) ?? [];
      if (!prefix || !known.has(prefix)) {
        notes.push(`${region}: skipped ${profile.id}, whose prefix '${prefix}' is not a geography this library knows (lib/models/geography.ts)`);
        continue;
      }
      const entry = models.get(modelId) ?? newEntry(modelId, models);
      if (prefix === Geography.GLOBAL.prefix) {
        entry.global.add(region);
        continue;
      }
      const destinations = destinationRegions(profile, modelId);
      if (destinations.length === 0) {
        notes.push(`${region}: skipped ${profile.id}, which lists no foundation-model ARN of ${modelId}`);
        continue;
      }
      entry.geographic[prefix] = { ...entry.geographic[prefix], [region]: destinations };
    }
  }
  const out: Record<string, CatalogFileEntry> = {};
  for (const [id, entry] of models) {
    const written = toFile(entry);
    if (Object.keys(written.geographic ?? {}).length === 0 && !written.global && (written.inRegion ?? []).length === 0) {
      notes.push(`${id}: no Region that answered offers it any more, and the catalog has no other Region for it; removed`);
      continue;
    }
    out[id] = written;
  }
  return { catalog: { ...existing, models: out }, notes };
}

function newEntry(modelId: string, models: Map<string, MutableEntry>): MutableEntry {
  const entry: MutableEntry = { displayName: deriveDisplayName(modelId), geographic: {}, global: new Set(), inRegion: [] };
  models.set(modelId, entry);
  return entry;
}

function destinationRegions(profile: ObservedProfile, modelId: string): string[] {
  const regions: string[] = [];
  for (const arn of profile.modelArns) {
    const m = FOUNDATION_MODEL_ARN.exec(arn);
    // The Region-less ARN belongs to global routing, never to a geographic destination.
    if (m && m[1] !== '' && m[2] === modelId) {
      regions.push(m[1]);
    }
  }
  return sortedUnique(regions);
}

function toMutable(entry: CatalogFileEntry): MutableEntry {
  const geographic: Record<string, Record<string, string[]>> = {};
  for (const [prefix, byRegion] of Object.entries(entry.geographic ?? {})) {
    geographic[prefix] = Object.fromEntries(Object.entries(byRegion).map(([r, d]) => [r, [...d]]));
  }
  return {
    displayName: entry.displayName,
    geographic,
    global: new Set(entry.global ?? []),
    inRegion: [...(entry.inRegion ?? [])],
    lifecycle: entry.lifecycle,
  };
}

function toFile(entry: MutableEntry): CatalogFileEntry {
  const geographic: Record<string, Record<string, string[]>> = {};
  for (const [prefix, byRegion] of Object.entries(entry.geographic)) {
    if (Object.keys(byRegion).length > 0) {
      geographic[prefix] = byRegion;
    }
  }
  return {
    displayName: entry.displayName,
    geographic,
    ...(entry.global.size > 0 ? { global: sortedUnique(entry.global) } : {}),
    inRegion: sortedUnique(entry.inRegion),
    // The profile APIs say nothing of lifecycle: the dates are kept from the file, as AWS's lifecycle page gives them.
    ...(entry.lifecycle ? { lifecycle: entry.lifecycle } : {}),
  };
}
