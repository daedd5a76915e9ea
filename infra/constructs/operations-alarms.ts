import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { publishedMetric } from '../../shared/observability.js';

export interface OperationsAlarmsProps {
  /** Where every alarm publishes. */
  readonly opsTopic: sns.ITopic;
  readonly functions: { readonly plan: lambda.IFunction; readonly ingest: lambda.IFunction; readonly query: lambda.IFunction; readonly drop: lambda.IFunction; readonly manage: lambda.IFunction };
  readonly workQueue: sqs.IQueue;
  /** Dead-letter queues, each with what a message waiting there means. */
  readonly deadLetters: readonly { readonly id: string; readonly queue: sqs.IQueue; readonly what: string }[];
  readonly alertTopic: sns.ITopic;
  readonly scheduleGroupName: string;
  readonly queryApi: apigw.IHttpApi;
  readonly freshnessDays: number;
  readonly smsSpendUsd: number;
  /** How long a work item may wait before the queue counts as stuck (seconds). */
  readonly workQueueMaxAgeSeconds: number;
}

/** What each alarm means and what to do: the README's alarm table says the same. */
export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const once = { threshold: 1, evaluationPeriods: 1, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING };
    const add = (alarmId: string, metric: cloudwatch.IMetric, options: Partial<cloudwatch.CreateAlarmOptions> & { alarmDescription: string }) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, { metric, ...once, ...options });
      alarm.addAlarmAction(new SnsAction(props.opsTopic));
      this.alarms.push(alarm);
    };
    const hourly = { period: Duration.hours(1) };

    for (const [name, fn] of Object.entries(props.functions)) {
      const title = name[0]!.toUpperCase() + name.slice(1);
      add(`${title}ErrorsAlarm`, fn.metricErrors(hourly), { alarmDescription: `The ${name} function failed (see its log group)` });
      add(`${title}ThrottlesAlarm`, fn.metricThrottles(hourly), { alarmDescription: `The ${name} function was throttled: the account's or its reserved concurrency is too low for its load` });
    }
    for (const { id: queueId, queue, what } of props.deadLetters) {
      add(queueId, queue.metricApproximateNumberOfMessagesVisible(), {
        alarmDescription: `${what} (messages waiting in its dead-letter queue)`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }
    add('WorkQueueAgeAlarm', props.workQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(15), statistic: 'Maximum' }), {
      alarmDescription: `A work item has waited over ${Math.round(props.workQueueMaxAgeSeconds / 3600)} h: the workers are stuck, failing or too few for the watchlist`,
      threshold: props.workQueueMaxAgeSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    add(
      'ScheduleTargetErrorsAlarm',
      new cloudwatch.Metric({ namespace: 'AWS/Scheduler', metricName: 'TargetErrorCount', dimensionsMap: { ScheduleGroup: props.scheduleGroupName }, statistic: 'Sum', ...hourly }),
      { alarmDescription: 'EventBridge Scheduler could not invoke the planner' },
    );
    add('AlertDeliveryFailedAlarm', props.alertTopic.metricNumberOfNotificationsFailed(hourly), {
      alarmDescription: 'SNS failed to deliver alerts to subscribers (bounced e-mail, unreachable phone, SMS limits)',
    });
    // SMSMonthToDateSpentUSD is an account-wide SNS metric: it has no TopicName dimension.
    add('SmsSpendAlarm', new cloudwatch.Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', statistic: 'Maximum', period: Duration.hours(6) }), {
      alarmDescription: `Month-to-date SMS spend above US$${props.smsSpendUsd} (the account's SNS spend limit stops sending; this warns first)`,
      threshold: props.smsSpendUsd,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    add('QueryApiServerErrorsAlarm', props.queryApi.metricServerError(hourly), { alarmDescription: 'The query API answered 5xx (see the query function log group)' });
    add(
      'DataFreshnessAlarm',
      // The ingest function's Powertools metric: namespace and `service` dimension as its EMF logs them.
      new cloudwatch.Metric({ ...publishedMetric('ingest', 'DaysSinceNewData'), statistic: 'Minimum', period: Duration.days(1) }),
      {
        alarmDescription: `No new or revised observation for ${props.freshnessDays} days: the upstream may have changed, or runs are failing quietly`,
        threshold: props.freshnessDays,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        // No datapoint for two days means no run reported at all: that is stale too.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      },
    );
  }
}
