// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import {
  BaseConfigurationItem,
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  ListDiscoveredResourcesCommand,
  ResourceKey,
  ResourceType,
} from '@aws-sdk/client-config-service';
import { DriftBaseline } from './baseline';
import { ConfigurationItem } from './configuration-item';
import { Sleep, withThrottlingRetries } from './retry';
import { ssoRoleNamePattern } from '../models/permission-set-role';

const ROLE_TYPE = 'AWS::IAM::Role';
/** BatchGetResourceConfig takes at most 100 keys a call. */
const KEYS_PER_BATCH = 100;

/** The item an oversized notification only summarizes, read from the configuration history. */
export async function fetchOversizedItem(
  config: ConfigServiceClient, resourceId: string, captureTime: string | undefined, sleep: Sleep, resourceType: string = ROLE_TYPE,
): Promise<ConfigurationItem> {
  const out = await withThrottlingRetries(() => config.send(new GetResourceConfigHistoryCommand({
    resourceType: resourceType as ResourceType,
    resourceId,
    laterTime: captureTime ? new Date(captureTime) : undefined,
    limit: 1,
  })), sleep);
  const item = out.configurationItems?.[0];
  if (!item) {
    throw new Error(`Config has no history for ${resourceType} ${resourceId} at ${captureTime ?? 'any time'}: check that the recorder records ${resourceType} in this Region`);
  }
  return toItem(item);
}

/**
 * Every recorded role the baseline may watch: invoke roles by id or by name (one created again under
 * the name has a new id), permission-set roles by exact name; `evaluate` then checks the path.
 */
export async function listWatchedRoles(config: ConfigServiceClient, baseline: DriftBaseline, sleep: Sleep): Promise<ResourceKey[]> {
  const ids = new Set(baseline.roles.map((r) => r.id));
  const names = new Set(baseline.roles.map((r) => r.arn.slice(r.arn.lastIndexOf('/') + 1).toLowerCase()));
  const patterns = baseline.sets.map((s) => new RegExp(ssoRoleNamePattern(s.name)));
  const keys: ResourceKey[] = [];
  let nextToken: string | undefined;
  do {
    const page = await withThrottlingRetries(() => config.send(new ListDiscoveredResourcesCommand({ resourceType: ROLE_TYPE, nextToken })), sleep);
    for (const r of page.resourceIdentifiers ?? []) {
      const name = r.resourceName ?? '';
      if (r.resourceId && (ids.has(r.resourceId) || names.has(name.toLowerCase()) || patterns.some((p) => p.test(name)))) {
        keys.push({ resourceType: ROLE_TYPE, resourceId: r.resourceId });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return keys;
}

/** The current item of each role, 100 a call; keys Config leaves unprocessed are asked for again. */
export async function fetchCurrentItems(config: ConfigServiceClient, keys: ResourceKey[], sleep: Sleep): Promise<ConfigurationItem[]> {
  const items: ConfigurationItem[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_BATCH) {
    let pending = keys.slice(i, i + KEYS_PER_BATCH);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const batch = pending;
      const out = await withThrottlingRetries(() => config.send(new BatchGetResourceConfigCommand({ resourceKeys: batch })), sleep);
      items.push(...(out.baseConfigurationItems ?? []).map(toItem));
      pending = out.unprocessedResourceKeys ?? [];
      if (pending.length > 0) {
        if (attempt >= 5) {
          throw new Error(`Config left ${pending.length} role(s) unprocessed after ${attempt} tries, such as ${pending[0].resourceId}: the next scheduled run tries again`);
        }
        await sleep(500 * attempt);
      }
    }
  }
  return items;
}

function toItem(item: BaseConfigurationItem): ConfigurationItem {
  return {
    configurationItemStatus: item.configurationItemStatus,
    configurationItemCaptureTime: item.configurationItemCaptureTime,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    awsRegion: item.awsRegion,
    configuration: item.configuration,
  };
}
