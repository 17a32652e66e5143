import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { SpendRateGroup } from './spend-rate-query';
import { acknowledgeFinding } from '../access/acknowledge';

const ACTS_BY_EVENT = 'the alarm acts through its state-change event (EventBridge to the spend-rate function, forwarded from other Regions and accounts), which works across accounts where an alarm action cannot';

/** Everything the spend-rate alarms are built from, as plain data: the StackSet template builds them too. */
export interface SpendRateAlarmConfig {
  /** Alarm names start with it; the stop function acts on these names only. */
  readonly namePrefix: string;
  readonly groups: SpendRateGroup[];
  readonly alertUsd: number;
  readonly stopUsd: number;
  readonly windowMinutes: number;
}

export type SpendRateLevel = 'alert' | 'stop';

/** The alarm names, the same in every account and Region (a name is unique per account and Region only). */
export function spendRateAlarmName(config: Pick<SpendRateAlarmConfig, 'namePrefix'>, level: SpendRateLevel, group: number): string {
  return `${config.namePrefix}-${level}-${group + 1}`;
}

export function spendRateAlarmNames(config: SpendRateAlarmConfig): { name: string; level: SpendRateLevel; models: string[] }[] {
  return config.groups.flatMap((g, i) => (['alert', 'stop'] as const).map((level) => ({ name: spendRateAlarmName(config, level, i), level, models: g.models })));
}

/**
 * An alert and a stop alarm per group. The period is the whole window, evaluated once: CloudWatch
 * evaluates an alarm whose period is a minute or more every minute (CloudWatch User Guide, "Using
 * Amazon CloudWatch alarms"), so each minute the window's spend is compared with the threshold. No
 * calls means no datapoints, which is not breaching: silence is "nothing was billed here".
 */
export function addSpendRateAlarms(scope: Construct, config: SpendRateAlarmConfig): cloudwatch.CfnAlarm[] {
  const period = Duration.minutes(config.windowMinutes).toSeconds();
  return config.groups.flatMap((group, i) => (['alert', 'stop'] as const).map((level) => {
    const threshold = level === 'alert' ? config.alertUsd : config.stopUsd;
    const what = level === 'alert' ? 'alerts' : 'stops the identities that can spend here';
    const alarm = new cloudwatch.CfnAlarm(scope, `SpendRate${level === 'alert' ? 'Alert' : 'Stop'}${i + 1}`, {
      alarmName: spendRateAlarmName(config, level, i),
      alarmDescription: `Bedrock spend on ${group.models.join(', ')} passed $${threshold} in ${config.windowMinutes} minutes in this account and Region: the spend-rate cap ${what}`,
      comparisonOperator: 'GreaterThanThreshold',
      threshold,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
      metrics: [
        ...group.metrics.map((m) => ({
          id: m.id,
          returnData: false,
          metricStat: {
            metric: { namespace: 'AWS/Bedrock', metricName: m.metricName, dimensions: [{ name: 'ModelId', value: m.modelId }] },
            period,
            stat: 'Sum',
          },
        })),
        { id: 'spend', expression: group.expression, label: `US dollars in ${config.windowMinutes} minutes`, returnData: true },
      ],
    });
    for (const rule of ['NIST.800.53.R5-CloudWatchAlarmAction', 'HIPAA.Security-CloudWatchAlarmAction']) {
      acknowledgeFinding(alarm, rule, ACTS_BY_EVENT);
    }
    return alarm;
  }));
}
