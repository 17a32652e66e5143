import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of a `BedrockUsageDashboard`. */
export interface BedrockUsageDashboardProps {
  /**
   * The dashboard's name.
   *
   * @default - CloudFormation names it
   */
  readonly dashboardName?: string;

  /** The usage guard's function: calls counted and its errors. */
  readonly usageFunction: lambda.IFunction;

  /** The Contributor Insights rule ranking people by what their calls could cost (its `attrRuleName`). */
  readonly topCallersByWeightRuleName: string;

  /** The Contributor Insights rule ranking people by calls (its `attrRuleName`). */
  readonly topCallersByCallsRuleName: string;

  /** The topic alerts go to: what was published. */
  readonly alertTopic: sns.ITopic;

  /** Detection's alert function: the alerts it sent. */
  readonly alertFunction: lambda.IFunction;

  /**
   * The function that contains identities: the containments it applied, and its failures.
   *
   * @default - no containment widgets
   */
  readonly containmentFunction?: lambda.IFunction;

  /**
   * The queue containment requests wait on: how many wait.
   *
   * @default - no queue widget
   */
  readonly containmentQueue?: sqs.IQueue;

  /**
   * Alarms whose state the dashboard shows.
   *
   * @default - none
   */
  readonly alarms?: cloudwatch.IAlarm[];

  /**
   * The person's hard limit in US dollars over 60 minutes, drawn on the top callers' weight.
   *
   * @default - no line
   */
  readonly usdPerHourLimit?: number;

  /**
   * The person's alarm in US dollars over 60 minutes, drawn on the top callers' weight.
   *
   * @default - no line
   */
  readonly usdPerHourAlarm?: number;
}

/**
 * The page a platform owner opens instead of reading alerts: who spends the most right now (the usage
 * guard's Contributor Insights rules over its own log of counted calls), the alerts sent, the
 * containments applied and waiting, and, when the spend-rate cap is deployed, spend by model against
 * its thresholds. `BedrockUsageGuard` deploys one (`guard.dashboard`).
 */
export class BedrockUsageDashboard extends Construct {
  /** The CloudWatch dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BedrockUsageDashboardProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    const limits = [props.usdPerHourAlarm && `alarm $${props.usdPerHourAlarm}`, props.usdPerHourLimit && `hard limit $${props.usdPerHourLimit}`].filter(Boolean).join(', ');
    this.dashboard.addWidgets(new cloudwatch.TextWidget({
      markdown: [
        '## Bedrock use by person',
        'Each call is weighed at the most it can cost (CloudTrail records no tokens); the guard sums each person over any 60 minutes'
          + (limits ? ` (${limits}).` : '.'),
        'Containments stay in force until lifted: `npx cdk-bedrock-least-privilege containment list` shows them all.',
      ].join('\n\n'),
      width: 24,
      height: 3,
    }));
    this.dashboard.addWidgets(
      new ContributorInsightsWidget({ title: 'Top callers: what their calls could cost (US dollars per 5 minutes)', ruleName: props.topCallersByWeightRuleName, orderBy: 'Sum' }),
      new ContributorInsightsWidget({ title: 'Top callers: billed model calls per 5 minutes', ruleName: props.topCallersByCallsRuleName, orderBy: 'Sum' }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Alerts published',
        left: [props.alertTopic.metric('NumberOfMessagesPublished', { statistic: 'Sum', period: fiveMinutes, label: 'Alerts published to the topic' })],
        right: [props.alertFunction.metricInvocations({ period: fiveMinutes, label: 'Detection alert function runs' })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Calls counted, and the guard\'s own failures',
        left: [props.usageFunction.metricInvocations({ period: fiveMinutes, label: 'Calls counted' })],
        right: [props.usageFunction.metricErrors({ period: fiveMinutes, label: 'Guard errors (retried; failing means unwatched)' })],
        width: 8,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms ?? [], width: 8 }),
    );
    if (props.containmentFunction) {
      const logGroup = props.containmentFunction instanceof lambda.Function ? props.containmentFunction.logGroup : undefined;
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Containment',
          left: [
            props.containmentFunction.metricInvocations({ period: fiveMinutes, label: 'Containment runs' }),
            ...(props.containmentQueue ? [props.containmentQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum', label: 'Requests waiting' })] : []),
          ],
          right: [props.containmentFunction.metricErrors({ period: fiveMinutes, label: 'Containment errors' })],
          width: 8,
        }),
        ...(logGroup ? [new cloudwatch.LogQueryWidget({
          title: 'Containments applied (newest first; lifted ones included, see containment list)',
          logGroupNames: [logGroup.logGroupName],
          queryLines: CONTAINMENTS_QUERY,
          width: 16,
        })] : []),
      );
    }
  }

  /**
   * For the spend-rate cap: adds its widgets (spend rate by model against its thresholds) in a row of their own.
   *
   * @internal
   */
  public _addSpendRate(widgets: cloudwatch.IWidget[]): void {
    if (widgets.length === 0) {
      return;
    }
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: '## Spend rate by model (Bedrock\'s own token metrics)', width: 24, height: 1 }));
    this.dashboard.addWidgets(...widgets);
  }
}

/**
 * The contain function's outcome lines (`{"request":…,"contained":true,"by":…}`, drain-queue.ts), whose
 * text log format puts the JSON after the timestamp, request id and level: parsed by pattern.
 */
export const CONTAINMENTS_QUERY = [
  'fields @timestamp',
  'filter @message like /"contained":true/',
  'parse @message /"target":\\{"kind":"(?<kind>[^"]+)","(roleName|permissionSetName)":"(?<target>[^"]+)"\\}/',
  'parse @message /"sessionName":"(?<session>[^"]*)"/',
  'parse @message /"sourceIdentity":"(?<sourceIdentity>[^"]*)"/',
  'parse @message /"by":"(?<by>[^"]+)"/',
  'display @timestamp, kind, target, session, sourceIdentity, by',
  'sort @timestamp desc',
  'limit 50',
];

/** What a Contributor Insights widget shows. */
interface ContributorInsightsWidgetProps {
  readonly title: string;
  readonly ruleName: string;
  readonly orderBy: 'Sum' | 'Maximum';
  readonly width?: number;
  readonly height?: number;
}

/**
 * A rule's top contributors over time. CDK has no widget for it; the dashboard body's metric widget
 * takes `insightRule` (`ruleName`, `maxContributorCount`, `orderBy`; CloudWatch API Reference,
 * "Dashboard Body Structure and Syntax").
 */
class ContributorInsightsWidget extends cloudwatch.ConcreteWidget {
  constructor(private readonly props: ContributorInsightsWidgetProps) {
    super(props.width ?? 12, props.height ?? 6);
  }

  public toJson(): any[] {
    return [{
      type: 'metric',
      width: this.width,
      height: this.height,
      x: this.x,
      y: this.y,
      properties: {
        title: this.props.title,
        region: Aws.REGION,
        view: 'timeSeries',
        stacked: false,
        period: 300,
        legend: { position: 'right' },
        insightRule: { maxContributorCount: 10, orderBy: this.props.orderBy, ruleName: this.props.ruleName },
      },
    }];
  }
}
