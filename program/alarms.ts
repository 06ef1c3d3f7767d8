// Alarms that reach a person: where they go (an SNS topic: the stack's own, with an email
// subscription, or an existing one), and the functions' own: errors and throttles, failed sends and
// Aligo's IP refusals from the SMS function's JSON log lines, failed warmer runs, and Aligo's balance.
// Each alarm's description says what is wrong and what to do. The NAT's alarms are the Nat
// component's (components/nat.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BALANCE_METRIC } from "../functions/sms/balance";
import { alarmWindows, balanceAlarmed, type AlarmWindows } from "./config/alarms";
import { ALARM_MESSAGES } from "./alarms-messages";
import { LOG_METRICS } from "./log-metrics";

export interface AlarmTopicArgs {
    /** An address to subscribe to a topic the stack makes. */
    email?: string;
    /** An existing topic instead. */
    topicArn?: string;
    tags?: Record<string, string>;
}

/** The CloudWatch namespace of this stack's own metrics: `<project>/<stack>`, e.g. aligo-sms/prod. */
export const metricsNamespace = (): string => `${pulumi.getProject()}/${pulumi.getStack()}`;

/**
 * The stack's topic's policy: the account may use it as SNS's default policy allows (CloudWatch alarms
 * publish as the account), and EventBridge may publish to it, only from rules of this account.
 */
function topicPolicy(arn: string): string {
    const account = arn.split(":")[4];
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountUse",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: [
                    "SNS:Publish",
                    "SNS:Subscribe",
                    "SNS:Receive",
                    "SNS:GetTopicAttributes",
                    "SNS:ListSubscriptionsByTopic",
                ],
                Resource: arn,
                Condition: { StringEquals: { "AWS:SourceOwner": account } },
            },
            {
                Sid: "EventBridgePublish",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
                Resource: arn,
                Condition: { StringEquals: { "aws:SourceAccount": account } },
            },
        ],
    });
}

/** Where the alarms go. */
export class AlarmTopic extends pulumi.ComponentResource {
    /** The topic the alarms notify. */
    readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aligo-sms:index:AlarmTopic", name, {}, opts);
        if (args.topicArn) {
            this.topicArn = pulumi.output(args.topicArn);
        } else if (args.email) {
            const topic = new aws.sns.Topic(
                `${name}-topic`,
                { displayName: `aligo-sms ${pulumi.getStack()} alarms`, tags: { ...args.tags, Name: `${name}-topic` } },
                { parent: this },
            );
            // EventBridge may publish to it (the NAT instances' state changes): CloudWatch alarms of the
            // account may already, EventBridge needs the topic's own policy to say so (Amazon
            // EventBridge User Guide, "Permissions for Amazon SNS", read 2026-12-07).
            new aws.sns.TopicPolicy(
                `${name}-topic-policy`,
                {
                    arn: topic.arn,
                    policy: topic.arn.apply((arn) => topicPolicy(arn)),
                },
                { parent: this },
            );
            // AWS sends the address a confirmation email; until it is confirmed, nothing is delivered.
            new aws.sns.TopicSubscription(
                `${name}-email`,
                { topic: topic.arn, protocol: "email", endpoint: args.email },
                { parent: this },
            );
            this.topicArn = topic.arn;
        } else {
            throw new Error("AlarmTopic needs an email address or a topic ARN");
        }
        this.registerOutputs({ topicArn: this.topicArn });
    }
}

/** What the functions' alarms watch, and where they report. */
export interface FunctionAlarmsArgs {
    topicArn: pulumi.Input<string>;
    /** The CloudWatch namespace of the stack's own metrics (the log filters' and the balance's). */
    namespace: string;
    smsFunctionName: pulumi.Input<string>;
    warmerFunctionName: pulumi.Input<string>;
    smsLogGroupName: pulumi.Input<string>;
    warmerLogGroupName: pulumi.Input<string>;
    /** The addresses to register with Aligo, for the IP refusal's description. */
    egressIps: pulumi.Input<string[]>;
    /** Alarm when the balance falls below this; 0: no balance alarm. */
    balanceBelow: number;
    /** The warmer's schedule (its runs set the alarms' periods). */
    warmerSchedule: string;
    /** Whether the schedule fires (not under nat none): the balance alarm exists only then, as only the warmer's runs bring figures. */
    warmerActive: boolean;
    tags: (role: string) => Record<string, string>;
}

export { LOG_METRICS } from "./log-metrics";

type AlarmSettings = Omit<aws.cloudwatch.MetricAlarmArgs, "tags" | "alarmActions" | "okActions">;

/** Makes the functions' alarms and log metrics, as children of one parent, notifying one topic. */
interface AlarmMaker {
    alarm(role: string, settings: AlarmSettings, dependsOn?: pulumi.Resource[]): void;
    logMetric(key: keyof typeof LOG_METRICS, logGroupName: pulumi.Input<string>): aws.cloudwatch.LogMetricFilter;
}

/** Counted per 5 minutes: one occurrence is enough; none is fine. */
const EVERY_5_MINUTES = {
    period: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
    statistic: "Sum",
};

function alarmMaker(parent: pulumi.Resource, name: string, a: FunctionAlarmsArgs): AlarmMaker {
    const notify = { alarmActions: [a.topicArn], okActions: [a.topicArn] };
    return {
        alarm: (role, settings, dependsOn = []) =>
            void new aws.cloudwatch.MetricAlarm(
                `${name}-${role}`,
                { ...EVERY_5_MINUTES, ...settings, ...notify, tags: a.tags(role) },
                { parent, dependsOn },
            ),
        logMetric: (key, logGroupName) =>
            new aws.cloudwatch.LogMetricFilter(
                `${name}-${key}`,
                {
                    logGroupName,
                    pattern: LOG_METRICS[key].pattern,
                    metricTransformation: { name: LOG_METRICS[key].metric, namespace: a.namespace, value: "1" },
                },
                { parent },
            ),
    };
}

/** The functions' alarms, as children of `parent`. */
export function functionAlarms(parent: pulumi.Resource, name: string, a: FunctionAlarmsArgs): void {
    const make = alarmMaker(parent, name, a);
    const stack = pulumi.getStack();
    const windows = alarmWindows(a.warmerSchedule);
    smsAlarms(make, a, stack, windows);
    warmerAlarms(make, a, windows);
    // Figures come only from the warmer's runs: without them (nat none) there is nothing to watch.
    if (balanceAlarmed(a)) balanceAlarms(make, a, stack, windows);
}

/** The SMS function failing, throttled, failing to send, or refused by Aligo for its address. */
function smsAlarms(make: AlarmMaker, a: FunctionAlarmsArgs, stack: string, windows: AlarmWindows): void {
    make.alarm("sms-errors", {
        alarmDescription: ALARM_MESSAGES.smsErrors(stack),
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: a.smsFunctionName },
    });
    make.alarm("sms-throttles", {
        alarmDescription: ALARM_MESSAGES.smsThrottles,
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        dimensions: { FunctionName: a.smsFunctionName },
    });
    const failed = make.logMetric("failedSends", a.smsLogGroupName);
    make.alarm(
        "sms-failed-sends",
        {
            alarmDescription: ALARM_MESSAGES.failedSends(stack),
            namespace: a.namespace,
            metricName: LOG_METRICS.failedSends.metric,
        },
        [failed],
    );
    const refused = make.logMetric("ipRefusals", a.smsLogGroupName);
    // ALARM at the first refusal, OK only after a look-up interval without one: the hourly balance
    // look-ups (the only calls to Aligo when nobody sends) keep a refused address in ALARM instead of
    // an ALARM and an OK every hour. A period with a refusal counts as long as it is within the
    // periods looked at, however many periods without one came after it (notBreaching).
    make.alarm(
        "aligo-ip-refused",
        {
            alarmDescription: pulumi.output(a.egressIps).apply((ips) => ALARM_MESSAGES.ipRefused(stack, ips)),
            namespace: a.namespace,
            metricName: LOG_METRICS.ipRefusals.metric,
            ...windows.ipRefused,
        },
        [refused],
    );
}

/**
 * The warmer failing. WarmerFailures has a datapoint only in periods with a failure. When the
 * periods CloudWatch reads back (its "evaluation range", a few more than evaluationPeriods) hold at
 * least evaluationPeriods real datapoints, it judges on those and skips the empty periods between
 * them, whatever treatMissingData says (CloudWatch User Guide, "Configuring how CloudWatch alarms
 * treat missing data":
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html, read
 * 2026-12-02): two failed runs close together are enough, not only two in a row. The warmer's Lambda
 * Errors has a datapoint (0 or more) in every period it runs: in a row there.
 */
function warmerAlarms(make: AlarmMaker, a: FunctionAlarmsArgs, windows: AlarmWindows): void {
    const warmerFailed = make.logMetric("warmerFailures", a.warmerLogGroupName);
    const closeTogether =
        windows.warmer.datapointsToAlarm === 2
            ? windows.warmerCondition.replace("in a row", "close together")
            : windows.warmerCondition;
    make.alarm(
        "warmer-failures",
        {
            alarmDescription: ALARM_MESSAGES.warmerFailures(closeTogether),
            namespace: a.namespace,
            metricName: LOG_METRICS.warmerFailures.metric,
            ...windows.warmer,
        },
        [warmerFailed],
    );
    make.alarm("warmer-errors", {
        alarmDescription: ALARM_MESSAGES.warmerErrors(windows.warmerCondition),
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: a.warmerFunctionName },
        ...windows.warmer,
    });
}

/**
 * Aligo's balance: low, and no figure for too long.
 *
 * The latest figure decides; hours without one keep the state (the balance did not change). With
 * one evaluation period, CloudWatch judges on the most recent figure it finds in its evaluation
 * range, and keeps the state ("ignore") when that range holds none (CloudWatch User Guide,
 * "Configuring how CloudWatch alarms treat missing data":
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html, read
 * 2026-12-02). Several containers may report in one hour: Minimum takes the lowest, so after a
 * top-up the alarm may stay on until the hour's older, lower figure is past.
 *
 * No figure for longer than the schedule ever pauses is news too: the look-ups stopped (the key,
 * Aligo, or the path to it). That alarm never breaches (a figure is a count of at least one); with
 * "missing" it goes to INSUFFICIENT_DATA only when its whole evaluation range (at least `hours`
 * hours, CloudWatch reads a few periods more) holds no figure, and tells the topic then (same page
 * as above). CloudWatch acts only on a change of state ("InsufficientDataActions: ... when this
 * alarm transitions to the INSUFFICIENT_DATA state from any other state", CloudWatch API
 * Reference, MetricAlarm:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html, read
 * 2026-12-02), and a new alarm starts in INSUFFICIENT_DATA (PutMetricAlarm, same date): one that
 * never saw a figure since it was made stays there without a word. Its first figure turns it OK,
 * which is told, and is the sign that the balance is watched.
 */
function balanceAlarms(make: AlarmMaker, a: FunctionAlarmsArgs, stack: string, windows: AlarmWindows): void {
    make.alarm("aligo-balance", {
        alarmDescription: ALARM_MESSAGES.balanceLow(a.balanceBelow, stack),
        namespace: a.namespace,
        metricName: BALANCE_METRIC,
        statistic: "Minimum",
        period: 3_600,
        evaluationPeriods: 1,
        threshold: a.balanceBelow,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "ignore",
    });
    const hours = windows.balanceStaleHours;
    if (hours === undefined) return;
    make.alarm("aligo-balance-stale", {
        alarmDescription: ALARM_MESSAGES.balanceStale(hours),
        namespace: a.namespace,
        metricName: BALANCE_METRIC,
        statistic: "SampleCount",
        period: 3_600,
        evaluationPeriods: hours,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "missing",
        insufficientDataActions: [a.topicArn],
    });
}
