// The package's plugin: what Pulumi runs when a program (in any language) uses the package it added
// with `pulumi package add`. Pulumi's Node.js plugin runner requires this folder, which loads
// package.json "main", this file; had it exported the components, the runner would have served them
// with Pulumi's plain component host; it exports the serving instead, which the runner awaits
// (@pulumi/pulumi 3.248.0 cmd/run-plugin/run.js: `require(program)`, then `getPulumiComponents` of
// what it exports → `componentProviderHost`, or else `await` of it; read 2026-12-07). The provider
// served (components/provider.ts) is that same component host for the schema and the components,
// plus the NAT instance's readiness gate as a resource of this provider, so the gate runs here, with
// this package's dependencies, and nothing has to be installed in the program's folder.
//
// TypeScript programs import the package's entry, index.ts, never this file: package.json's
// exports field names index.ts for an import by package name (Node reads it for a bare package
// name; a require of the folder's path, as the runner does, reads "main"), and Pulumi's schema
// inference begins at that exports field as well, so the schema is inferred from index.ts as
// before (@pulumi/pulumi 3.248.0 provider/experimental/analyzer.js findProgramEntryPoint: the
// exports field's ".", else "main", else index.ts; read 2026-12-07).
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { PACKAGE_NAME, markHosted } from "./hosted-mode";
import * as pkg from "./index";
import { PackageProvider } from "./provider";

markHosted();

const components = new ComponentProvider({
    name: PACKAGE_NAME,
    dirname: __dirname,
    components: getPulumiComponents(pkg),
});

// Serves on a free port of 127.0.0.1 and prints it, which is how the engine finds the provider.
export = pulumi.provider.main(new PackageProvider(components), process.argv.slice(2));
