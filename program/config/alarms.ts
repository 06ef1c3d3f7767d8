// Who hears the alarms: an email address (the stack makes an SNS topic and subscribes it) or an
// existing topic; neither means no alarms at all (an alarm nobody hears is only a cost). And the
// Aligo balance below which the balance alarm fires.
import { quote } from "../../components/index";
import { longestGapMinutes, usualGapMinutes } from "../functions/schedule";
import type { RawReader } from "./reader";

export interface AlarmsConfig {
    /** An address to notify; the stack makes a topic and an email subscription for it. */
    readonly alarmEmail?: string;
    /** An existing SNS topic to notify instead. */
    readonly alarmTopicArn?: string;
    /** Alarm when Aligo's remaining SMS count falls below this; 0: no balance alarm. */
    readonly aligoBalanceAlarmBelow: number;
}

const EMAIL = /^[^\s@"'<>]+@[^\s@"'<>]+\.[A-Za-z]{2,}$/;
const TOPIC_ARN = /^arn:(aws(?:-cn|-us-gov)?):sns:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** The ARN partition of a region's resources. */
const partitionOf = (region: string): string =>
    region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";

/**
 * Reads the alarm settings. `region` is the stack's (`aws:region`; undefined when it is missing or
 * bad, which is reported on its own): CloudWatch sends alarm actions only to a topic in the alarm's
 * own region and partition, and refuses any other at PutMetricAlarm ("Invalid region … specified"),
 * which would stop a deployment half-way, after the network and the NAT.
 */
export function parseAlarmsConfig(r: RawReader, region?: string): AlarmsConfig | undefined {
    const alarmEmail = r.str("alarmEmail");
    const alarmTopicArn = r.str("alarmTopicArn");
    let ok = true;
    if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
        ok = !!r.fail(`alarmEmail: ${quote(alarmEmail)} is not an email address (name@example.com)`);
    }
    if (alarmTopicArn !== undefined) {
        const arn = TOPIC_ARN.exec(alarmTopicArn);
        if (!arn) {
            ok = !!r.fail(
                `alarmTopicArn: ${quote(alarmTopicArn)} is not a standard SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`,
            );
        } else if (region !== undefined && (arn[2] !== region || arn[1] !== partitionOf(region))) {
            ok = !!r.fail(
                `alarmTopicArn: ${quote(alarmTopicArn)} is in ${arn[2]} (partition ${arn[1]}), but the stack deploys to ${region} (partition ${partitionOf(region)}); ` +
                    `CloudWatch alarms can notify only a topic in their own region: give a topic in ${region}, or use alarmEmail`,
            );
        }
    }
    if (alarmEmail !== undefined && alarmTopicArn !== undefined) {
        ok = !!r.fail(
            "alarmEmail and alarmTopicArn are both set; set one: an address (the stack makes the topic) or your own topic",
        );
    }
    const aligoBalanceAlarmBelow = r.integer("aligoBalanceAlarmBelow", 0, 100_000_000);
    if (!ok || aligoBalanceAlarmBelow === undefined) return undefined;
    return { alarmEmail, alarmTopicArn, aligoBalanceAlarmBelow };
}

/** Whether the stack has alarms: only when someone hears them. */
export const alarmsWanted = (c: AlarmsConfig): boolean => c.alarmEmail !== undefined || c.alarmTopicArn !== undefined;

/** Whether the balance alarm exists: a threshold is set and the warmer runs (its runs bring the figures). */
export const balanceAlarmed = (a: { balanceBelow: number; warmerActive: boolean }): boolean =>
    a.balanceBelow > 0 && a.warmerActive;

/** An alarm's window: its period (seconds), how many periods it looks at, how many must breach. */
export interface AlarmWindow {
    period: number;
    evaluationPeriods: number;
    datapointsToAlarm: number;
}

/** Periods (seconds) and how many of them each of the functions' schedule-bound alarms looks at. */
export interface AlarmWindows {
    /** The warmer's alarms: two failed runs in a row (one, when the window can hold only one run). */
    warmer: AlarmWindow;
    /** What the warmer's alarms wait for, in words, for their descriptions ("on two runs in a row"). */
    warmerCondition: string;
    /**
     * Aligo's IP refusals: at the first refusal, and OK again only after a look-up interval without
     * one, so refusals of the hourly balance look-ups keep the alarm in ALARM rather than flapping.
     */
    ipRefused: AlarmWindow;
    /**
     * Hours without a balance figure after which the staleness alarm tells (INSUFFICIENT_DATA); none
     * when that is longer than CloudWatch can look back (a week).
     */
    balanceStaleHours?: number;
}

/**
 * The alarm windows for a warmer schedule. "Failed twice in a row" needs one run per period, so
 * the warmer's alarms take its usual interval as their period (at least 5 minutes, at most a day;
 * a warmer slower than daily gets day-long periods over up to a week). Balance figures come only
 * from warmer runs, at most one an hour per container, so the staleness window is the schedule's
 * longest pause (a night, a weekend) plus two hours, and two look-ups of one container are at most
 * an hour plus one interval apart (a run a moment short of the hour skips its look-up), which the
 * IP refusal alarm's window outlasts. CloudWatch allows period × periods up to a day for periods
 * under an hour and a week otherwise (CloudWatch API Reference, PutMetricAlarm, Period:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html, read
 * 2026-12-02): every window here stays within that.
 */
export function alarmWindows(schedule: string): AlarmWindows {
    const usual = Math.max(1, usualGapMinutes(schedule)) * 60;
    const longest = Math.max(1, longestGapMinutes(schedule)) * 60;
    let warmer: AlarmWindow;
    let warmerCondition: string;
    if (usual <= 86_400) {
        warmer = { period: Math.max(300, usual), evaluationPeriods: 2, datapointsToAlarm: 2 };
        // Faster than every 5 minutes: a period holds several runs, and a failure in each of two
        // periods in a row is what the alarm waits for.
        warmerCondition = usual < 300 ? "in two 5-minute periods in a row" : "on two runs in a row";
    } else {
        const periods = Math.min(7, Math.ceil((2 * usual) / 86_400));
        const toAlarm = periods * 86_400 >= 2 * usual ? 2 : 1;
        warmer = { period: 86_400, evaluationPeriods: periods, datapointsToAlarm: toAlarm };
        // A window of a week holds one run: a single failed run is enough, and keeps the alarm on
        // until it leaves the window.
        warmerCondition = toAlarm === 2 ? "on two runs in a row" : `on a run in the last ${periods} days`;
    }
    // 5-minute periods over an hour, one interval and two periods more (the runs' and periods' edges).
    const ipPeriods = Math.min(288, Math.ceil((3_600 + usual) / 300) + 2);
    const staleHours = Math.ceil(Math.max(longest, 3_600) / 3_600) + 2;
    return {
        warmer,
        warmerCondition,
        ipRefused: { period: 300, evaluationPeriods: ipPeriods, datapointsToAlarm: 1 },
        balanceStaleHours: staleHours <= 168 ? staleHours : undefined,
    };
}

/** How many alarms the balance brings: the low balance, and the staleness alarm when its window fits. */
export function balanceAlarmCount(a: { balanceBelow: number; warmerActive: boolean; warmerSchedule: string }): number {
    if (!balanceAlarmed(a)) return 0;
    return alarmWindows(a.warmerSchedule).balanceStaleHours === undefined ? 1 : 2;
}
