import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { matches } from './event-pattern-matcher';

/**
 * A test-only model of what the synthesized templates become once deployed, and of how EventBridge
 * routes a CloudTrail event through them. It follows AWS's documented behaviour:
 * - a CloudTrail event reaches the default bus of its account and Region only where a trail logs it
 *   (EventBridge User Guide, "Events from AWS services": "you must enable a CloudTrail trail");
 *   a multi-Region trail logs every Region of its account;
 * - a rule in state ENABLED gets no read-only management event; ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
 *   does (EventBridge User Guide, "Receiving read-only management events from AWS services");
 * - a rule may target an event bus in another Region or account, with a role allowed events:PutEvents on
 *   it; another account's bus must admit the sender in its resource policy; an event received from
 *   another account is not sent on to a third (EventBridge User Guide, "Sending and receiving events
 *   between AWS accounts");
 * - a self-managed StackSet deploys its template to each listed account in each Region; a
 *   service-managed one to every account of its units but never the management account (CloudFormation
 *   API Reference, DeploymentTargets).
 */

/** Where an app's stack deploys; `account` is needed for a stack with no account at synth. */
export interface StackPlacement {
  readonly stack: Stack;
  readonly account?: string;
}

export interface DeploymentOptions {
  /** The accounts of the organizational units a service-managed StackSet targets. */
  readonly organizationAccounts?: string[];
  /** The organization id, for bus policies that admit `aws:PrincipalOrgID`. */
  readonly organizationId?: string;
  /** Accounts an existing trail (such as an organization trail) logs, all management events, every Region. */
  readonly existingTrailAccounts?: string[];
}

/** A Lambda function one delivery reached, through which rule. */
export interface Reached {
  readonly stack: string;
  readonly rule: string;
  readonly function: string;
}

export interface Delivery {
  readonly reached: Reached[];
  /** Why it went no further, step by step. */
  readonly trace: string[];
}

interface Ctx {
  readonly account: string;
  readonly region: string;
  readonly params: Record<string, unknown>;
  readonly template: any;
  readonly stackName: string;
}

interface DeployedRule {
  readonly stack: string;
  readonly logicalId: string;
  readonly account: string;
  readonly region: string;
  readonly bus: string;
  readonly pattern: Record<string, unknown>;
  readonly state: string;
  readonly targets: DeployedTarget[];
}

interface DeployedTarget {
  readonly arn: string;
  readonly roleArn?: string;
}

interface DeployedTrail {
  readonly account: string;
  readonly region: string;
  readonly multiRegion: boolean;
  readonly readWrite: string;
}

interface BusPolicy {
  readonly busArn: string;
  readonly statement: any;
}

export class SimulatedDeployment {
  public static of(placements: StackPlacement[], options: DeploymentOptions = {}): SimulatedDeployment {
    const d = new SimulatedDeployment(options);
    for (const { stack, account } of placements) {
      const resolvedAccount = account ?? stack.account;
      if (/\$\{Token/.test(resolvedAccount) || /\$\{Token/.test(stack.region)) {
        throw new Error(`stack ${stack.stackName} needs an account and a Region to be deployed in the simulation`);
      }
      const template = Template.fromStack(stack).toJSON();
      d.deploy({ account: resolvedAccount, region: stack.region, params: {}, template, stackName: stack.stackName });
    }
    return d;
  }

  public readonly rules: DeployedRule[] = [];
  public readonly trails: DeployedTrail[] = [];
  /** Every (stack, account, Region) deployed, StackSet instances included. */
  public readonly stacks: Array<{ name: string; account: string; region: string }> = [];
  private readonly busPolicies: BusPolicy[] = [];
  /** Role ARN to the ARNs it may put events on. */
  private readonly putEventsGrants = new Map<string, string[]>();

  private constructor(private readonly options: DeploymentOptions) {}

  /** Delivers a CloudTrail event (envelope and detail) as EventBridge would, from its account and Region. */
  public deliver(event: Record<string, any>): Delivery {
    const trace: string[] = [];
    const { account, region } = event;
    const readOnly = event.detail?.readOnly === true;
    if (!this.logged(account, region, readOnly)) {
      return { reached: [], trace: [`no trail logs ${readOnly ? 'read-only ' : ''}management events in ${account} ${region}`] };
    }
    const reached: Reached[] = [];
    for (const rule of this.matching(account, region, 'default', event)) {
      for (const target of rule.targets) {
        const bus = parseBusArn(target.arn);
        if (!bus) {
          reached.push({ stack: rule.stack, rule: rule.logicalId, function: functionOf(target.arn) });
          continue;
        }
        const refusal = this.refusal(account, target, bus);
        if (refusal) {
          trace.push(`${rule.stack}/${rule.logicalId} -> ${target.arn}: ${refusal}`);
          continue;
        }
        // A bus forwards an event received from another account no further: only function targets count here.
        for (const central of this.matching(bus.account, bus.region, bus.name, event)) {
          for (const t of central.targets.filter((x) => !parseBusArn(x.arn))) {
            reached.push({ stack: central.stack, rule: central.logicalId, function: functionOf(t.arn) });
          }
        }
      }
    }
    if (reached.length === 0) {
      trace.push(`no rule in ${account} ${region} brings the event to a function`);
    }
    return { reached, trace };
  }

  private logged(account: string, region: string, readOnly: boolean): boolean {
    if ((this.options.existingTrailAccounts ?? []).includes(account)) {
      return true;
    }
    return this.trails.some((t) => t.account === account && (t.multiRegion || t.region === region)
      && (t.readWrite === 'All' || (t.readWrite === 'WriteOnly' && !readOnly) || (t.readWrite === 'ReadOnly' && readOnly)));
  }

  private matching(account: string, region: string, bus: string, event: Record<string, any>): DeployedRule[] {
    const readOnly = event.detail?.readOnly === true;
    return this.rules.filter((r) => r.account === account && r.region === region && r.bus === bus
      && (r.state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' || (r.state === 'ENABLED' && !readOnly))
      && matches(r.pattern, event));
  }

  private refusal(from: string, target: DeployedTarget, bus: { account: string; arn: string }): string | undefined {
    if (!target.roleArn || !(this.putEventsGrants.get(target.roleArn) ?? []).includes(bus.arn)) {
      return 'the rule has no role allowed events:PutEvents on the bus';
    }
    if (bus.account === from) {
      return undefined;
    }
    const admitted = this.busPolicies.filter((p) => p.busArn === bus.arn).some((p) => admits(p.statement, from, this.options));
    return admitted ? undefined : `the bus policy does not admit account ${from}`;
  }

  private deploy(ctx: Ctx): void {
    this.stacks.push({ name: ctx.stackName, account: ctx.account, region: ctx.region });
    const resources: Record<string, any> = ctx.template.Resources ?? {};
    for (const [id, resource] of Object.entries<any>(resources)) {
      if (resource.Condition && !condition(resource.Condition, ctx)) {
        continue;
      }
      const p = resource.Properties ?? {};
      switch (resource.Type) {
        case 'AWS::Events::Rule':
          // A scheduled rule has no pattern and matches no event.
          if (!p.EventPattern) {
            break;
          }
          this.rules.push({
            stack: ctx.stackName,
            logicalId: id,
            account: ctx.account,
            region: ctx.region,
            bus: p.EventBusName ? String(resolve(p.EventBusName, ctx)) : 'default',
            pattern: resolve(p.EventPattern, ctx) as Record<string, unknown>,
            state: String(resolve(p.State ?? 'ENABLED', ctx)),
            targets: (p.Targets ?? []).map((t: any) => ({
              arn: String(resolve(t.Arn, ctx)),
              roleArn: t.RoleArn ? String(resolve(t.RoleArn, ctx)) : undefined,
            })),
          });
          break;
        case 'AWS::CloudTrail::Trail': {
          const selectors = (p.EventSelectors ?? [{ IncludeManagementEvents: true, ReadWriteType: 'All' }]) as any[];
          const management = selectors.find((s) => s.IncludeManagementEvents !== false);
          if (resolve(p.IsLogging, ctx) === true && management) {
            this.trails.push({ account: ctx.account, region: ctx.region, multiRegion: resolve(p.IsMultiRegionTrail, ctx) === true, readWrite: management.ReadWriteType ?? 'All' });
          }
          break;
        }
        case 'AWS::Events::EventBusPolicy':
          this.busPolicies.push({ busArn: busArn(ctx, String(resolve(p.EventBusName, ctx))), statement: resolve(p.Statement, ctx) });
          break;
        case 'AWS::IAM::Role': {
          const roleArn = resolve({ 'Fn::GetAtt': [id, 'Arn'] }, ctx) as string;
          const managed = (p.ManagedPolicyArns ?? []).map((m: any) => resources[m.Ref]?.Properties?.PolicyDocument);
          const policies = [...managed, ...(p.Policies ?? []).map((x: any) => x.PolicyDocument)];
          const grants = policies.filter(Boolean).flatMap((doc: any) => (doc.Statement as any[])
            .filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('events:PutEvents'))
            .flatMap((s) => [resolve(s.Resource, ctx)].flat().map(String)));
          this.putEventsGrants.set(roleArn, grants);
          break;
        }
        case 'AWS::CloudFormation::StackSet':
          this.deployStackSet(p, ctx);
          break;
        default:
      }
    }
  }

  private deployStackSet(p: any, home: Ctx): void {
    const body = JSON.parse(p.TemplateBody);
    const params = Object.fromEntries((p.Parameters ?? []).map((x: any) => [x.ParameterKey, resolve(x.ParameterValue, home)]));
    for (const group of p.StackInstancesGroup) {
      const regions = resolve(group.Regions, home) as string[];
      const targets = group.DeploymentTargets;
      const accounts = p.PermissionModel === 'SERVICE_MANAGED'
        // The home stack of a service-managed StackSet is the management account or a delegated administrator: either way, not counted as a target.
        ? (this.options.organizationAccounts ?? []).filter((a) => a !== home.account)
        : resolve(targets.Accounts, home) as string[];
      if (new Set(accounts).size !== accounts.length) {
        throw new Error(`StackSet ${home.stackName} lists an account twice: ${accounts.join(', ')}`);
      }
      for (const account of accounts) {
        for (const region of regions) {
          this.deploy({ account, region, params, template: body, stackName: `${home.stackName}/StackSet` });
        }
      }
    }
  }
}

function admits(statement: any, account: string, options: DeploymentOptions): boolean {
  if (statement.Effect !== 'Allow' || ![statement.Action].flat().includes('events:PutEvents')) {
    return false;
  }
  const principals = [statement.Principal?.AWS ?? statement.Principal].flat().map(String);
  if (principals.includes('*')) {
    const org = statement.Condition?.StringEquals?.['aws:PrincipalOrgID'];
    return org !== undefined && org === options.organizationId && (options.organizationAccounts ?? []).includes(account);
  }
  return principals.some((p) => p === account || p === `arn:aws:iam::${account}:root`);
}

function parseBusArn(arn: string): { account: string; region: string; name: string; arn: string } | undefined {
  const m = /^arn:aws:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/.exec(arn);
  return m ? { region: m[1], account: m[2], name: m[3], arn } : undefined;
}

function functionOf(arn: string): string {
  return arn.split(':').slice(-1)[0];
}

function busArn(ctx: Ctx, name: string): string {
  return `arn:aws:events:${ctx.region}:${ctx.account}:event-bus/${name}`;
}

function condition(name: string, ctx: Ctx): boolean {
  const expression = ctx.template.Conditions?.[name];
  if (expression === undefined) {
    throw new Error(`condition ${name} is not in the template`);
  }
  return resolve(expression, ctx) === true;
}

/** The intrinsic functions the library's templates use, as CloudFormation evaluates them. */
function resolve(value: any, ctx: Ctx): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => resolve(v, ctx));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [fn] = keys;
    const arg = value[fn];
    switch (fn) {
      case 'Ref':
        return ref(arg, ctx);
      case 'Fn::GetAtt':
        return getAtt(arg[0], arg[1], ctx);
      case 'Fn::Join':
        return (resolve(arg[1], ctx) as unknown[]).join(arg[0]);
      case 'Fn::Select':
        return (resolve(arg[1], ctx) as unknown[])[Number(resolve(arg[0], ctx))];
      case 'Fn::Split':
        return String(resolve(arg[1], ctx)).split(arg[0]);
      case 'Fn::If':
        return resolve(condition(arg[0], ctx) ? arg[1] : arg[2], ctx);
      case 'Fn::Equals':
        return resolve(arg[0], ctx) === resolve(arg[1], ctx);
      case 'Fn::Not':
        return !resolve(arg[0], ctx);
      case 'Fn::And':
        return (arg as unknown[]).every((a) => resolve(a, ctx) === true);
      case 'Fn::Or':
        return (arg as unknown[]).some((a) => resolve(a, ctx) === true);
      case 'Condition':
        return condition(arg, ctx);
      default:
        if (fn.startsWith('Fn::')) {
          throw new Error(`the simulation does not evaluate ${fn}`);
        }
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, ctx)]));
}

function ref(name: string, ctx: Ctx): unknown {
  switch (name) {
    case 'AWS::AccountId': return ctx.account;
    case 'AWS::Region': return ctx.region;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::StackName': return ctx.stackName;
    default:
  }
  if (name in ctx.params) {
    return ctx.params[name];
  }
  const resource = ctx.template.Resources?.[name];
  if (!resource) {
    throw new Error(`Ref ${name}: no such parameter or resource`);
  }
  // Ref of an event bus is its name; of anything else, a stand-in physical id.
  return resource.Type === 'AWS::Events::EventBus' ? resolve(resource.Properties.Name, ctx) : `${ctx.stackName}-${name}`;
}

function getAtt(id: string, attribute: string, ctx: Ctx): unknown {
  const resource = ctx.template.Resources?.[id];
  if (!resource) {
    throw new Error(`Fn::GetAtt ${id}: no such resource`);
  }
  if (attribute !== 'Arn') {
    return `${id}.${attribute}`;
  }
  switch (resource.Type) {
    case 'AWS::Events::EventBus': return busArn(ctx, String(resolve(resource.Properties.Name, ctx)));
    case 'AWS::Lambda::Function': return `arn:aws:lambda:${ctx.region}:${ctx.account}:function:${id}`;
    case 'AWS::IAM::Role': return `arn:aws:iam::${ctx.account}:role/${ctx.stackName}-${ctx.region}-${id}`;
    case 'AWS::SQS::Queue': return `arn:aws:sqs:${ctx.region}:${ctx.account}:${id}`;
    default: return `arn:aws:${resource.Type}:${ctx.region}:${ctx.account}:${id}`;
  }
}
