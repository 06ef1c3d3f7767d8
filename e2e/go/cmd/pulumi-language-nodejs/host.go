package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/protobuf/types/known/emptypb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// exitCodeAlreadyReported is the exit code @pulumi/pulumi's cmd/run uses when it has already shown the user an
// actionable error message (sdk/nodejs/cmd/run/index.ts, nodeJSProcessExitedAfterLoggingUserActionableMessage). The
// host then answers Run with bail=true so that the engine prints nothing more.
const exitCodeAlreadyReported = 32

// host implements pulumirpc.LanguageRuntimeServer. The embedded Unimplemented server answers every RPC that is not
// defined below with codes.Unimplemented.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	tracing string

	mu         sync.Mutex
	engineAddr string // the engine's gRPC address, from the command line or from Handshake

	// cancelled by the Cancel RPC (and by SIGINT): every node process we started is then interrupted.
	cancelCtx context.Context
	cancel    context.CancelFunc
}

func newHost(ctx context.Context, tracing string) *host {
	cctx, cancel := context.WithCancel(ctx)
	return &host{tracing: tracing, cancelCtx: cctx, cancel: cancel}
}

func (h *host) setEngine(addr string) { h.mu.Lock(); h.engineAddr = addr; h.mu.Unlock() }
func (h *host) engine() string        { h.mu.Lock(); defer h.mu.Unlock(); return h.engineAddr }

// Handshake is the first call when the engine attaches to an already running host; it tells us the engine address.
func (h *host) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.setEngine(req.GetEngineAddress())
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancel()
	return &emptypb.Empty{}, nil
}

// RuntimeOptionsPrompts: this host asks nothing extra during `pulumi new`.
func (h *host) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Template: no extra templating for new projects.
func (h *host) Template(context.Context, *pulumirpc.TemplateRequest) (*pulumirpc.TemplateResponse, error) {
	return &pulumirpc.TemplateResponse{}, nil
}

// nodeOptions are the `runtime.options` of Pulumi.yaml / PulumiPlugin.yaml that this host understands
// (documented at https://www.pulumi.com/docs/iac/concepts/projects/project-file/#runtime-options).
type nodeOptions struct {
	typescript     bool     // run .ts sources through ts-node (default true)
	tsconfig       string   // path of the tsconfig.json to use
	nodeargs       []string // extra arguments for node itself
	packagemanager string   // npm, yarn, pnpm, bun or auto (default)
}

func parseOptions(info *pulumirpc.ProgramInfo) (nodeOptions, error) {
	opts := nodeOptions{typescript: true, packagemanager: "auto"}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"]; ok {
		b, ok := v.(bool)
		if !ok {
			return opts, errors.New("the runtime option typescript must be a boolean")
		}
		opts.typescript = b
	}
	for key, dst := range map[string]*string{"tsconfig": &opts.tsconfig, "packagemanager": &opts.packagemanager} {
		if v, ok := m[key]; ok {
			s, ok := v.(string)
			if !ok {
				return opts, fmt.Errorf("the runtime option %s must be a string", key)
			}
			*dst = s
		}
	}
	if v, ok := m["nodeargs"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("the runtime option nodeargs must be a string")
		}
		opts.nodeargs = strings.Fields(s) // simple whitespace split; quoting is not supported
	}
	return opts, nil
}

// typescriptEnv is the environment @pulumi/pulumi's cmd/run and cmd/run-plugin read to decide whether to register
// ts-node and which tsconfig to use (sdk/nodejs/cmd/run/run.ts).
func (o nodeOptions) typescriptEnv() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// resolveModule asks node, started in dir, where require() would find module (for example
// "@pulumi/pulumi/cmd/run"), so that npm workspaces, hoisting and pnpm layouts behave as in node itself.
func resolveModule(ctx context.Context, nodeBin, dir, module string) (string, error) {
	const script = `try { process.stdout.write(require.resolve(process.argv[1])); } ` +
		`catch (e) { process.stderr.write(e.message); process.exit(1); }`
	cmd := exec.CommandContext(ctx, nodeBin, "-e", script, module)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not find %s from %s (have the dependencies been installed, e.g. with "+
			"`pulumi install` or `npm install`?): %s", module, dir, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// writerOnly hides the *os.File behind an io.Writer, so that exec.Cmd copies the child's output through a pipe of
// its own instead of handing our file descriptor to node (node may switch a shared descriptor to non-blocking mode,
// after which our own writes to it can fail with EAGAIN).
type writerOnly struct{ io.Writer }

// Run executes a Pulumi program: `node <@pulumi/pulumi/cmd/run> --monitor … <entry point> <args>`.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	if info == nil {
		return nil, errors.New("RunRequest without program info")
	}
	opts, err := parseOptions(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on $PATH: " + err.Error()}, nil
	}
	runScript, err := resolveModule(ctx, nodeBin, info.GetProgramDirectory(), "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	// Command line understood by cmd/run (its usage text lists these flags). The program talks to the engine's
	// resource monitor directly.
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runScript)
	flagIf := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagIf("monitor", req.GetMonitorAddress())
	flagIf("engine", h.engine())
	flagIf("organization", req.GetOrganization())
	flagIf("project", req.GetProject())
	flagIf("root-directory", info.GetRootDirectory())
	flagIf("stack", req.GetStack())
	flagIf("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagIf("parallel", strconv.Itoa(int(req.GetParallel())))
	flagIf("tracing", h.tracing)
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	// Configuration goes through the environment: PULUMI_CONFIG is a JSON object of "<namespace>:<key>" → value and
	// PULUMI_CONFIG_SECRET_KEYS a JSON array of the keys whose values are secret (sdk/nodejs/runtime/config.ts).
	config, err := json.Marshal(nonNilMap(req.GetConfig()))
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(nonNilSlice(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	env = append(env, opts.typescriptEnv()...)

	// Stop node when the engine cancels this request or sends Cancel: first SIGINT, then SIGKILL after 5 s.
	cmdCtx, cmdCancel := context.WithCancel(h.cancelCtx)
	defer cmdCancel()
	stopOnDone := context.AfterFunc(ctx, cmdCancel)
	defer stopOnDone()
	cmd := exec.CommandContext(cmdCtx, nodeBin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = env
	// The engine shows our stdout and stderr to the user, so the program's output is passed straight through.
	cmd.Stdout = writerOnly{os.Stdout}
	cmd.Stderr = writerOnly{os.Stderr}

	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{Error: "Program exited with non-zero exit code: " +
			strconv.Itoa(exitErr.ExitCode())}, nil
	default:
		return &pulumirpc.RunResponse{Error: "could not run node: " + err.Error()}, nil
	}
}

// streamSender turns writes into messages of a server stream. gRPC forbids concurrent Send calls on one stream, and
// exec.Cmd copies stdout and stderr in two goroutines, hence the mutex.
type streamSender struct {
	mu   *sync.Mutex
	send func([]byte) error
}

func (s streamSender) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The message may be held by gRPC after Send returns, so send a copy of the caller's buffer.
	if err := s.send(append([]byte(nil), p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// RunPlugin starts a plugin written in Node.js, e.g. a component provider from a folder with PulumiPlugin.yaml, or a
// policy pack (PulumiPolicy.yaml):
// `node <@pulumi/pulumi/cmd/run-plugin> <plugin folder> <args>`, with the environment the engine sends, in the
// engine's working directory. Its stdout (where the provider prints its port) and stderr are streamed back, and the
// exit code is the last message (proto/pulumi/language.proto, RunPluginResponse).
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, srv pulumirpc.LanguageRuntime_RunPluginServer) error {
	info := req.GetInfo()
	opts, err := parseOptions(info)
	if err != nil {
		return err
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on $PATH: %w", err)
	}
	ctx := srv.Context() // cancelled when the engine is done with the plugin
	// A policy pack (kind "analyzer") runs through @pulumi/pulumi's cmd/run-policy-pack, whose usage is
	// `RUN <engine-address> <program>` (sdk/nodejs/cmd/run-policy-pack/index.ts); the engine sends its
	// address as the plugin's arguments. Any other plugin runs through cmd/run-plugin, folder first.
	script, args := "@pulumi/pulumi/cmd/run-plugin", append([]string{}, opts.nodeargs...)
	if req.GetKind() == "analyzer" {
		script = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	runScript, err := resolveModule(ctx, nodeBin, info.GetProgramDirectory(), script)
	if err != nil {
		return err
	}
	if req.GetKind() == "analyzer" {
		args = append(args, runScript)
		args = append(args, req.GetArgs()...)
		args = append(args, info.GetProgramDirectory())
	} else {
		args = append(args, runScript, info.GetProgramDirectory())
		args = append(args, req.GetArgs()...)
	}

	env := req.GetEnv() // the engine sends its whole environment plus plugin-specific variables
	if len(env) == 0 {
		env = os.Environ()
	}
	env = append(env, opts.typescriptEnv()...)

	var mu sync.Mutex
	stdout := streamSender{&mu, func(b []byte) error {
		return srv.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	stderr := streamSender{&mu, func(b []byte) error {
		return srv.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}

	cmd := exec.CommandContext(ctx, nodeBin, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	var exitErr *exec.ExitError
	code := 0
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal())
		}
	default:
		return fmt.Errorf("could not run plugin %s with node: %w", req.GetName(), err)
	}
	mu.Lock()
	defer mu.Unlock()
	//nolint:gosec // exit codes fit in int32
	return srv.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}

// InstallDependencies runs `<package manager> install` in the program (or plugin) folder, with the package manager
// chosen by the `packagemanager` runtime option or, for "auto", by the lock file present. It runs even when
// node_modules exists: after Link has added an SDK to package.json the engine calls this to install it, and on an
// up-to-date tree npm only reports "up to date".
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	srv pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	var mu sync.Mutex
	stdout := streamSender{&mu, func(b []byte) error {
		return srv.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	stderr := streamSender{&mu, func(b []byte) error {
		return srv.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}

	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory() //nolint:staticcheck // older engines only send the deprecated field
	}
	opts, err := parseOptions(req.GetInfo())
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err != nil {
		fmt.Fprintf(stdout, "No package.json in %s: nothing to install.\n", dir)
		return nil
	}
	pm := choosePackageManager(opts.packagemanager, dir)
	bin, err := exec.LookPath(pm)
	if err != nil {
		return fmt.Errorf("could not find the package manager %s on $PATH: %w", pm, err)
	}
	fmt.Fprintf(stdout, "Installing dependencies with `%s install` in %s...\n", pm, dir)
	cmd := exec.CommandContext(srv.Context(), bin, "install")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("`%s install` failed: %w", pm, err)
	}
	fmt.Fprintln(stdout, "Finished installing dependencies.")
	return nil
}

// choosePackageManager returns the package manager to use: the explicit option, or for "auto" the one whose lock
// file is in dir (npm when there is none).
func choosePackageManager(option, dir string) string {
	if option != "" && option != "auto" {
		return option
	}
	for _, c := range []struct{ lock, pm string }{
		{"yarn.lock", "yarn"}, {"pnpm-lock.yaml", "pnpm"}, {"bun.lock", "bun"}, {"bun.lockb", "bun"},
	} {
		if _, err := os.Stat(filepath.Join(dir, c.lock)); err == nil {
			return c.pm
		}
	}
	return "npm"
}

// About reports the node executable, its version and the package manager (shown by `pulumi about`).
func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	opts, err := parseOptions(req.GetInfo())
	if err != nil {
		return nil, err
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on $PATH: %w", err)
	}
	resp := &pulumirpc.AboutResponse{
		Executable: nodeBin,
		Metadata: map[string]string{
			"packagemanager": choosePackageManager(opts.packagemanager, req.GetInfo().GetProgramDirectory()),
		},
	}
	if out, err := exec.CommandContext(ctx, nodeBin, "--version").Output(); err == nil {
		resp.Version = strings.TrimSpace(string(out))
	}
	return resp, nil
}

// GetRequiredPackages lists the Pulumi resource packages whose npm packages are installed under the program's
// node_modules (see packages.go).
func (h *host) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	pkgs := findPulumiPackages(req.GetInfo().GetProgramDirectory())
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

// GetRequiredPlugins is the deprecated form of GetRequiredPackages, kept for older engines.
func (h *host) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	var plugins []*pulumirpc.PluginDependency
	for _, p := range findPulumiPackages(req.GetInfo().GetProgramDirectory()) {
		if p.GetParameterization() != nil {
			continue // a parameterized package cannot be expressed as a plain plugin
		}
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: p.GetName(), Kind: p.GetKind(), Version: p.GetVersion(), Server: p.GetServer(),
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// GetProgramDependencies lists the program's npm dependencies and their installed versions (see packages.go).
func (h *host) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	deps, err := listDependencies(req.GetInfo().GetProgramDirectory(), req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
