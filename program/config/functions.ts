// The functions' settings: CPU, memory, timeout, log retention, and the warmer's schedule.
import { quote } from "../../components/index";
import { onlyPastYears, scheduleProblem } from "../functions/schedule";
import type { RawReader } from "./reader";

export const LAMBDA_ARCHITECTURES = ["arm64", "x86_64"] as const;
/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export interface FunctionsConfig {
    readonly lambdaArchitecture: (typeof LAMBDA_ARCHITECTURES)[number];
    readonly lambdaMemoryMb: number;
    readonly lambdaTimeoutSeconds: number;
    readonly logRetentionDays: number;
    readonly warmerSchedule: string;
    readonly warmerConcurrency: number;
    readonly warmerEnabled: boolean;
}

export function parseFunctionsConfig(r: RawReader): FunctionsConfig | undefined {
    const lambdaArchitecture = r.oneOf("lambdaArchitecture", LAMBDA_ARCHITECTURES);
    const lambdaMemoryMb = r.integer("lambdaMemoryMb", 128, 10_240);
    // At least 5 s: a request gets up to 3 s to connect, and 1 s is kept back to answer.
    const lambdaTimeoutSeconds = r.integer("lambdaTimeoutSeconds", 5, 900);
    const retention = r.oneOf("logRetentionDays", LOG_RETENTION_DAYS.map(String));
    let warmerSchedule = r.need("warmerSchedule", "e.g. rate(5 minutes)");
    if (warmerSchedule !== undefined) {
        const problem = scheduleProblem(warmerSchedule);
        if (problem)
            warmerSchedule = r.fail(
                `warmerSchedule: ${quote(warmerSchedule)} ${problem.startsWith("is ") ? problem : `is not valid: ${problem}`}`,
            );
        else if (onlyPastYears(warmerSchedule, new Date().getUTCFullYear())) {
            warmerSchedule = r.fail(
                `warmerSchedule: ${quote(warmerSchedule)} names only past years: the warmer would never run; use * as the year, e.g. cron(0/5 * * * ? *)`,
            );
        }
    }
    const warmerConcurrency = r.integer("warmerConcurrency", 1, 10);
    const warmerEnabled = r.bool("warmerEnabled");
    if (
        lambdaArchitecture === undefined ||
        lambdaMemoryMb === undefined ||
        lambdaTimeoutSeconds === undefined ||
        retention === undefined ||
        warmerSchedule === undefined ||
        warmerConcurrency === undefined ||
        warmerEnabled === undefined
    ) {
        return undefined;
    }
    return {
        lambdaArchitecture,
        lambdaMemoryMb,
        lambdaTimeoutSeconds,
        logRetentionDays: Number(retention),
        warmerSchedule,
        warmerConcurrency,
        warmerEnabled,
    };
}
