// The Aligo API key: from ALIGO_API_KEY when set (local runs, tests), else from the SSM Parameter
// Store SecureString named in ALIGO_API_KEY_PARAMETER, read once per container at the first call
// that needs it, and read again (at most once a minute) after Aligo refuses the key, so a rotated
// key (`pulumi config set --secret aligoApiKey` then `pulumi up`) is taken up without redeploying.
import { AwsCallError, awsJson } from "../shared/aws";
import { ResultError } from "../shared/result";
import { Scrubber } from "../shared/scrub";
import { MESSAGES } from "./messages";

/** The shortest time between two reads of the parameter. */
export const KEY_REREAD_MS = 60_000;

interface Cached {
    value: string;
    readAt: number;
}

let cached: Cached | undefined;
/** When the parameter was last asked for after a refusal, answered or not: the once-a-minute limit counts failed reads too. */
let lastReread = 0;

/** The longest a re-read after a refusal may take: it must leave time to call Aligo again with the new key. */
export const REREAD_MAX_MS = 2_000;

/** Where the key comes from, for the log line (never the key). */
export function keySource(env: NodeJS.ProcessEnv = process.env): "environment" | "parameter" | "none" {
    return env.ALIGO_API_KEY ? "environment" : env.ALIGO_API_KEY_PARAMETER ? "parameter" : "none";
}

/**
 * The key when it is known without a request (the environment's, or the cached one): the warm path.
 * The cached one is looked at first: there is one only when the environment had no key (apiKey reads
 * the parameter only then, and Lambda's environment does not change under a container), and each
 * read of process.env is a look-up in the process's environment (about 2 µs on the warm path).
 */
export function knownKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
    return cached?.value || env.ALIGO_API_KEY;
}

/** The key to use now; reads the parameter when none is cached. */
export async function apiKey(deadline: number, env: NodeJS.ProcessEnv = process.env): Promise<string> {
    const known = knownKey(env);
    if (known) return known;
    cached = await readParameter(deadline, env);
    return cached.value;
}

/**
 * After Aligo refused the key: reads the parameter again, when the last read is at least a minute
 * old. Returns the new key when it differs from the one refused (the call may be made again with
 * it), or undefined.
 */
export async function refreshedKey(
    refused: string,
    deadline: number,
    env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
    if (env.ALIGO_API_KEY || !env.ALIGO_API_KEY_PARAMETER) return undefined;
    const now = Date.now();
    // At most once a minute, whether the last read succeeded or not: a slow or failing SSM must not
    // cost every refused call its whole deadline.
    if ((cached && now - cached.readAt < KEY_REREAD_MS) || now - lastReread < KEY_REREAD_MS) return undefined;
    lastReread = now;
    cached = await readParameter(Math.min(deadline, now + Math.min(REREAD_MAX_MS, (deadline - now) / 2)), env);
    return cached.value !== refused ? cached.value : undefined;
}

async function readParameter(deadline: number, env: NodeJS.ProcessEnv): Promise<Cached> {
    const name = env.ALIGO_API_KEY_PARAMETER;
    if (!name)
        throw new ResultError({
            code: "CONFIG_ERROR",
            message: "environment variables not set: ALIGO_API_KEY_PARAMETER (or ALIGO_API_KEY)",
        });
    try {
        const answer = await awsJson({
            service: "ssm",
            target: "AmazonSSM.GetParameter",
            body: { Name: name, WithDecryption: true },
            deadline,
            env,
        });
        const value = (answer.Parameter as { Value?: unknown } | undefined)?.Value;
        if (typeof value !== "string" || value === "")
            throw new AwsCallError("EmptyValue", "the parameter has no value");
        return { value, readAt: Date.now() };
    } catch (e) {
        if (!(e instanceof AwsCallError)) throw e;
        // Not an answer of SSM's: the deadline left no time to ask (nothing was sent anywhere).
        if (e.type === "NO_TIME") {
            throw new ResultError(
                { code: "TIMEOUT", message: MESSAGES.noTimeForKey(name), attempts: 0 },
                undefined,
                false,
            );
        }
        // What SSM (or whatever answers at its address) said is quoted: scrubbed of what we know of our secrets.
        const scrub = new Scrubber([
            { value: knownKey(env) ?? "", label: "[key]" },
            { value: env.ALIGO_USER_ID ?? "", label: "[user id]" },
        ]);
        throw new ResultError({
            code: "CONFIG_ERROR",
            message: MESSAGES.keyUnreadable(
                name,
                scrub.text(e.type).slice(0, 100),
                scrub.text(e.message).slice(0, 200),
            ),
        });
    }
}
