import { describe, expect, it } from "vitest";
import { firingsIn, longestGapMinutes, scheduleProblem, usualGapMinutes } from "./schedule";

describe("scheduleProblem", () => {
    it.each([
        "rate(1 minute)",
        "rate(5 minutes)",
        "rate(1 hour)",
        "rate(12 hours)",
        "rate(1 day)",
        "rate(7 days)",
        "cron(0/5 * * * ? *)",
        "cron(0 9 ? * MON-FRI *)",
        "cron(15 10 L * ? *)",
        "cron(0 18 ? * 6L 2026-2030)",
        "cron(0 8 1,15 * ? *)",
        "cron(0 0 ? JAN,JUL 2#1 *)",
        "cron(0/15 9-18 ? * 2-6 *)",
        "cron(0 12 15W * ? *)",
        "cron(0 12 31W * ? *)",
        "cron(0 12 L-30 * ? *)",
        "cron(0 12 L-1 * ? *)",
        "cron(0 12 LW * ? *)",
        "cron(0 12 ? * 5#5 *)",
        // 29 February: only in leap years, which the two years looked at include.
        "cron(0 0 29 2 ? *)",
    ])("accepts %s", (expr) => expect(scheduleProblem(expr)).toBeNull());

    it.each([
        ["rate(1 minutes)", /must be singular: rate\(1 minute\)/],
        ["rate(2 hour)", /must be plural: rate\(2 hours\)/],
        ["rate(0 minutes)", /at least 1 minute/],
        ["rate(30 seconds)", /whole number and a unit/],
        ["rate(1.5 hours)", /whole number and a unit/],
        ["rate(5  minutes)", /whole number and a unit/],
        ["cron(*/5 * * * *)", /cron needs 6 fields .* got 5/],
        ["cron(0 9 * * * *)", /\? in exactly one of day-of-month and day-of-week/],
        ["cron(0 9 ? * ? *)", /\? in exactly one/],
        ["cron(60 * * * ? *)", /minutes "60": "60" is outside 0-59/],
        ["cron(0 24 * * ? *)", /hours "24"/],
        ["cron(0 9 ? 13 MON *)", /month "13"/],
        ["cron(0 9 ? * FUNDAY *)", /day-of-week "FUNDAY"/],
        ["cron(0/0 * * * ? *)", /step "0" must be a whole number ≥ 1/],
        ["cron(? * * * ? *)", /\? is only for day-of-month or day-of-week/],
        ["cron(0 0 1 * ? 1969)", /year "1969"/],
        // Day fields AWS refuses at deploy time.
        ["cron(0 12 99W * ? *)", /day-of-month "99W": "99W" is outside 1-31/],
        ["cron(0 12 0W * ? *)", /day-of-month "0W"/],
        ["cron(0 12 L-40 * ? *)", /day-of-month "L-40"/],
        ["cron(0 12 L-31 * ? *)", /day-of-month "L-31"/],
        ["cron(0 12 ? * 2#6 *)", /day-of-week "2#6"/],
        ["cron(0 12 ? * 8L *)", /day-of-week "8L"/],
        ["every 5 minutes", /neither rate/],
        // Valid to AWS, but no date matches: it would never run.
        ["cron(0 0 30 2 ? *)", /never fires/],
        ["cron(0 0 31 APR,JUN ? *)", /never fires/],
    ])("refuses %s", (expr, message) => expect(scheduleProblem(expr)).toMatch(message));
});

describe("firingsIn: a 730-hour month", () => {
    it.each([
        ["rate(1 minute)", 43_800],
        ["rate(5 minutes)", 8_760],
        ["rate(1 hour)", 730],
        ["rate(1 day)", 30],
        ["cron(0/5 * * * ? *)", 8_760],
        ["cron(0 * * * ? *)", 730],
        // 730 h from Friday 2027-01-01: 21 weekdays.
        ["cron(0 9 ? * MON-FRI *)", 21],
        ["cron(0 12 L * ? *)", 0],
        ["cron(0 12 30 * ? *)", 1],
        ["cron(0 8 ? * 2#1 *)", 1],
    ])("%s fires %i times", (expr, n) => expect(firingsIn(expr, 730)).toBe(n));
});

describe("usualGapMinutes: the time between two runs that the warmer's alarms take as their period", () => {
    it.each([
        ["rate(1 minute)", 1],
        ["rate(5 minutes)", 5],
        ["rate(2 hours)", 120],
        ["rate(1 day)", 1_440],
        ["cron(0/5 * * * ? *)", 5],
        // Every 15 minutes in office hours: the night's gap is the exception, not the rule.
        ["cron(0/15 9-18 ? * MON-FRI *)", 15],
        ["cron(0 9 ? * MON-FRI *)", 1_440],
        ["cron(0 8 1,15 * ? *)", 14 * 1_440],
        // The year is read as any year: the gaps are those of the schedule while it runs (a warmer
        // limited to 2026 runs now, in 2026, not "never" as a count from 2027 would say).
        ["cron(0 8 * * ? 2026)", 1_440],
        ["cron(0/5 * * * ? 2026)", 5],
        // Runs only from March to October: still every 5 minutes while it runs (a count over the
        // first weeks of January would see no runs and give the alarms a week-long window).
        ["cron(0/5 * * 3-10 ? *)", 5],
    ])("%s: %i minutes", (expr, minutes) => expect(usualGapMinutes(expr)).toBe(minutes));
});

describe("longestGapMinutes: the longest pause, which the balance staleness alarm must outlast", () => {
    it.each([
        ["rate(5 minutes)", 5],
        ["rate(7 days)", 7 * 1_440],
        ["cron(0/5 * * * ? *)", 5],
        // Office hours: Friday 18:45 to Monday 09:00.
        ["cron(0/15 9-18 ? * MON-FRI *)", 62 * 60 + 15],
        ["cron(0 9 ? * MON-FRI *)", 3 * 1_440],
        // The 15th to the 1st of the next month.
        ["cron(0 8 1,15 * ? *)", 17 * 1_440],
        // The year is read as any year (see usualGapMinutes).
        ["cron(0 8 * * ? 2026)", 1_440],
        ["cron(0/15 9-18 ? * MON-FRI 2026-2027)", 62 * 60 + 15],
        // January to June only: the pause is 30 June 23:55 to 1 January 00:00, 184 days and 5
        // minutes (a count over the first five weeks of January saw 5 minutes, so a staleness
        // alarm of 3 hours would have told every July).
        ["cron(0/5 * * 1-6 ? *)", 184 * 1_440 + 5],
        // December only: the pause is the rest of the year (31 December 2027 to 1 December 2028).
        ["cron(0 9 * 12 ? *)", 336 * 1_440],
        // The last day of each month: the longest gap is 31 days (28 February to 31 March).
        ["cron(0 12 L * ? *)", 31 * 1_440],
    ])("%s: %i minutes", (expr, minutes) => expect(longestGapMinutes(expr)).toBe(minutes));
});
