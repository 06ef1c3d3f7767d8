// How `npm run adversarial` judges what came back: each judge returns the case's problems (none: it
// held). Pure: the answers, times and request counts are handed in.
import type { BadEvent } from "./adversarial-events";
import { PATHS, type FaultCase, type WarmerCase } from "./adversarial-faults";

/** One call as the child ran it: the answer as Lambda's JSON text, and the time it took. */
export interface Outcome {
    answer: string;
    elapsedMs: number;
    threw?: boolean;
}

interface Answer {
    ok?: unknown;
    error?: { code?: unknown; maybeSent?: unknown; field?: unknown };
    [field: string]: unknown;
}

function parsed(o: Outcome): Answer | undefined {
    try {
        const v: unknown = JSON.parse(o.answer);
        return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Answer) : undefined;
    } catch {
        return undefined;
    }
}

const shown = (o: Outcome) => (o.answer.length > 160 ? `${o.answer.slice(0, 160)}…` : o.answer);

/** A Lambda that is still working when its time is up is killed: the answer must come before. */
function late(o: Outcome, remainingMs: number): string[] {
    return o.elapsedMs < remainingMs
        ? []
        : [`answered after ${Math.round(o.elapsedMs)} ms with ${remainingMs} ms remaining`];
}

/** A bad event: refused as INVALID_INPUT, a send's refusal with maybeSent false, and no request made. */
export function judgeBadEvent(e: BadEvent, o: Outcome, requests: number, remainingMs: number): string[] {
    const a = parsed(o);
    const problems = late(o, remainingMs);
    if (o.threw || a?.ok !== false || a.error?.code !== "INVALID_INPUT")
        problems.push(`not refused as INVALID_INPUT: ${shown(o)}`);
    else if (e.send && a.error.maybeSent !== false) problems.push(`a refused send without maybeSent: false`);
    if (requests > 0) problems.push(`${requests} request(s) reached Aligo`);
    return problems;
}

/** An upstream fault: in time, the expected outcome, an honest maybeSent, the expected request count. */
export function judgeFault(c: FaultCase, o: Outcome, requests: number): string[] {
    const a = parsed(o);
    const problems = late(o, c.remainingMs);
    if (o.threw || !a) return [...problems, `no answer of the function's shape: ${shown(o)}`];
    const { expect } = c;
    if (expect.ok && a.ok !== true) problems.push(`expected a success: ${shown(o)}`);
    if (!expect.ok && (a.ok !== false || a.error?.code !== expect.code))
        problems.push(`expected ${String(expect.code)}: ${shown(o)}`);
    if (expect.requests !== undefined && requests !== expect.requests)
        problems.push(`${requests} request(s) reached ${PATHS[c.action]}, expected ${expect.requests}`);
    problems.push(...maybeSentProblems(c, a, requests));
    return problems;
}

/**
 * docs/sms-function.md, "maybeSent": on every failure of a send; false only when no attempt
 * connected (then nothing can have reached the upstream); true whenever the request may have.
 * Reads carry no maybeSent.
 */
function maybeSentProblems(c: FaultCase, a: Answer, requests: number): string[] {
    const sends = c.action === "send" || c.action === "sendMass";
    const maybe = a.error?.maybeSent;
    if (!sends) return maybe === undefined ? [] : [`a read answered with maybeSent ${JSON.stringify(maybe)}`];
    if (a.ok === true) return requests === 1 ? [] : [`a success after ${requests} requests`];
    if (typeof maybe !== "boolean") return ["a failed send without maybeSent"];
    if (!maybe && requests > 0) return [`maybeSent false, yet ${requests} request(s) reached the upstream`];
    const want = c.expect.maybeSent;
    if (typeof want === "boolean" && maybe !== want)
        return [`maybeSent ${String(maybe)}, the docs say ${String(want)}`];
    return [];
}

/**
 * A send in the duplicate run: every text it carried reached the upstream once at most; exactly once
 * when it answered success; never when it answered maybeSent false.
 */
export function judgeDuplicateCall(msgs: string[], o: Outcome, seen: (msg: string) => number, remainingMs: number) {
    const a = parsed(o);
    const problems = late(o, remainingMs);
    const counts = msgs.map(seen);
    const duplicates = counts.filter((n) => n > 1).length;
    if (duplicates > 0) problems.push(`sent ${Math.max(...counts)} times`);
    if (a?.ok === true && counts.some((n) => n !== 1)) problems.push(`a success, yet sent ${counts.join("/")} times`);
    if (a?.ok === false && a.error?.maybeSent === false && counts.some((n) => n > 0))
        problems.push("maybeSent false, yet it reached the upstream");
    if (!a || (a.ok === false && typeof a.error?.maybeSent !== "boolean"))
        problems.push(`no honest answer: ${shown(o)}`);
    return { problems, duplicates };
}

/** A warmer run: in time; every ping answered or listed as a failure (with the code the fault gives); invoked once each. */
export function judgeWarmer(c: WarmerCase, o: Outcome, invokes: number): string[] {
    const a = parsed(o);
    const problems = late(o, c.remainingMs);
    if (o.threw || !a) return [...problems, `no answer: ${shown(o)}`];
    const failures = Array.isArray(a.failures) ? (a.failures as { code?: unknown }[]) : [];
    const invoked = Number(a.invoked ?? 0);
    if (c.expect.ok && (a.ok !== true || a.answered !== invoked || failures.length > 0))
        problems.push(`expected every ping answered: ${shown(o)}`);
    if (!c.expect.ok && (a.ok !== false || a.error?.code !== c.expect.code))
        problems.push(`expected ${String(c.expect.code)}: ${shown(o)}`);
    if (a.error?.code === "WARM_FAILED" && Number(a.answered) + failures.length !== invoked)
        problems.push(`answered ${String(a.answered)} + ${failures.length} failures ≠ ${invoked} invoked`);
    if (c.expect.pingCode && failures.some((f) => f.code !== c.expect.pingCode))
        problems.push(`a ping failure is not ${c.expect.pingCode}: ${shown(o)}`);
    if (c.expect.answered !== undefined && a.answered !== c.expect.answered)
        problems.push(`answered ${String(a.answered)}, expected ${c.expect.answered}`);
    const expectedInvokes = c.expect.code === "CONFIG_ERROR" ? 0 : invoked;
    if (invokes !== expectedInvokes) problems.push(`${invokes} invoke request(s) for ${expectedInvokes} pings`);
    return problems;
}
