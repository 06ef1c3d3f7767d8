// Reads a stack's configuration the way the Pulumi CLI hands it to the program: the defaults
// declared in Pulumi.yaml, overlaid by Pulumi.<stack>.yaml. Used by the tests and the offline tools,
// which run the real program without the CLI. Encrypted values cannot be read here; they are
// reported in `secretKeys` with the value `undefined`.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parseDocument, type Document } from "yaml";

export const ROOT = join(__dirname, "..");

export interface ProjectFile {
    name: string;
    config: Record<
        string,
        { type: string; default?: unknown; description?: string; secret?: boolean; items?: unknown }
    >;
}

/** Parsed YAML documents by their text: the tests read the same two stack files hundreds of times. */
const documents = new Map<string, Document.Parsed>();
const DOCUMENTS_KEPT = 32;

/**
 * The YAML text as `parse` of the yaml package gives it (its first error thrown, its warnings
 * emitted once), from a document parsed once per text: turning a parsed document into values again
 * is about 1/60 of parsing it, and gives the caller values of its own.
 */
function parseYaml(text: string): unknown {
    let doc = documents.get(text);
    if (!doc) {
        if (documents.size >= DOCUMENTS_KEPT) documents.clear();
        doc = parseDocument(text);
        documents.set(text, doc);
        for (const warning of doc.warnings) process.emitWarning(warning);
    }
    if (doc.errors.length > 0) throw doc.errors[0];
    return doc.toJS();
}

export function readProject(root = ROOT): ProjectFile {
    return parseYaml(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;
}

/** Config values are strings to the program: arrays and objects travel as JSON. */
function asConfigString(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

export interface StackConfig {
    /** Fully qualified keys (`aligo-sms:nat`, `aws:region`) to the strings the program would see. */
    values: Record<string, string | undefined>;
    /** Keys whose stack value is encrypted (`secure:`). */
    secretKeys: string[];
}

/** The stack's file: a fully qualified name (org/project/dev) has its file under the short name. */
export function stackFilePath(stack: string, root = ROOT): string {
    return join(root, `Pulumi.${stack.split("/").at(-1) ?? stack}.yaml`);
}

export function loadStackConfig(stack: string, root = ROOT): StackConfig {
    const project = readProject(root);
    const values: Record<string, string | undefined> = {};
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        if (decl.default !== undefined) values[`${project.name}:${key}`] = asConfigString(decl.default);
    }
    const secretKeys: string[] = [];
    const file = stackFilePath(stack, root);
    if (!existsSync(file))
        throw new Error(`no Pulumi.${stack}.yaml in ${root}; known stacks have a Pulumi.<stack>.yaml`);
    const stackFile = (parseYaml(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    for (const [key, value] of Object.entries(stackFile.config ?? {})) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        if (value !== null && typeof value === "object" && "secure" in value) {
            secretKeys.push(full);
            values[full] = undefined;
        } else {
            values[full] = asConfigString(value);
        }
    }
    return { values, secretKeys };
}
