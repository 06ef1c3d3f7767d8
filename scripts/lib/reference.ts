// The component package's reference page, written from the schema Pulumi's TypeScript component host
// infers from components/ (what `pulumi package get-schema` prints): every resource with its inputs
// and outputs, every object type and enum. Pure: schema in, Markdown out. The page keeps a
// hand-written header (adding the package, examples) above GENERATED_MARKER; everything below it is
// this module's. Descriptions come from the doc comments in components/; a default is the text from
// a line that starts with "Default: " to the end of a description (the host keeps a comment's text but
// not its @default tags), or the schema's own `default` when it has one.

/** A property of a resource, an input or an object type, as the package schema writes it. */
export interface SchemaProperty {
    type?: string;
    $ref?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
    plain?: boolean;
    description?: string;
    default?: unknown;
    secret?: boolean;
    deprecationMessage?: string;
}

export interface SchemaResource {
    description?: string;
    isComponent?: boolean;
    inputProperties?: Record<string, SchemaProperty>;
    requiredInputs?: string[];
    properties?: Record<string, SchemaProperty>;
    required?: string[];
}

export interface SchemaEnumValue {
    name?: string;
    value: unknown;
    description?: string;
}

export interface SchemaType {
    type: string;
    description?: string;
    properties?: Record<string, SchemaProperty>;
    required?: string[];
    enum?: SchemaEnumValue[];
}

export interface PackageSchema {
    name: string;
    version?: string;
    description?: string;
    resources?: Record<string, SchemaResource>;
    types?: Record<string, SchemaType>;
}

/** The page's path in the repository. */
export const REFERENCE_PAGE = "docs/components-reference.md";

/** The line between the hand-written header and what this module writes. */
export const GENERATED_MARKER =
    "<!-- Everything below this line is written by `npm run reference` from the schema the package infers. " +
    "Change the doc comments in components/ and run it again; do not edit it here. -->";

/** The header a page gets when it has none yet. */
const DEFAULT_HEADER = (schema: PackageSchema) => `# \`${schema.name}\` component reference\n`;

/** The hand-written part of a page (up to the marker), or undefined when the page has no marker. */
export function pageHeader(page: string): string | undefined {
    const at = page.indexOf(GENERATED_MARKER);
    return at < 0 ? undefined : page.slice(0, at).trimEnd() + "\n";
}

/** The last part of a token (`aligo-sms:index:Nat` → `Nat`). */
const shortName = (token: string) => token.split(":").pop() ?? token;

/** A heading's anchor as GitHub makes it (lower case, spaces to dashes, punctuation dropped). */
const anchor = (heading: string) =>
    heading
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, "")
        .replace(/ /g, "-");

/** A description as one table cell: lines joined, pipes escaped. */
const cell = (text: string) =>
    text
        .replace(/\s*\n\s*/g, " ")
        .replace(/\|/g, "\\|")
        .trim();

/** A description split into its text and its default (the "Default: …" line to the end, or the schema's default). */
export function splitDefault(p: SchemaProperty): { text: string; default?: string } {
    const description = p.description ?? "";
    const m = /(?:^|\n)Default: ([\s\S]+)$/.exec(description);
    const text = (m ? description.slice(0, m.index) : description).trim();
    if (p.default !== undefined) return { text, default: `\`${JSON.stringify(p.default)}\`` };
    return { text, default: m?.[1].trim().replace(/\.$/, "") };
}

/** A property's type as the page writes it: `string`, `string[]`, `map<string, string>`, a link to a type. */
export function typeText(p: SchemaProperty, schema: PackageSchema): string {
    if (p.$ref) {
        const token = p.$ref.replace(/^#\/types\//, "");
        return schema.types?.[token] ? `[${shortName(token)}](#${anchor(shortName(token))})` : `\`${p.$ref}\``;
    }
    /** `inner` wrapped (`string` → `string[]`; a link stays a link, outside the code span). */
    const wrap = (inner: string, before: string, after: string) =>
        inner.startsWith("`") ? `\`${before}${inner.slice(1, -1)}${after}\`` : `${before}${inner}${after}`;
    if (p.type === "array" && p.items) return wrap(typeText(p.items, schema), "", "[]");
    if (p.type === "object" && p.additionalProperties)
        return wrap(typeText(p.additionalProperties, schema), "map<string, ", ">");
    return `\`${p.type ?? "any"}\``;
}

/** One table of properties (inputs, or an object type's properties). */
function propertyTable(
    label: string,
    props: Record<string, SchemaProperty>,
    required: string[],
    schema: PackageSchema,
): string[] {
    const rows = Object.entries(props).map(([name, p]) => {
        const { text, default: given } = splitDefault(p);
        const notes = [
            p.plain ? "plain" : "",
            p.secret ? "secret" : "",
            p.deprecationMessage ? `deprecated: ${p.deprecationMessage}` : "",
        ].filter(Boolean);
        const type = `${typeText(p, schema)}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
        const isRequired = required.includes(name) ? "yes" : "no";
        return `| \`${name}\` | ${type} | ${isRequired} | ${given ? cell(given) : ""} | ${cell(text)} |`;
    });
    return [`| ${label} | type | required | default | description |`, "|---|---|---|---|---|", ...rows];
}

/** The outputs' table: a resource's output properties, and whether each is always set. */
function outputTable(props: Record<string, SchemaProperty>, required: string[], schema: PackageSchema): string[] {
    const rows = Object.entries(props).map(
        ([name, p]) =>
            `| \`${name}\` | ${typeText(p, schema)} | ${required.includes(name) ? "yes" : "no"} | ${cell(p.description ?? "")} |`,
    );
    return ["| output | type | always set | description |", "|---|---|---|---|", ...rows];
}

function resourceSection(token: string, r: SchemaResource, schema: PackageSchema): string[] {
    const inputs = r.inputProperties ?? {};
    const required = r.requiredInputs ?? [];
    const requiredText =
        required.length === 0 ? "none is required" : `required: ${required.map((n) => `\`${n}\``).join(", ")}`;
    return [
        `### ${shortName(token)}`,
        "",
        `\`${token}\`, a ${r.isComponent ? "component" : "custom"} resource.`,
        "",
        ...(r.description ? [r.description.trim(), ""] : []),
        `Inputs (${requiredText}):`,
        "",
        ...propertyTable("input", inputs, required, schema),
        "",
        "Outputs:",
        "",
        ...outputTable(r.properties ?? {}, r.required ?? [], schema),
        "",
    ];
}

function typeSection(token: string, t: SchemaType, schema: PackageSchema): string[] {
    const lead = [`### ${shortName(token)}`, "", ...(t.description ? [t.description.trim(), ""] : [])];
    if (t.enum) {
        const value = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
        const rows = t.enum.map(
            (e) => `| \`${value(e.value)}\` | \`${e.name ?? ""}\` | ${cell(e.description ?? "")} |`,
        );
        return [
            ...lead,
            `\`${token}\`, an enum of ${t.type} values:`,
            "",
            "| value | name | description |",
            "|---|---|---|",
            ...rows,
            "",
        ];
    }
    return [
        ...lead,
        `\`${token}\`, an object:`,
        "",
        ...propertyTable("property", t.properties ?? {}, t.required ?? [], schema),
        "",
    ];
}

/** The generated part of the page. */
export function renderReference(schema: PackageSchema): string {
    const byName = (a: [string, unknown], b: [string, unknown]) => shortName(a[0]).localeCompare(shortName(b[0]));
    const resources = Object.entries(schema.resources ?? {}).sort(byName);
    const types = Object.entries(schema.types ?? {}).sort(byName);
    return [
        "## Package",
        "",
        `\`${schema.name}\`${schema.version ? ` ${schema.version}` : ""}: ${schema.description ?? ""}`.trim(),
        "",
        "In the tables, *plain* marks a value the component needs when the program runs (a literal or a",
        "config value, not another resource's output): it decides which resources exist. Types link to",
        "their section below.",
        "",
        "## Resources",
        "",
        ...resources.flatMap(([token, r]) => resourceSection(token, r, schema)),
        "## Types",
        "",
        ...types.flatMap(([token, t]) => typeSection(token, t, schema)),
    ]
        .join("\n")
        .trimEnd();
}

/** The whole page: the header kept from `current` (or a title for a new page), the marker, the generated part. */
export function referencePage(schema: PackageSchema, current?: string): string {
    const header = (current !== undefined ? pageHeader(current) : undefined) ?? DEFAULT_HEADER(schema);
    return `${header}\n${GENERATED_MARKER}\n\n${renderReference(schema)}\n`;
}
