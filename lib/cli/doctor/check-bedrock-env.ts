import { isRegionName } from '../../models/regions';
import { Finding } from '../findings';
import { EffectiveConfig, envValue } from './effective-config';

const TRUTHY = ['1', 'true', 'yes', 'on'];

/** True when Claude Code would treat the value as "on". */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && TRUTHY.includes(value.trim().toLowerCase());
}

/** Claude Code uses Bedrock only when CLAUDE_CODE_USE_BEDROCK is on. */
export function checkUseBedrock(config: EffectiveConfig): Finding[] {
  const value = envValue(config, 'CLAUDE_CODE_USE_BEDROCK');
  if (isTruthy(value)) {
    return [];
  }
  return [{
    id: 'bedrock-not-enabled',
    severity: 'high',
    title: value === undefined
      ? 'CLAUDE_CODE_USE_BEDROCK is not set: Claude Code will not use Amazon Bedrock'
      : `CLAUDE_CODE_USE_BEDROCK is '${value}' (from ${config.env.CLAUDE_CODE_USE_BEDROCK.source}): Claude Code will not use Amazon Bedrock`,
    detail: 'Without it Claude Code calls the Anthropic API with an Anthropic login instead of your AWS account.',
    fix: 'Add "CLAUDE_CODE_USE_BEDROCK": "1" to the env block of ~/.claude/settings.json.',
  }];
}

/**
 * The Region Claude Code calls Bedrock in: AWS_REGION, then AWS_DEFAULT_REGION.
 * Claude Code's Bedrock page calls AWS_REGION required and says it is not read from ~/.aws/config.
 */
export function bedrockRegion(config: EffectiveConfig): string | undefined {
  return envValue(config, 'AWS_REGION') ?? envValue(config, 'AWS_DEFAULT_REGION');
}

/** AWS_REGION must be set, and be a Region name. */
export function checkRegion(config: EffectiveConfig): Finding[] {
  const region = envValue(config, 'AWS_REGION');
  const fallback = envValue(config, 'AWS_DEFAULT_REGION');
  const fix = 'Add "AWS_REGION": "<the Region your role allows, such as us-east-1>" to the env block of ~/.claude/settings.json.';
  if (region === undefined && fallback === undefined) {
    return [{
      id: 'region-missing',
      severity: 'high',
      title: 'AWS_REGION is not set',
      detail: 'Claude Code needs AWS_REGION to call Bedrock and does not take the Region from ~/.aws/config. The model ids and '
        + 'the role\'s permissions depend on the Region, so none of them can be checked either.',
      fix,
    }];
  }
  if (region === undefined) {
    return [{
      id: 'region-from-default-region',
      severity: 'low',
      title: `AWS_REGION is not set; AWS_DEFAULT_REGION is ${fallback} (from ${config.env.AWS_DEFAULT_REGION.source})`,
      detail: 'Claude Code documents AWS_REGION; relying on AWS_DEFAULT_REGION works with some versions and tools and not others.',
      fix,
    }];
  }
  if (!isRegionName(region)) {
    return [{
      id: 'region-invalid',
      severity: 'high',
      title: `AWS_REGION is '${region}' (from ${config.env.AWS_REGION.source}), which is not a Region name`,
      detail: 'Bedrock calls to an unknown Region fail before they reach AWS.',
      fix,
    }];
  }
  return [];
}
