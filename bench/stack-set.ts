import { App } from 'aws-cdk-lib';
import { Section } from './report';
import { slope } from './stats';
import { bytes } from './table';
import { CommercialRegions, ForwarderStackSet } from '../lib';
import { detectionStack } from '../test/detection/detection-fixture';

const ACCOUNT_COUNTS = [1, 10, 100, 1000];
const REGION_COUNTS = [1, 2, 5, 9, 13, 17];
const ORGANIZATION = 'o-a1b2c3d4e5';
/** CloudFormation's limit for a template uploaded to S3, which the CDK CLI does for large ones. */
const TEMPLATE_S3_LIMIT = 1_000_000;
/** CloudFormation's limit for a StackSet's TemplateBody passed inline. */
const TEMPLATE_BODY_LIMIT = 51_200;

/** The documentation's shape of account id, one per target. */
const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100_000_000_000 + i));
/** us-east-1 first (the StackSet requires it), then the other commercial Regions in order. */
const regions = (n: number) => ['us-east-1', ...CommercialRegions.all().filter((r) => r !== 'us-east-1')].slice(0, n);

interface Point {
  readonly accounts: number;
  readonly regions: number;
  readonly template: number;
  readonly resources: number;
  readonly body: number;
}

function measure(forwarders: ForwarderStackSet, nAccounts: number, nRegions: number): Point {
  const { app, stack } = detectionStack({ organizationId: ORGANIZATION, forwarders });
  const artifact = (app as App).synth().getStackByName(stack.stackName);
  const template = artifact.template as { Resources: Record<string, { Type: string; Properties: { TemplateBody?: string } }> };
  const set = Object.values(template.Resources).find((r) => r.Type === 'AWS::CloudFormation::StackSet')!;
  return {
    accounts: nAccounts,
    regions: nRegions,
    // What CloudFormation receives: the file as the CDK writes it.
    template: Buffer.byteLength(JSON.stringify(template, undefined, 1)),
    resources: Object.keys(template.Resources).length,
    body: Buffer.byteLength(set.Properties.TemplateBody!),
  };
}

export function measureStackSet(): Section {
  const self: Point[] = [];
  for (const a of ACCOUNT_COUNTS) {
    for (const r of REGION_COUNTS) {
      self.push(measure(ForwarderStackSet.selfManaged({ accounts: accounts(a), regions: regions(r) }), a, r));
    }
  }
  const service: Point[] = REGION_COUNTS.map((r) => measure(ForwarderStackSet.serviceManaged({ organizationalUnitIds: ['r-ab12'], regions: regions(r) }), 0, r));

  const bodies = new Set([...self, ...service].map((p) => p.body));
  const resources = new Set([...self, ...service].map((p) => p.resources));
  const perAccount = slope(self.filter((p) => p.regions === 17).map((p) => [p.accounts, p.template]));
  const perRegion = slope(self.filter((p) => p.accounts === 1).map((p) => [p.regions, p.template]));
  const largest = self.reduce((a, b) => (a.template > b.template ? a : b));
  const serviceGrowth = Math.max(...service.map((p) => p.template)) - Math.min(...service.map((p) => p.template));

  const row = (p: Point, model: string) => [model, p.accounts === 0 ? 'organization root (any number)' : bytes(p.accounts), p.regions, bytes(p.template), p.resources, bytes(p.body)];
  return {
    title: '4. Forwarder StackSet',
    method: [
      `The platform stack of the detection tests (invoke role, permission set, BedrockMisuseDetection with organizationId, so the bus policy does not list accounts) with \`forwarders\` set, synthesized for ${ACCOUNT_COUNTS.join(', ')} accounts x ${REGION_COUNTS.join(', ')} Regions (self-managed: a subset of the 1..17 grid; the intermediate counts add nothing the slope does not show) and for the organization root in the same Regions (service-managed). Account ids are 100000000000 + i; Regions are us-east-1 then \`CommercialRegions.all()\` in order. Template size is the file as the CDK writes it.`,
    ],
    tables: [{
      title: 'Platform template and StackSet TemplateBody, in bytes',
      headers: ['Permission model', 'Target accounts', 'Regions', 'Platform template', 'Resources', 'StackSet TemplateBody'],
      rows: [...self.map((p) => row(p, 'self-managed')), ...service.map((p) => row(p, 'service-managed'))],
      numeric: [2, 3, 4, 5],
    }],
    notes: [
      `The TemplateBody (the forwarder every account and Region runs) is ${bodies.size === 1 ? `${bytes([...bodies][0])} bytes in every configuration` : `between ${bytes(Math.min(...bodies))} and ${bytes(Math.max(...bodies))} bytes`}, under the ${bytes(TEMPLATE_BODY_LIMIT)} CloudFormation takes inline; the platform stack has ${resources.size === 1 ? `${[...resources][0]} resources in every configuration` : `${[...resources].join(' or ')} resources`}.`,
      `Self-managed, the platform template lists each target account once in StackInstancesGroup: +${perAccount.toFixed(1)} bytes per account, ${bytes(largest.template)} bytes at ${bytes(largest.accounts)} accounts and ${largest.regions} Regions (CloudFormation's limit is ${bytes(TEMPLATE_S3_LIMIT)} bytes through S3). Each Region adds ${perRegion.toFixed(1)} bytes. Service-managed, it does not list accounts at all: ${serviceGrowth} bytes between 1 and 17 Regions is the Region list.`,
    ],
    targets: [{
      target: 'the StackSet template does not grow with the number of accounts',
      measured: `TemplateBody ${bytes([...bodies][0])} bytes for 1 to ${bytes(Math.max(...ACCOUNT_COUNTS))} accounts${bodies.size === 1 ? ', identical' : ', NOT identical'}; the platform template +${perAccount.toFixed(1)} B per account (self-managed), +0 (service-managed)`,
      met: bodies.size === 1,
      note: 'the only per-account growth is the account id list a self-managed StackSet must carry; a service-managed StackSet targets organizational units and carries none.',
    }],
  };
}
