// Where the real-engine run keeps what it builds and installs (the cache, git-ignored) and what it
// runs on (a temporary folder per run).
import { join } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..");
export const E2E_DIR = join(REPO_ROOT, "e2e");

/** The cache: Go modules and build cache, the built binaries, the emulator's virtual environment. */
export const CACHE = process.env.E2E_CACHE ?? join(REPO_ROOT, ".e2e-cache");

export const BIN = join(CACHE, "bin");
export const GO_MOD_CACHE = process.env.GOMODCACHE ?? join(CACHE, "go", "mod");
export const GO_BUILD_CACHE = process.env.GOCACHE ?? join(CACHE, "go", "build");
export const MOTO_VENV = join(CACHE, "moto-venv");
/** terraform-provider-aws extracted from the Go module cache, with this repository's shim added. */
export const UPSTREAM = join(CACHE, "upstream");
/** The policy pack's node_modules, installed once per lock file. */
export const POLICY_MODULES = join(CACHE, "policy-node_modules");
/** The component package's node_modules, installed once per lock file. */
export const COMPONENT_MODULES = join(CACHE, "components-node_modules");

/** The Pulumi release the CLI is built at (the version of @pulumi/pulumi in package-lock.json). */
export const PULUMI_VERSION = "v3.248.0";
/** The provider version the engine loads: @pulumi/aws's in package-lock.json. */
export const AWS_PROVIDER_VERSION = "7.48.0";
/** moto server, pinned (PyPI moto[server]). */
export const MOTO_VERSION = "5.2.6";
