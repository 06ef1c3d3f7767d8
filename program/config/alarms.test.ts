import { describe, expect, it } from "vitest";
import { alarmWindows, balanceAlarmCount } from "./alarms";

// CloudWatch's limit on an alarm's window (PutMetricAlarm, Period; read 2026-12-02): period ×
// evaluation periods at most a day for periods under an hour, at most a week otherwise.
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
    ] as const)("%s: warmer %i s × %i (%i to alarm), stale after %i h", (schedule, period, periods, toAlarm, stale) => {
        const w = alarmWindows(schedule);
        expect(w.warmer).toEqual({ period, evaluationPeriods: periods, datapointsToAlarm: toAlarm });
        expect(w.balanceStaleHours).toBe(stale);
        expect(withinLimit(w.warmer.period, w.warmer.evaluationPeriods)).toBe(true);
        expect(withinLimit(3_600, w.balanceStaleHours!)).toBe(true);
    });

    it("no staleness alarm when the schedule pauses longer than CloudWatch can look back (a week)", () => {
        expect(alarmWindows("rate(7 days)").balanceStaleHours).toBeUndefined();
        expect(alarmWindows("cron(0 8 1,15 * ? *)").balanceStaleHours).toBeUndefined();
        expect(alarmWindows("rate(6 days)").balanceStaleHours).toBe(146);
    });

    it("counts the balance alarms the plan prices", () => {
        expect(balanceAlarmCount({ balanceBelow: 500, warmerActive: true, warmerSchedule: "rate(5 minutes)" })).toBe(2);
        expect(balanceAlarmCount({ balanceBelow: 500, warmerActive: true, warmerSchedule: "rate(7 days)" })).toBe(1);
        expect(balanceAlarmCount({ balanceBelow: 0, warmerActive: true, warmerSchedule: "rate(5 minutes)" })).toBe(0);
        expect(balanceAlarmCount({ balanceBelow: 500, warmerActive: false, warmerSchedule: "rate(5 minutes)" })).toBe(0);
    });
});
