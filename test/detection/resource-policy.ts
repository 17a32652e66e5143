import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { ADMINISTRATOR_ACCESS, PolicyJson, resolveIntrinsics } from '../support/template-policies';

/** One call against a resource policy: who calls, what, on which resource, with which request keys. */
export interface ResourceRequest {
  /** The role whose session calls. */
  readonly roleArn: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly resourcePolicy: PolicyJson;
  /** The caller's own policies; an administrator by default, so only the resource policy can refuse. */
  readonly identityPolicies?: PolicyJson[];
  readonly context?: Record<string, string | string[]>;
}

/**
 * IAM's decision for a role session calling an action on a resource that has a resource policy
 * (an event bus, a queue), evaluated with @cloud-copilot/iam-simulate.
 */
export async function resourceDecision(r: ResourceRequest): Promise<string> {
  const [, , , , account, rest] = r.roleArn.split(':');
  const roleName = rest.split('/').pop();
  const simulation: Simulation = {
    request: {
      principal: `arn:aws:sts::${account}:assumed-role/${roleName}/session`,
      action: r.action,
      resource: { resource: r.resource, accountId: r.resourceAccount },
      contextVariables: { 'aws:PrincipalArn': r.roleArn, 'aws:PrincipalAccount': account, ...(r.context ?? {}) },
    },
    identityPolicies: (r.identityPolicies ?? [ADMINISTRATOR_ACCESS]).map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: r.resourcePolicy,
  };
  const result = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (result.resultType === 'error') {
    throw new Error(`iam-simulate rejected ${r.action}: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult;
}

/** Resolves a template fragment, with `Fn::GetAtt` of the given logical ids replaced by the given values. */
export function resolveWith(value: any, account: string, attributes: Record<string, string>): any {
  const swap = (v: any): any => {
    if (Array.isArray(v)) {
      return v.map(swap);
    }
    if (v && typeof v === 'object') {
      if ('Fn::GetAtt' in v) {
        const key = v['Fn::GetAtt'].join('.');
        if (!(key in attributes)) {
          throw new Error(`no value given for Fn::GetAtt ${key}`);
        }
        return attributes[key];
      }
      if ('Ref' in v && v.Ref in attributes) {
        return attributes[v.Ref];
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    }
    return v;
  };
  return resolveIntrinsics(swap(value), account);
}
