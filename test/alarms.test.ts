// Alarms under mocks: made only when someone hears them, each on the right metric, telling the
// topic, with a description that says what to do; the cost model counts exactly what is made.
import { describe, expect, it } from "vitest";
import { LOG_METRICS } from "../program/alarms";
import { alarmCount } from "../program/cost/estimate";
import { runProgram, type RunResult } from "./harness";

const ok = async (opts: Parameters<typeof runProgram>[0]): Promise<RunResult> => {
    const r = await runProgram(opts);
    if (r.error) throw r.error;
    return r;
};
const alarms = (r: RunResult) => r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
const EMAIL = "ops@example.com";
const TOPIC = "arn:aws:sns:ap-northeast-2:123456789012:ops-alarms";

describe("alarms", () => {
    it("none without alarmEmail or alarmTopicArn: no topic, no log metrics, no balance look-ups (an alarm nobody hears is only a cost)", async () => {
        const r = await ok({ stack: "prod" });
        expect(r.ofType("aws:sns/topic:Topic")).toEqual([]);
        expect(r.ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter")).toEqual([]);
        expect(alarms(r)).toEqual([]);
        expect(r.byName("functions-sms").inputs.environment.variables.METRICS_NAMESPACE).toBeUndefined();
        expect(r.byName("functions-warmer").inputs.environment.variables.BALANCE_CHECK).toBeUndefined();
        expect(r.outputs.alarmTopicArn).toBeUndefined();
    });

    it("alarmEmail: a topic with an email subscription, and every alarm of a gateway stack on it", async () => {
        const r = await ok({ stack: "prod", config: { alarmEmail: EMAIL } });
        const topic = r.byName("alarms-topic");
        expect(r.byName("alarms-email").inputs).toMatchObject({
            protocol: "email",
            endpoint: EMAIL,
            topic: topic.state.arn,
        });
        expect(r.outputs.alarmTopicArn).toBe(topic.state.arn);
        const byName = Object.fromEntries(alarms(r).map((a) => [a.name, a]));
        expect(Object.keys(byName).sort()).toEqual([
            "functions-aligo-balance",
            "functions-aligo-balance-stale",
            "functions-aligo-ip-refused",
            "functions-sms-errors",
            "functions-sms-failed-sends",
            "functions-sms-throttles",
            "functions-warmer-errors",
            "functions-warmer-failures",
            "nat-gateway-packets-dropped",
            "nat-gateway-port-allocation",
        ]);
        for (const a of Object.values(byName)) {
            expect(a.inputs.alarmActions, a.name).toEqual([topic.state.arn]);
            expect(a.inputs.okActions, a.name).toEqual([topic.state.arn]);
            expect(a.inputs.alarmDescription.length, a.name).toBeGreaterThan(60);
            // PutMetricAlarm refuses a description over 1,024 characters (the IP refusal's lists the addresses).
            expect(a.inputs.alarmDescription.length, a.name).toBeLessThanOrEqual(1_024);
        }
        // Every failure alarm counts failures: one in its window is a breach, and a period without
        // any (no datapoint: the log filters emit nothing then) is not one.
        for (const n of [
            "functions-sms-errors",
            "functions-sms-throttles",
            "functions-sms-failed-sends",
            "functions-aligo-ip-refused",
            "functions-warmer-failures",
            "functions-warmer-errors",
            "nat-gateway-port-allocation",
            "nat-gateway-packets-dropped",
        ]) {
            expect(byName[n].inputs, n).toMatchObject({
                statistic: "Sum",
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "notBreaching",
            });
        }
        expect(byName["functions-sms-errors"].inputs).toMatchObject({
            namespace: "AWS/Lambda",
            metricName: "Errors",
            dimensions: { FunctionName: r.byName("functions-sms").state.name },
        });
        // Without its dimension a Lambda alarm would watch the whole account's functions.
        expect(byName["functions-sms-throttles"].inputs).toMatchObject({
            namespace: "AWS/Lambda",
            metricName: "Throttles",
            dimensions: { FunctionName: r.byName("functions-sms").state.name },
        });
        expect(byName["functions-warmer-errors"].inputs).toMatchObject({
            metricName: "Errors",
            dimensions: { FunctionName: r.byName("functions-warmer").state.name },
        });
        expect(byName["nat-gateway-port-allocation"].inputs.dimensions).toEqual({
            NatGatewayId: r.byName("nat-gateway").id,
        });
        // The IP refusal says which addresses to register, and where.
        expect(byName["functions-aligo-ip-refused"].inputs.alarmDescription).toContain(
            `pulumi stack output egressIps --stack prod\` (${r.outputs.egressIps.join(", ")})`,
        );
        expect(byName["functions-aligo-ip-refused"].inputs.alarmDescription).toContain("연동형 API → 발송 IP");
        // The balance: below the configured count, from the metric the SMS function logs as EMF.
        // The latest hourly figure decides; hours without one keep the state.
        expect(byName["functions-aligo-balance"].inputs).toMatchObject({
            namespace: "aligo-sms/prod",
            metricName: "AligoSmsRemaining",
            statistic: "Minimum",
            threshold: 500,
            comparisonOperator: "LessThanThreshold",
            period: 3600,
            evaluationPeriods: 1,
            treatMissingData: "ignore",
        });
        expect(byName["functions-aligo-balance"].inputs.insufficientDataActions).toBeUndefined();
        // Figures that stop coming for longer than the warmer ever pauses (every 5 minutes: 3 hours) are told too.
        // It never breaches (an hour with a figure has a SampleCount of at least 1); an evaluation
        // range without any is INSUFFICIENT_DATA, which is told.
        expect(byName["functions-aligo-balance-stale"].inputs).toMatchObject({
            namespace: "aligo-sms/prod",
            metricName: "AligoSmsRemaining",
            statistic: "SampleCount",
            period: 3600,
            evaluationPeriods: 3,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            treatMissingData: "missing",
            insufficientDataActions: [topic.state.arn],
        });
        expect(byName["functions-aligo-balance-stale"].inputs.alarmDescription).toContain(
            "No Aligo balance figure for at least 3 hours",
        );
        // The warmer runs every 5 minutes: "twice in a row" is two 5-minute periods. Its failure
        // lines make a datapoint only when a run failed, and CloudWatch skips the empty periods
        // between two of them: "close together" there; Lambda's Errors has one for every run.
        expect(byName["functions-warmer-failures"].inputs).toMatchObject({
            period: 300,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
        });
        expect(byName["functions-warmer-failures"].inputs.alarmDescription).toMatch(
            /^The warmer failed on two runs close together \(/,
        );
        expect(byName["functions-warmer-errors"].inputs.alarmDescription).toMatch(
            /^The warmer crashed or timed out on two runs in a row \(/,
        );
        // An IP refusal: ALARM at the first, OK after 75 minutes without one (look-ups of one
        // container come at most 65 minutes apart), not an ALARM and an OK at every hourly look-up.
        expect(byName["functions-aligo-ip-refused"].inputs).toMatchObject({
            period: 300,
            evaluationPeriods: 15,
            datapointsToAlarm: 1,
        });
        expect(r.byName("functions-sms").inputs.environment.variables.METRICS_NAMESPACE).toBe("aligo-sms/prod");
        expect(r.byName("functions-warmer").inputs.environment.variables.BALANCE_CHECK).toBe("true");
    });

    it("the log metrics: one filter per metric, on the right log group, counted by the alarm that depends on it", async () => {
        const r = await ok({ stack: "prod", config: { alarmEmail: EMAIL } });
        const filters = Object.fromEntries(
            r.ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter").map((f) => [f.name, f]),
        );
        const sms = r.byName("functions-sms-logs").state.name;
        const warmer = r.byName("functions-warmer-logs").state.name;
        expect(filters["functions-failedSends"].inputs).toMatchObject({
            logGroupName: sms,
            pattern: LOG_METRICS.failedSends.pattern,
            metricTransformation: { name: "FailedSends", namespace: "aligo-sms/prod", value: "1" },
        });
        expect(filters["functions-ipRefusals"].inputs).toMatchObject({
            logGroupName: sms,
            pattern: LOG_METRICS.ipRefusals.pattern,
        });
        expect(filters["functions-warmerFailures"].inputs).toMatchObject({
            logGroupName: warmer,
            pattern: LOG_METRICS.warmerFailures.pattern,
        });
        expect(r.byName("functions-sms-failed-sends").dependencies).toContain(filters["functions-failedSends"].urn);
        expect(r.byName("functions-aligo-ip-refused").inputs.metricName).toBe(
            filters["functions-ipRefusals"].inputs.metricTransformation.name,
        );
    });

    it("alarmTopicArn: your topic, none made; a NAT instance stack watches the instance's own status check", async () => {
        const r = await ok({ stack: "dev", config: { alarmTopicArn: TOPIC } });
        expect(r.ofType("aws:sns/topic:Topic")).toEqual([]);
        expect(r.ofType("aws:sns/topicSubscription:TopicSubscription")).toEqual([]);
        const impaired = alarms(r).find((a) => a.name.endsWith("-impaired"))!;
        expect(impaired.inputs).toMatchObject({
            metricName: "StatusCheckFailed_Instance",
            alarmActions: ["arn:aws:automate:ap-northeast-2:ec2:reboot", TOPIC],
        });
        expect(alarms(r).find((a) => a.name.endsWith("-recover"))!.inputs.alarmActions).toContain(TOPIC);
        for (const a of alarms(r)) expect(a.inputs.alarmActions, a.name).toContain(TOPIC);
    });

    it("aligoBalanceAlarmBelow 0: no balance alarm and no look-ups; nat none: no NAT alarms and no balance alarm (no warmer runs, no figures), the other functions' alarms stay", async () => {
        const r = await ok({ stack: "prod", config: { alarmEmail: EMAIL, aligoBalanceAlarmBelow: "0" } });
        expect(
            alarms(r)
                .map((a) => a.name)
                .filter((n) => n.startsWith("functions-aligo-balance")),
        ).toEqual([]);
        expect(r.byName("functions-warmer").inputs.environment.variables.BALANCE_CHECK).toBeUndefined();
        const none = await ok({ stack: "prod", config: { alarmEmail: EMAIL, nat: "none" } });
        expect(alarms(none).filter((a) => a.name.startsWith("nat-"))).toEqual([]);
        expect(
            alarms(none)
                .map((a) => a.name)
                .filter((n) => n.startsWith("functions-aligo-balance")),
        ).toEqual([]);
        expect(alarms(none).filter((a) => a.name.startsWith("functions-"))).toHaveLength(6);
        expect(none.byName("functions-warmer-schedule").inputs.state).toBe("DISABLED");
        const paused = await ok({ stack: "prod", config: { alarmEmail: EMAIL, warmerEnabled: "false" } });
        expect(
            alarms(paused)
                .map((a) => a.name)
                .filter((n) => n.startsWith("functions-aligo-balance")),
        ).toEqual([]);
    });

    it("a warmer that runs every 15 minutes: its alarms look at 15-minute periods (two runs in a row), the balance at hours", async () => {
        const r = await ok({ stack: "prod", config: { alarmEmail: EMAIL, warmerSchedule: "rate(15 minutes)" } });
        const byName = Object.fromEntries(alarms(r).map((a) => [a.name, a]));
        expect(byName["functions-warmer-failures"].inputs).toMatchObject({
            period: 900,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
        });
        expect(byName["functions-warmer-errors"].inputs).toMatchObject({
            period: 900,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
        });
        expect(byName["functions-aligo-balance-stale"].inputs).toMatchObject({ period: 3600, evaluationPeriods: 3 });
        // Every 5 minutes in office hours, weekdays: runs in a row are 5 minutes apart, but no figure
        // comes over a weekend, so the staleness window spans the longest pause (Friday 18:55 to Monday 09:00).
        const office = await ok({
            stack: "prod",
            config: { alarmEmail: EMAIL, warmerSchedule: "cron(0/5 9-18 ? * MON-FRI *)" },
        });
        const o = Object.fromEntries(alarms(office).map((a) => [a.name, a]));
        expect(o["functions-warmer-failures"].inputs).toMatchObject({
            period: 300,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
        });
        expect(o["functions-aligo-balance-stale"].inputs).toMatchObject({ period: 3600, evaluationPeriods: 65 });
        // A weekly warmer: day-long periods over a week, one failed run is enough; no staleness alarm (its window would pass a week).
        const weekly = await ok({ stack: "prod", config: { alarmEmail: EMAIL, warmerSchedule: "rate(7 days)" } });
        const w = Object.fromEntries(alarms(weekly).map((a) => [a.name, a]));
        expect(w["functions-warmer-failures"].inputs).toMatchObject({
            period: 86_400,
            evaluationPeriods: 7,
            datapointsToAlarm: 1,
        });
        // One failed run is enough there, and the descriptions say so.
        expect(w["functions-warmer-failures"].inputs.alarmDescription).toMatch(
            /^The warmer failed on a run in the last 7 days \(/,
        );
        expect(w["functions-warmer-errors"].inputs.alarmDescription).toMatch(
            /^The warmer crashed or timed out on a run in the last 7 days \(/,
        );
        expect(w["functions-aligo-ip-refused"].inputs).toMatchObject({
            period: 300,
            evaluationPeriods: 288,
            datapointsToAlarm: 1,
        });
        expect(w["functions-aligo-balance-stale"]).toBeUndefined();
        expect(w["functions-aligo-balance"]).toBeDefined();
        // Every minute: a 5-minute period holds five runs; the descriptions speak of periods.
        const everyMinute = await ok({
            stack: "prod",
            config: { alarmEmail: EMAIL, warmerSchedule: "rate(1 minute)" },
        });
        const m = Object.fromEntries(alarms(everyMinute).map((a) => [a.name, a]));
        expect(m["functions-warmer-errors"].inputs).toMatchObject({
            period: 300,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
        });
        expect(m["functions-warmer-errors"].inputs.alarmDescription).toMatch(
            /^The warmer crashed or timed out in two 5-minute periods in a row \(/,
        );
        expect(m["functions-warmer-failures"].inputs.alarmDescription).toMatch(
            /^The warmer failed in two 5-minute periods close together \(/,
        );
        // A warmer that runs from January to June only: no figure from July to December is not
        // news, so no staleness alarm (it would tell every July); every 5 minutes while it runs.
        const halfYear = await ok({
            stack: "prod",
            config: { alarmEmail: EMAIL, warmerSchedule: "cron(0/5 * * 1-6 ? *)" },
        });
        const h = Object.fromEntries(alarms(halfYear).map((a) => [a.name, a]));
        expect(h["functions-aligo-balance-stale"]).toBeUndefined();
        expect(h["functions-warmer-failures"].inputs).toMatchObject({
            period: 300,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
        });
    });

    it.each<[string, Record<string, string>, "gateway" | "instance" | "none"]>([
        ["prod, no one to hear", {}, "gateway"],
        ["prod, email", { alarmEmail: EMAIL }, "gateway"],
        ["dev, topic", { alarmTopicArn: TOPIC }, "instance"],
        ["dev, no one to hear", {}, "instance"],
        [
            "prod, email, nat none, no balance alarm",
            { alarmEmail: EMAIL, nat: "none", aligoBalanceAlarmBelow: "0" },
            "none",
        ],
        ["prod, email, nat none", { alarmEmail: EMAIL, nat: "none" }, "none"],
        ["prod, email, warmer off", { alarmEmail: EMAIL, warmerEnabled: "false" }, "gateway"],
        [
            "prod, email, a weekly warmer (no staleness alarm)",
            { alarmEmail: EMAIL, warmerSchedule: "rate(7 days)" },
            "gateway",
        ],
        [
            "prod, email, a warmer from January to June (no staleness alarm: it pauses half a year)",
            { alarmEmail: EMAIL, warmerSchedule: "cron(0/5 * * 1-6 ? *)" },
            "gateway",
        ],
    ])("the estimate counts the alarms the graph makes: %s", async (_label, config, strategy) => {
        const r = await ok({ stack: strategy === "instance" ? "dev" : "prod", config });
        const counted = alarmCount(
            {
                alarmEmail: config.alarmEmail,
                alarmTopicArn: config.alarmTopicArn,
                aligoBalanceAlarmBelow: Number(config.aligoBalanceAlarmBelow ?? 500),
                warmerEnabled: config.warmerEnabled !== "false",
                warmerSchedule: config.warmerSchedule ?? "rate(5 minutes)",
                natPerAz: false,
                azCount: 2,
            },
            strategy,
        );
        expect(alarms(r)).toHaveLength(counted.alarms);
    });
});
