// Reading raw config values (strings, as the Pulumi CLI hands them over, with Pulumi.yaml's defaults
// applied) into typed ones, collecting every problem instead of stopping at the first.
import { quote, type Problem } from "../../components/index";

/** Raw config: short keys of this project, plus `aws:region`. Values as the CLI passes them. */
export type RawConfig = Record<string, string | undefined>;

export class RawReader {
    readonly problems: string[] = [];
    readonly warnings: string[] = [];

    constructor(private readonly raw: RawConfig) {}

    /** Records a problem; returns undefined, so a failed read reads as "no value". */
    fail(message: string): undefined {
        this.problems.push(message);
        return undefined;
    }

    /** Records the components' rule problems (their paths are config keys here). */
    problemsFrom(problems: Problem[]): void {
        for (const p of problems) this.fail(`${p.path}: ${p.reason}`);
    }

    /** The value, or undefined when absent or "" (Pulumi.yaml's default for "not set"). */
    str(key: string): string | undefined {
        const v = Object.prototype.hasOwnProperty.call(this.raw, key) ? this.raw[key] : undefined;
        return v === undefined || v === "" ? undefined : v;
    }

    need(key: string, what: string): string | undefined {
        return this.str(key) ?? this.fail(`${key}: is not set; ${what}`);
    }

    integer(key: string, min: number, max: number): number | undefined {
        const what = `a whole number from ${min} to ${max}`;
        const v = this.need(key, what);
        if (v === undefined) return undefined;
        const n = Number(v);
        if (/^\d+$/.test(v.trim()) && n >= min && n <= max) return n;
        return this.fail(`${key}: ${quote(v)} is not ${what}`);
    }

    oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
        const v = this.need(key, `allowed: ${allowed.join(", ")}`);
        if (v === undefined) return undefined;
        if ((allowed as readonly string[]).includes(v)) return v as T;
        return this.fail(`${key}: ${quote(v)} is not one of ${allowed.join(", ")}`);
    }

    bool(key: string): boolean | undefined {
        const v = this.need(key, "true or false");
        if (v === "true" || v === "false") return v === "true";
        return v === undefined ? undefined : this.fail(`${key}: ${quote(v)} is not true or false`);
    }

    /** A list of strings (JSON, as the CLI passes arrays); undefined when not set or []. */
    list(key: string): string[] | undefined {
        const v = this.str(key);
        if (v === undefined) return undefined;
        let parsed: unknown;
        try {
            parsed = JSON.parse(v);
        } catch {
            return this.fail(
                `${key}: ${quote(v)} is not a list; set items with \`pulumi config set --path '${key}[0]' <value>\``,
            );
        }
        if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === "string"))
            return this.fail(`${key}: ${quote(v)} is not a list of strings`);
        return parsed.length === 0 ? undefined : parsed;
    }
}
