import { describe, expect, it } from "vitest";
import { alarmWindows, balanceAlarmCount } from "./alarms";

// CloudWatch's limit on an alarm's window (CloudWatch API Reference, PutMetricAlarm, Period:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html, read
// 2026-12-02): period × evaluation periods at most a day for periods under an hour, a week otherwise.
const withinLimit = (period: number, periods: number) => period * periods <= (period < 3_600 ? 86_400 : 7 * 86_400);

describe("alarmWindows", () => {
    it.each([
        // schedule, warmer period, periods, datapoints to alarm, stale hours
        ["rate(1 minute)", 300, 2, 2, 3],
        ["rate(5 minutes)", 300, 2, 2, 3],
        ["rate(15 minutes)", 900, 2, 2, 3],
        ["rate(3 hours)", 10_800, 2, 2, 5],
        ["rate(1 day)", 86_400, 2, 2, 26],
        ["cron(0/15 9-18 ? * MON-FRI *)", 900, 2, 2, 65],
        // Slower than daily: day-long periods holding two runs where a week allows it, else one.
        ["rate(2 days)", 86_400, 4, 2, 50],
        ["rate(4 days)", 86_400, 7, 1, 98],
        // A warmer limited to a year runs like one that is not while it runs (2026: now).
        ["cron(0/5 * * * ? 2026)", 300, 2, 2, 3],
        // A warmer that runs from March to October: every 5 minutes while it runs.
        ["cron(0/5 * * 3-10 ? *)", 300, 2, 2, undefined],
    ] as const)("%s: warmer %i s × %i (%i to alarm), stale after %s h", (schedule, period, periods, toAlarm, stale) => {
        const w = alarmWindows(schedule);
        expect(w.warmer).toEqual({ period, evaluationPeriods: periods, datapointsToAlarm: toAlarm });
        expect(w.balanceStaleHours).toBe(stale);
        expect(withinLimit(w.warmer.period, w.warmer.evaluationPeriods)).toBe(true);
        if (stale !== undefined) expect(withinLimit(3_600, w.balanceStaleHours!)).toBe(true);
        expect(withinLimit(w.ipRefused.period, w.ipRefused.evaluationPeriods)).toBe(true);
    });

    it("no staleness alarm when the schedule pauses longer than CloudWatch can look back (a week)", () => {
        expect(alarmWindows("rate(7 days)").balanceStaleHours).toBeUndefined();
        expect(alarmWindows("cron(0 8 1,15 * ? *)").balanceStaleHours).toBeUndefined();
        expect(alarmWindows("rate(6 days)").balanceStaleHours).toBe(146);
        // January to June only: no figure from July to December would be told every July.
        expect(alarmWindows("cron(0/5 * * 1-6 ? *)").balanceStaleHours).toBeUndefined();
    });

    it("says in words what the warmer's alarms wait for: two runs in a row, periods when runs are faster, one run when a week holds one", () => {
        expect(alarmWindows("rate(5 minutes)").warmerCondition).toBe("on two runs in a row");
        expect(alarmWindows("rate(2 days)").warmerCondition).toBe("on two runs in a row");
        // Every minute: a 5-minute period holds five runs.
        expect(alarmWindows("rate(1 minute)").warmerCondition).toBe("in two 5-minute periods in a row");
        expect(alarmWindows("rate(4 days)").warmerCondition).toBe("on a run in the last 7 days");
        expect(alarmWindows("rate(7 days)").warmerCondition).toBe("on a run in the last 7 days");
    });

    it.each([
        // schedule, IP refusal periods of 5 minutes: an hour (the look-ups' spacing) plus one interval plus 10 minutes
        ["rate(1 minute)", 15],
        ["rate(5 minutes)", 15],
        ["rate(15 minutes)", 17],
        ["rate(1 hour)", 26],
        ["cron(0/5 9-18 ? * MON-FRI *)", 15],
        // At most a day of 5-minute periods (CloudWatch's limit under an hour).
        ["rate(1 day)", 288],
        ["rate(7 days)", 288],
    ] as const)(
        "%s: the IP refusal alarm looks at %i 5-minute periods, one refusal in them enough",
        (schedule, periods) => {
            const w = alarmWindows(schedule).ipRefused;
            expect(w).toEqual({ period: 300, evaluationPeriods: periods, datapointsToAlarm: 1 });
            expect(withinLimit(w.period, w.evaluationPeriods)).toBe(true);
        },
    );

    it("the IP refusal window outlasts the longest time between two balance look-ups of one container (an hour plus one run, when a run a moment short of the hour skips its look-up; one run, when runs are more than an hour apart)", () => {
        for (const [schedule, gapMinutes] of [
            ["rate(1 minute)", 1],
            ["rate(5 minutes)", 5],
            ["rate(15 minutes)", 15],
            ["rate(1 hour)", 60],
            ["rate(3 hours)", 180],
            ["rate(12 hours)", 720],
        ] as const) {
            const w = alarmWindows(schedule).ipRefused;
            const lookUpsApart = gapMinutes > 60 ? gapMinutes : 60 + gapMinutes;
            expect(w.period * w.evaluationPeriods, schedule).toBeGreaterThan(lookUpsApart * 60 + w.period);
        }
    });

    it("counts the balance alarms the plan prices", () => {
        expect(balanceAlarmCount({ balanceBelow: 500, warmerActive: true, warmerSchedule: "rate(5 minutes)" })).toBe(2);
        expect(balanceAlarmCount({ balanceBelow: 500, warmerActive: true, warmerSchedule: "rate(7 days)" })).toBe(1);
        expect(balanceAlarmCount({ balanceBelow: 0, warmerActive: true, warmerSchedule: "rate(5 minutes)" })).toBe(0);
        expect(balanceAlarmCount({ balanceBelow: 500, warmerActive: false, warmerSchedule: "rate(5 minutes)" })).toBe(
            0,
        );
    });
});
