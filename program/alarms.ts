// Alarms that reach a person: where they go (an SNS topic: the stack's own, with an email
// subscription, or an existing one), and the functions' own: errors and throttles, failed sends and
// Aligo's IP refusals from the SMS function's JSON log lines, failed warmer runs, and Aligo's balance.
// Each alarm's description says what is wrong and what to do. The NAT's alarms are the Nat
// component's (components/nat.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BALANCE_METRIC } from "../functions/sms/balance";
import { alarmWindows, balanceAlarmed } from "./config/alarms";

export interface AlarmTopicArgs {
    /** An address to subscribe to a topic the stack makes. */
    email?: string;
    /** An existing topic instead. */
    topicArn?: string;
    tags?: Record<string, string>;
}

/** The CloudWatch namespace of this stack's own metrics: `<project>/<stack>`, e.g. aligo-sms/prod. */
export const metricsNamespace = (): string => `${pulumi.getProject()}/${pulumi.getStack()}`;

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

/** The metrics a log filter makes from the functions' JSON lines (no default value: nothing is emitted when nothing matches). */
export const LOG_METRICS = {
    failedSends: {
        metric: "FailedSends",
        pattern: '{ $.level = "error" && ($.action = "send" || $.action = "sendMass") }',
    },
    // The SMS function marks Aligo's refusal of its address as refusal "ip" (functions/sms/index.ts).
    ipRefusals: { metric: "AligoIpRefusals", pattern: '{ $.refusal = "ip" }' },
    warmerFailures: { metric: "WarmerFailures", pattern: '{ $.level = "error" }' },
} as const;

/** The functions' alarms, as children of `parent`. */
export function functionAlarms(parent: pulumi.Resource, name: string, a: FunctionAlarmsArgs): void {
    const opts = { parent };
    const stack = pulumi.getStack();
    const notify = { alarmActions: [a.topicArn], okActions: [a.topicArn] };
    const every5Minutes = {
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        statistic: "Sum",
    };

    const logMetric = (key: keyof typeof LOG_METRICS, logGroupName: pulumi.Input<string>) =>
        new aws.cloudwatch.LogMetricFilter(
            `${name}-${key}`,
            {
                logGroupName,
                pattern: LOG_METRICS[key].pattern,
                metricTransformation: { name: LOG_METRICS[key].metric, namespace: a.namespace, value: "1" },
            },
            opts,
        );

    const alarm = (
        role: string,
        args: Omit<aws.cloudwatch.MetricAlarmArgs, "tags" | "alarmActions" | "okActions">,
        dependsOn: pulumi.Resource[] = [],
    ) =>
        new aws.cloudwatch.MetricAlarm(
            `${name}-${role}`,
            { ...every5Minutes, ...args, ...notify, tags: a.tags(role) },
            { parent, dependsOn },
        );

    alarm("sms-errors", {
        alarmDescription:
            "The SMS function failed (Lambda Errors: a crash or a timeout, not an answer with ok false). " +
            `Its log group shows why; \`npm run -s smoke -- --stack ${stack}\` checks the path end to end.`,
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: a.smsFunctionName },
    });
    alarm("sms-throttles", {
        alarmDescription:
            "Lambda throttled the SMS function (Throttles): calls were refused before they ran. Raise the account's concurrency or the function's reserved concurrency.",
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        dimensions: { FunctionName: a.smsFunctionName },
    });
    const failed = logMetric("failedSends", a.smsLogGroupName);
    alarm(
        "sms-failed-sends",
        {
            alarmDescription:
                "A send failed (the SMS function logged a send or sendMass error: Aligo refused, timed out, or could not be reached). " +
                `Each log line says why, and whether the request may have reached Aligo (maybeSent); source "aligo" with a negative code is Aligo's refusal, nothing sent. \`npm run -s smoke -- --stack ${stack}\` checks the path.`,
            namespace: a.namespace,
            metricName: LOG_METRICS.failedSends.metric,
        },
        [failed],
    );
    const windows = alarmWindows(a.warmerSchedule);
    const refused = logMetric("ipRefusals", a.smsLogGroupName);
    // ALARM at the first refusal, OK only after a look-up interval without one: the hourly balance
    // look-ups (the only calls to Aligo when nobody sends) keep a refused address in ALARM instead of
    // an ALARM and an OK every hour. A period with a refusal counts as long as it is within the
    // periods looked at, however many periods without one came after it (notBreaching).
    alarm(
        "aligo-ip-refused",
        {
            alarmDescription: pulumi.interpolate`Aligo refuses the function's address (-101 인증오류입니다.-IP). Register every address in \`pulumi stack output egressIps --stack ${stack}\` (${pulumi.output(a.egressIps).apply((ips) => ips.join(", "))}) in the Aligo console: 연동형 API → 발송 IP.`,
            namespace: a.namespace,
            metricName: LOG_METRICS.ipRefusals.metric,
            ...windows.ipRefused,
        },
        [refused],
    );
    const warmerFailed = logMetric("warmerFailures", a.warmerLogGroupName);
    // WarmerFailures has a datapoint only in periods with a failure. When the periods CloudWatch
    // reads back (its "evaluation range", a few more than evaluationPeriods) hold at least
    // evaluationPeriods real datapoints, it judges on those and skips the empty periods between
    // them, whatever treatMissingData says (CloudWatch User Guide, "Configuring how CloudWatch
    // alarms treat missing data": https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html,
    // read 2026-12-02): two failed runs close together are enough, not only two in a row. The
    // warmer's Lambda Errors has a datapoint (0 or more) in every period it runs: in a row there.
    const closeTogether =
        windows.warmer.datapointsToAlarm === 2
            ? windows.warmerCondition.replace("in a row", "close together")
            : windows.warmerCondition;
    alarm(
        "warmer-failures",
        {
            alarmDescription:
                `The warmer failed ${closeTogether} (its summary line says which pings failed and why: the Lambda API unreachable through the NAT, throttling, or the SMS function failing). ` +
                "Sends still work, but cold starts come back.",
            namespace: a.namespace,
            metricName: LOG_METRICS.warmerFailures.metric,
            ...windows.warmer,
        },
        [warmerFailed],
    );
    alarm("warmer-errors", {
        alarmDescription: `The warmer crashed or timed out ${windows.warmerCondition} (Lambda Errors). Its log group shows why.`,
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: a.warmerFunctionName },
        ...windows.warmer,
    });
    // Figures come only from the warmer's runs: without them (nat none) there is nothing to watch.
    if (balanceAlarmed(a)) {
        // The latest figure decides; hours without one keep the state (the balance did not change).
        // With one evaluation period, CloudWatch judges on the most recent figure it finds in its
        // evaluation range, and keeps the state ("ignore") when that range holds none (CloudWatch
        // User Guide, "Configuring how CloudWatch alarms treat missing data":
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html,
        // read 2026-12-02). Several containers may report in one hour: Minimum takes the lowest,
        // so after a top-up the alarm may stay on until the hour's older, lower figure is past.
        alarm("aligo-balance", {
            alarmDescription:
                `Aligo's remaining SMS count is below ${a.balanceBelow}: top up the prepaid balance in the Aligo console before sends start failing. ` +
                `\`npm run -s remain -- --stack ${stack}\` shows the count now.`,
            namespace: a.namespace,
            metricName: BALANCE_METRIC,
            statistic: "Minimum",
            period: 3_600,
            evaluationPeriods: 1,
            threshold: a.balanceBelow,
            comparisonOperator: "LessThanThreshold",
            treatMissingData: "ignore",
        });
        // No figure for longer than the schedule ever pauses is news too: the look-ups stopped (the
        // key, Aligo, or the path to it). The alarm never breaches (a figure is a count of at least
        // one); with "missing" it goes to INSUFFICIENT_DATA only when its whole evaluation range
        // (at least `hours` hours, CloudWatch reads a few periods more) holds no figure, and tells
        // the topic then (same page as above). CloudWatch acts only on a change of state
        // ("InsufficientDataActions: ... when this alarm transitions to the INSUFFICIENT_DATA state
        // from any other state", CloudWatch API Reference, MetricAlarm:
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html, read
        // 2026-12-02), and a new alarm starts in INSUFFICIENT_DATA (PutMetricAlarm, same date): one
        // that never saw a figure since it was made stays there without a word. Its first figure
        // turns it OK, which is told, and is the sign that the balance is watched.
        const hours = windows.balanceStaleHours;
        if (hours !== undefined) {
            alarm("aligo-balance-stale", {
                alarmDescription:
                    `No Aligo balance figure for at least ${hours} hours (INSUFFICIENT_DATA): the look-ups fail (the SMS function's "aligo balance failed" log lines say why), ` +
                    `or the warmer is not running. Until figures come again, the balance alarm cannot tell a low balance.`,
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
    }
}
