// npm run -s list -- [--stack dev] [--days N] [--page N] [--mid ID] [--outputs-file FILE]
// Aligo's recent messages, or the receivers of one, through the deployed SMS function: what to check
// before sending again after a send that "may have been sent".
import { maskPhones } from "../functions/shared/echo";
import { runCli, type CommandSpec } from "./lib/args";
import type { OpsContext } from "./lib/diagnose";
import { explainFailure } from "./lib/explain";
import { clientFor, invoke, loadOutputs, OpsError, OUTPUTS_FILE_OPTION } from "./lib/ops";

const spec: CommandSpec = {
    name: "list",
    summary:
        "Aligo's recent messages (its /list/ call, through the deployed SMS function): when each was registered, its id, type, " +
        "how many receivers and how many failed, and the start of its text; phone numbers masked. With --mid, the receivers of one " +
        "message and the state of each. Check here before sending again after a send that may have gone out.",
    stack: true,
    options: {
        days: {
            type: "string",
            value: "N",
            number: { min: 1, integer: true },
            help: "only the last N days (Aligo's limit_day; Aligo's default when not given)",
        },
        page: {
            type: "string",
            value: "N",
            number: { min: 1, integer: true },
            help: "the page of results (30 a page)",
        },
        mid: {
            type: "string",
            value: "ID",
            help: "one message's receivers and their states (the id the list and a send print)",
        },
        "outputs-file": OUTPUTS_FILE_OPTION,
    },
    examples: [
        "npm run -s list -- --stack dev",
        "npm run -s list -- --stack prod --days 1",
        "npm run -s list -- --stack prod --mid 583009869",
    ],
};

/** At most this many characters of a message's text. */
const TEXT_CHARS = 40;
const clip = (text: string) => {
    const masked = maskPhones(String(text ?? "")).replace(/\s+/g, " ");
    return masked.length <= TEXT_CHARS ? masked : `${masked.slice(0, TEXT_CHARS)}…`;
};
/** A number as it may be shown: masked wherever it sits. */
const phone = (n: unknown) => maskPhones(String(n ?? ""));

runCli(
    spec,
    async ({ values, stackRef }) => {
        const ctx: OpsContext = {
            script: "list",
            stack: stackRef!,
            outputsFile: values["outputs-file"] as string | undefined,
        };
        const outputs = await loadOutputs(ctx.stack, ctx.outputsFile);
        if (!outputs.smsFunctionName)
            throw new OpsError(`the stack has no smsFunctionName output; run \`pulumi up --stack ${ctx.stack}\` first`);
        const page = values.page as number | undefined;
        const mid = values.mid as string | undefined;
        const event =
            mid !== undefined
                ? { action: "detail", mid, ...(page ? { page } : {}) }
                : { action: "list", ...(page ? { page } : {}), ...(values.days ? { limitDay: values.days } : {}) };
        const inv = await invoke(clientFor(outputs, ctx), outputs.smsFunctionName, event);
        if (!(inv.kind === "result" && inv.result.ok)) {
            process.stdout.write(explainFailure(inv, outputs, ctx));
            process.exitCode = 1;
            return;
        }
        const rows: Record<string, any>[] = Array.isArray(inv.result.list) ? inv.result.list : [];
        const more = inv.result.next_yn === "Y";
        const again = (extra: string) =>
            `npm run -s list -- --stack ${ctx.stack}${ctx.outputsFile ? ` --outputs-file ${ctx.outputsFile}` : ""}${extra}`;
        const out: string[] = [];
        if (mid !== undefined) {
            out.push(
                rows.length
                    ? `Receivers of message ${mid}${page ? ` (page ${page})` : ""}:`
                    : `Aligo lists no receivers for message ${mid}${page ? ` on page ${page}` : ""}.`,
            );
            for (const r of rows) {
                out.push(
                    `  ${phone(r.receiver)}  ${r.sms_state || "(no state yet)"}  ${r.type ?? ""}  registered ${r.reg_date || "-"}, sent ${r.send_date || "-"}${r.reserve_date ? `, reserved for ${r.reserve_date}` : ""}`,
                );
            }
            if (more) out.push(`More: \`${again(` --mid ${mid} --page ${(page ?? 1) + 1}`)}\``);
        } else {
            const days = values.days ? `, the last ${values.days} day(s)` : "";
            out.push(
                rows.length
                    ? `Aligo's recent messages (newest first${days}${page ? `, page ${page}` : ""}):`
                    : `Aligo lists no messages${days}${page ? ` on page ${page}` : ""}.`,
            );
            for (const m of rows) {
                const reserved =
                    m.reserve_state || m.reserve
                        ? `, reserved ${[m.reserve_state, m.reserve].filter(Boolean).join(" ")}`
                        : "";
                out.push(
                    `  ${m.reg_date || "-"}  mid ${m.mid}  ${m.type ?? ""}  ${m.sms_count ?? "?"} receiver(s), ${m.fail_count ?? "?"} failed${reserved}  from ${phone(m.sender)}  "${clip(m.msg)}"`,
                );
            }
            if (rows.length) out.push(`The receivers of one: \`${again(` --mid ${rows[0].mid}`)}\``);
            if (more)
                out.push(
                    `More: \`${again(`${values.days ? ` --days ${values.days}` : ""} --page ${(page ?? 1) + 1}`)}\``,
                );
        }
        process.stdout.write(`${out.join("\n")}\n`);
    },
    [OpsError],
);
