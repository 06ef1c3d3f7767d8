// One JSON object per line on stdout (CloudWatch keeps each as one event). Callers pass only
// what may be logged: masked numbers, byte lengths, codes. Never the key, never message text.

export type Level = "info" | "warn" | "error";

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
    process.stdout.write(`${JSON.stringify({ level, msg, ...fields })}\n`);
}

/** `01012345678` → `010****5678`; short or odd input keeps only its first and last character. */
export function maskPhone(n: string): string {
    if (n.length >= 8) return `${n.slice(0, 3)}****${n.slice(-4)}`;
    return n.length <= 2 ? "**" : `${n[0]}${"*".repeat(n.length - 2)}${n[n.length - 1]}`;
}
