/**
 * A test-only stand-in for what CloudFormation returns at deploy time, so a synthesized event pattern
 * can be matched against the CloudTrail record of a call on the deployed resource. Each resource gets
 * a generated physical name unless its template names it; Ref and Fn::GetAtt return what the
 * CloudFormation Template Reference says each resource type returns (a function's name, a queue's URL,
 * a topic's ARN, a key's id, a table's or trail's name).
 */
export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

type Template = { [key: string]: any };

export class DeployedTemplate {
  constructor(private readonly template: Template) {}

  /** The name CloudFormation would give the resource, or the one its template sets. */
  public nameOf(logicalId: string): string {
    const r = this.resource(logicalId);
    const p = r.Properties ?? {};
    const given = {
      'AWS::Lambda::Function': p.FunctionName,
      'AWS::SQS::Queue': p.QueueName,
      'AWS::SNS::Topic': p.TopicName,
      'AWS::DynamoDB::Table': p.TableName,
      'AWS::CloudTrail::Trail': p.TrailName,
      'AWS::Events::Rule': p.Name,
      'AWS::Events::EventBus': p.Name,
      'AWS::Config::ConfigRule': p.ConfigRuleName,
      'AWS::IAM::Role': p.RoleName,
    }[r.Type];
    if (given !== undefined) {
      return this.resolve(given);
    }
    const generated = `platform-${logicalId.slice(0, 40).toLowerCase()}-1a2b3c4d`;
    return r.Type === 'AWS::SQS::Queue' && p.FifoQueue ? `${generated}.fifo` : generated;
  }

  public ref(logicalId: string): string {
    const r = this.resource(logicalId);
    const name = this.nameOf(logicalId);
    switch (r.Type) {
      case 'AWS::SQS::Queue': return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
      case 'AWS::SNS::Topic': return `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
      case 'AWS::KMS::Key': return keyId(logicalId);
      default: return name;
    }
  }

  public getAtt(logicalId: string, attribute: string): string {
    const r = this.resource(logicalId);
    const name = this.nameOf(logicalId);
    if (attribute === 'QueueName' || attribute === 'TopicName') {
      return name;
    }
    if (attribute !== 'Arn') {
      throw new Error(`the test resolver does not know ${r.Type}.${attribute}`);
    }
    switch (r.Type) {
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
      case 'AWS::SQS::Queue': return `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
      case 'AWS::SNS::Topic': return this.ref(logicalId);
      case 'AWS::KMS::Key': return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId(logicalId)}`;
      case 'AWS::DynamoDB::Table': return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
      case 'AWS::CloudTrail::Trail': return `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${name}`;
      case 'AWS::Events::EventBus': return `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`;
      case 'AWS::IAM::Role': return `arn:aws:iam::${ACCOUNT}:role/${name}`;
      case 'AWS::Events::Rule': {
        const bus = r.Properties?.EventBusName;
        return `arn:aws:events:${REGION}:${ACCOUNT}:rule/${bus ? `${this.resolve(bus)}/` : ''}${name}`;
      }
      default: throw new Error(`the test resolver does not know the ARN of ${r.Type}`);
    }
  }

  /** The value with every intrinsic function replaced by what it returns once deployed. */
  public resolve(value: any): any {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(v));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = value[k];
      switch (k) {
        case 'Ref': return pseudo(arg) ?? this.ref(arg);
        case 'Fn::GetAtt': return this.getAtt(arg[0], arg[1]);
        case 'Fn::Join': return (this.resolve(arg[1]) as string[]).join(arg[0]);
        case 'Fn::Split': return (this.resolve(arg[1]) as string).split(arg[0]);
        case 'Fn::Select': return this.resolve(arg[1])[Number(arg[0])];
        default: if (k.startsWith('Fn::')) throw new Error(`the test resolver does not know ${k}`);
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(value[k])]));
  }

  private resource(logicalId: string) {
    const r = this.template.Resources?.[logicalId] as { Type: string; Properties?: Record<string, any> } | undefined;
    if (!r) {
      throw new Error(`no resource ${logicalId} in the template`);
    }
    return r;
  }
}

function pseudo(name: string): string | undefined {
  return { 'AWS::AccountId': ACCOUNT, 'AWS::Region': REGION, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' }[name];
}

function keyId(logicalId: string): string {
  const hex = [...logicalId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 0xffffffff, 7).toString(16).padStart(8, '0');
  return `${hex}-12ab-34cd-56ef-1234567890ab`;
}
