// EventBridge schedule expressions, checked with AWS's rules before anything is deployed:
// rate(1 minute) singular, rate(N minutes|hours|days) plural, at least 1 minute; cron() with six
// fields (minutes hours day-of-month month day-of-week year) and `?` in exactly one of
// day-of-month and day-of-week. Returns null when valid, else what is wrong.

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldRule {
    name: string;
    min: number;
    max: number;
    names?: string[];
    /** Extra tokens allowed in this field (upper-cased), beyond numbers, names and ranges. */
    special: ((token: string) => boolean) | null;
}

/** `L-n` (n days before the last) takes n up to 30, `nW` (nearest weekday) a day 1 to 31, as AWS does. */
function dayOfMonthSpecial(t: string): boolean {
    if (t === "L" || t === "LW") return true;
    const w = /^(\d{1,2})W$/.exec(t);
    if (w) return Number(w[1]) >= 1 && Number(w[1]) <= 31;
    const before = /^L-(\d{1,2})$/.exec(t);
    return before !== null && Number(before[1]) >= 1 && Number(before[1]) <= 30;
}

/** `nL` (the last such weekday), `n#k` (the k-th, 1 to 5), or `L` alone. */
const dayOfWeekSpecial = (t: string) => /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5])$|^L$/.test(t);

const FIELDS: FieldRule[] = [
    { name: "minutes", min: 0, max: 59, special: null },
    { name: "hours", min: 0, max: 23, special: null },
    { name: "day-of-month", min: 1, max: 31, special: dayOfMonthSpecial },
    { name: "month", min: 1, max: 12, names: MONTHS, special: null },
    { name: "day-of-week", min: 1, max: 7, names: DAYS, special: dayOfWeekSpecial },
    { name: "year", min: 1970, max: 2199, special: null },
];

export function scheduleProblem(expr: string): string | null {
    const rate = /^rate\((.*)\)$/.exec(expr);
    if (rate) return rateProblem(rate[1]);
    const cron = /^cron\((.*)\)$/.exec(expr);
    if (cron) return cronProblem(cron[1]);
    return "is neither rate(...) nor cron(...)";
}

function rateProblem(body: string): string | null {
    const m = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body);
    if (!m) return "rate needs a whole number and a unit, e.g. rate(5 minutes), rate(1 hour)";
    const n = Number(m[1]);
    const unit = m[2];
    if (n < 1) return "rate must be at least 1 minute";
    const singular = !unit.endsWith("s");
    if (n === 1 && !singular) return `rate(1 ${unit}) must be singular: rate(1 ${unit.slice(0, -1)})`;
    if (n > 1 && singular) return `rate(${n} ${unit}) must be plural: rate(${n} ${unit}s)`;
    return null;
}

function cronProblem(body: string): string | null {
    const fields = body.trim().split(/\s+/);
    if (fields.length !== 6) {
        return `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}; e.g. cron(0/5 * * * ? *)`;
    }
    const [dom, dow] = [fields[2], fields[4]];
    if ((dom === "?") === (dow === "?")) return "cron needs ? in exactly one of day-of-month and day-of-week";
    for (const [i, field] of fields.entries()) {
        const problem = fieldProblem(field, FIELDS[i]);
        if (problem) return `cron ${FIELDS[i].name} ${JSON.stringify(field)}: ${problem}`;
    }
    // AWS accepts a cron no date matches (30 February); it would never run.
    let fires = false;
    eachCronFiring(`cron(${body})`, GAP_WINDOW_DAYS, true, () => (fires = true));
    if (!fires) return "never fires: no date has that day-of-month (or day-of-week) in those months";
    return null;
}

/** Whether every year a valid cron() names is before `year` (it will not run again); false for rate(). */
export function onlyPastYears(expr: string, year: number): boolean {
    const cron = /^cron\((.*)\)$/.exec(expr);
    if (!cron) return false;
    const field = cron[1].trim().split(/\s+/)[5];
    return [...expand(field, FIELDS[5])].every((y) => y < year);
}

function value(token: string, rule: FieldRule): number | null {
    if (/^\d+$/.test(token)) {
        const n = Number(token);
        return n >= rule.min && n <= rule.max ? n : null;
    }
    const i = rule.names?.indexOf(token.toUpperCase()) ?? -1;
    return i >= 0 ? i + rule.min : null;
}

function fieldProblem(field: string, rule: FieldRule): string | null {
    if (field === "?")
        return rule.name === "day-of-month" || rule.name === "day-of-week"
            ? null
            : "? is only for day-of-month or day-of-week";
    for (const item of field.split(",")) {
        if (item === "*") continue;
        if (rule.special?.(item.toUpperCase())) continue;
        const [range, step] = item.split("/");
        if (item.split("/").length > 2) return `"${item}" has more than one /`;
        if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1))
            return `step "${step}" must be a whole number ≥ 1`;
        if (range === "*") continue;
        const ends = range.split("-");
        if (ends.length > 2 || ends.some((e) => value(e, rule) === null)) {
            return `"${item}" is outside ${rule.min}-${rule.max}${rule.names ? ` (or ${rule.names[0]}-${rule.names[rule.names.length - 1]})` : ""}`;
        }
    }
    return null;
}

/**
 * How often a valid schedule fires in `hours` hours: exact for rate(), counted over the hours from
 * 2027-01-01 00:00 UTC for cron() (its year field included).
 */
export function firingsIn(expr: string, hours: number): number {
    const minutes = rateMinutes(expr);
    if (minutes !== undefined) return Math.floor((hours * 60) / minutes);
    let n = 0;
    eachCronFiring(expr, Math.ceil(hours / 24), false, (m) => {
        if (m < hours * 60) n++;
    });
    return n;
}

/**
 * The window the gaps below are measured over: two whole years from 2027-01-01 (one of them a leap
 * year), so that a pause in some months only (a cron limited to January-June, or to December) is
 * seen, with the year field read as any year: the gaps are those of the schedule while it runs (a
 * cron limited to 2026 runs as often in 2026 as one without a year). A schedule that runs less than
 * twice in it gives the whole window.
 */
const GAP_WINDOW_DAYS = 731;

/**
 * The usual time between two runs, in minutes: exact for rate(); for cron() the most frequent gap
 * between runs over GAP_WINDOW_DAYS (the shorter one on a tie), so a schedule that runs every 5
 * minutes in office hours gives 5.
 */
export function usualGapMinutes(expr: string): number {
    const minutes = rateMinutes(expr);
    if (minutes !== undefined) return minutes;
    const counts = new Map<number, number>();
    let last: number | undefined;
    eachCronFiring(expr, GAP_WINDOW_DAYS, true, (m) => {
        if (last !== undefined) counts.set(m - last, (counts.get(m - last) ?? 0) + 1);
        last = m;
    });
    let best: [number, number] | undefined;
    for (const [gap, n] of counts) if (!best || n > best[1] || (n === best[1] && gap < best[0])) best = [gap, n];
    return best ? best[0] : GAP_WINDOW_DAYS * 1_440;
}

/**
 * The longest time between two runs, in minutes: exact for rate(); for cron() the longest gap over
 * GAP_WINDOW_DAYS (nights, weekends, a monthly run, the months it does not run).
 */
export function longestGapMinutes(expr: string): number {
    const minutes = rateMinutes(expr);
    if (minutes !== undefined) return minutes;
    let longest = 0;
    let runs = 0;
    let last = 0;
    eachCronFiring(expr, GAP_WINDOW_DAYS, true, (m) => {
        if (runs++ > 0) longest = Math.max(longest, m - last);
        last = m;
    });
    return runs < 2 ? GAP_WINDOW_DAYS * 1_440 : longest;
}

/** Minutes between runs of a valid rate() expression; undefined for cron(). */
function rateMinutes(expr: string): number | undefined {
    const problem = scheduleProblem(expr);
    if (problem) throw new Error(`${expr} ${problem}`);
    const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expr);
    return rate
        ? Number(rate[1]) * { minute: 1, hour: 60, day: 1440 }[rate[2] as "minute" | "hour" | "day"]
        : undefined;
}

/**
 * Calls `run` with each minute (counted from 2027-01-01 00:00 UTC, in order) at which a valid
 * cron() fires in its first `days` days, until `run` returns true; `anyYear`: the year field is read as `*`. Day by day, then
 * the hours and minutes the expression names (two years of an every-minute cron: about 50 ms).
 */
function eachCronFiring(expr: string, days: number, anyYear: boolean, run: (minute: number) => void | boolean): void {
    const [min, hour, dom, month, dow, year] = /^cron\((.*)\)$/.exec(expr)![1].trim().split(/\s+/);
    const [minutes, hours] = [min, hour].map((f, i) => [...expand(f, FIELDS[i])].sort((a, b) => a - b));
    const [months, years] = [month, year].map((f, i) => expand(f, FIELDS[[3, 5][i]]));
    const start = Date.UTC(2027, 0, 1);
    for (let d = 0; d < days; d++) {
        const t = new Date(start + d * 86_400_000);
        if (!months.has(t.getUTCMonth() + 1) || (!anyYear && !years.has(t.getUTCFullYear()))) continue;
        if (!(dom === "?" ? dayOfWeekMatches(dow, t) : dayOfMonthMatches(dom, t))) continue;
        for (const h of hours) for (const m of minutes) if (run(d * 1_440 + h * 60 + m) === true) return;
    }
}

function expand(field: string, rule: FieldRule): Set<number> {
    const out = new Set<number>();
    for (const item of field.split(",")) {
        const [range, stepText] = item.split("/");
        const step = stepText ? Number(stepText) : 1;
        let [lo, hi] = [rule.min, rule.max];
        if (range !== "*" && range !== "?") {
            const ends = range.split("-").map((e) => value(e, rule)!);
            lo = ends[0];
            hi = ends.length === 2 ? ends[1] : stepText ? rule.max : ends[0];
        }
        for (let v = lo; v <= hi; v += step) out.add(v);
    }
    return out;
}

function daysInMonth(t: Date): number {
    return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
}

function dayOfMonthMatches(field: string, t: Date): boolean {
    const day = t.getUTCDate();
    const last = daysInMonth(t);
    return field.split(",").some((item) => {
        const up = item.toUpperCase();
        if (up === "L" || up === "LW") return day === last;
        if (/^L-\d+$/.test(up)) return day === last - Number(up.slice(2));
        if (/^\d+W$/.test(up)) return day === Number(up.slice(0, -1)); // nearest weekday, approximated
        return expand(item, FIELDS[2]).has(day);
    });
}

function dayOfWeekMatches(field: string, t: Date): boolean {
    const dow = t.getUTCDay() + 1; // SUN = 1
    const day = t.getUTCDate();
    return field.split(",").some((item) => {
        const up = item.toUpperCase();
        const special = /^(\w+?)(L|#([1-5]))$/.exec(up);
        if (up === "L") return dow === 7;
        if (special) {
            const want = value(special[1], FIELDS[4]);
            if (want !== dow) return false;
            return special[2] === "L" ? day + 7 > daysInMonth(t) : Math.ceil(day / 7) === Number(special[3]);
        }
        return expand(item, FIELDS[4]).has(dow);
    });
}
