// Whether the components run hosted in the package's own provider process (components/plugin.ts,
// the process `pulumi package add` starts for a program in any language) or inside a TypeScript
// program that imports the package. Only the NAT instance's readiness gate cares: hosted, it is a
// resource of the package's own provider (`aligo-sms:index:NatReadiness`), which needs nothing in
// the consumer's folder; imported, it stays a dynamic resource of the program, as it always was.

/** The package's name: its provider's, and the first part of its type tokens. */
export const PACKAGE_NAME = "aligo-sms";

let hosted = false;

/** Says the components run in the package's own provider process (plugin.ts; tests switch it back off). */
export function markHosted(on = true): void {
    hosted = on;
}

/** Whether the components run in the package's own provider process. */
export function isHosted(): boolean {
    return hosted;
}
