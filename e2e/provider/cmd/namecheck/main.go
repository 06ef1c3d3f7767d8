// Command namecheck compares the Pulumi package schema served by the stand-in
// provider with the TypeScript declarations of the @pulumi/aws npm package
// the program is written against, for every resource and function token in
// the schema and for the provider configuration.
//
// For each token it compares property names (inputs, outputs, state for
// resources; arguments and results for functions), whether an input is
// required, and the shape of each property (string, number, boolean, array,
// map, object, archive), then descends into the object types the properties
// refer to (every level, not only the first) and does the same there.
//
// Usage:
//
//	pulumi package get-schema <cache>/bin/pulumi-resource-aws > schema.json
//	go run ./cmd/namecheck -schema schema.json -sdk <repository>/node_modules/@pulumi/aws -allow cmd/namecheck/allow.txt
//
// (in e2e/provider). The schema is what the provider's GetSchema returns. Each mismatch is printed on one line; lines
// matching an entry of the allow file (one "token<TAB>substring" a line, #
// comments) are printed as "allowed" instead. Exit status 1 if any
// mismatch is not allowed.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// ---------------------------------------------------------------------------
// TypeScript declarations

type tsField struct {
	Name     string
	Optional bool   // "name?:" (inputs) or "| undefined" (outputs)
	Type     string // raw TypeScript type text
}

// tsFile holds every interface and class body of one .d.ts file, keyed by
// "<namespace>.<Name>" ("" namespace for top-level declarations).
type tsFile map[string][]tsField

var (
	reNamespace = regexp.MustCompile(`^export declare namespace (\w+) \{$`)
	reBlock     = regexp.MustCompile(`^(\s*)(?:export )?(?:declare )?(interface|class) (\w+)\b.*\{$`)
	reField     = regexp.MustCompile(`^(\s*)(readonly )?(\w+)(\?)?: (.*)$`)
)

var tsCache = map[string]tsFile{}

func parseTS(path string) (tsFile, error) {
	if f, ok := tsCache[path]; ok {
		return f, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(data), "\n")
	out := tsFile{}
	ns := ""
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if m := reNamespace.FindStringSubmatch(line); m != nil {
			ns = m[1]
			continue
		}
		if line == "}" {
			ns = ""
			continue
		}
		m := reBlock.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		indent, kind, name := m[1], m[2], m[3]
		fieldIndent := indent + "    "
		key := ns + "." + name
		var fields []tsField
		for i++; i < len(lines) && lines[i] != indent+"}"; i++ {
			fm := reField.FindStringSubmatch(lines[i])
			if fm == nil || fm[1] != fieldIndent {
				continue
			}
			if kind == "class" && fm[2] == "" {
				continue // only the class's readonly output properties
			}
			typ := fm[5]
			// Multi-line types ({ [key: string]: string; }) run until the
			// braces balance and the line ends with ';'.
			for !balanced(typ) && i+1 < len(lines) {
				i++
				typ += " " + strings.TrimSpace(lines[i])
			}
			typ = strings.TrimSuffix(strings.TrimSpace(typ), ";")
			opt := fm[4] == "?" || (kind == "class" && strings.Contains(typ, "| undefined"))
			if kind == "interface" && fm[2] == "readonly" { // function results
				opt = fm[4] == "?"
			}
			fields = append(fields, tsField{Name: fm[3], Optional: opt, Type: typ})
		}
		out[key] = fields
	}
	tsCache[path] = out
	return out, nil
}

func balanced(s string) bool {
	d := 0
	for _, c := range s {
		switch c {
		case '{', '<', '(', '[':
			d++
		case '}', '>', ')', ']':
			d--
		}
	}
	return d == 0 && strings.HasSuffix(strings.TrimSpace(s), ";")
}

// splitTop splits s on sep at bracket depth 0.
func splitTop(s, sep string) []string {
	var parts []string
	d, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{', '<', '(', '[':
			d++
		case '}', '>', ')', ']':
			d--
		}
		if d == 0 && strings.HasPrefix(s[i:], sep) {
			parts = append(parts, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(parts, s[start:])
}

// shape is a normalised type: "string", "number", "boolean", "any",
// "archive", "asset", "array<..>", "map<..>", or "object" with Ref set.
type shape struct {
	Kind string
	Elem *shape
	Ref  string // object: "inputs.lambda.FunctionVpcConfig" or a schema type token
}

func (s shape) String() string {
	switch s.Kind {
	case "array", "map":
		return s.Kind + "<" + s.Elem.String() + ">"
	case "object":
		return "object"
	}
	return s.Kind
}

var reRef = regexp.MustCompile(`^(inputs|outputs)\.(?:(\w+)\.)?(\w+)$`)

func tsShape(t string) shape {
	t = strings.TrimSpace(t)
	for _, w := range []string{"pulumi.Input<", "pulumi.Output<"} {
		if strings.HasPrefix(t, w) && strings.HasSuffix(t, ">") {
			return tsShape(t[len(w) : len(t)-1])
		}
	}
	var alts []string
	for _, a := range splitTop(t, " | ") {
		a = strings.TrimSpace(a)
		if a != "undefined" {
			alts = append(alts, a)
		}
	}
	if len(alts) > 1 {
		// string | enums.x.Y, string | PolicyDocument, ...: the wire type is
		// the first alternative's (the enum/document forms serialise to it).
		return tsShape(alts[0])
	}
	t = alts[0]
	switch {
	case strings.HasSuffix(t, "[]"):
		e := tsShape(t[:len(t)-2])
		return shape{Kind: "array", Elem: &e}
	case strings.HasPrefix(t, "{") && strings.Contains(t, "[key: string]:"):
		v := t[strings.Index(t, "[key: string]:")+len("[key: string]:"):]
		v = strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "}")), ";")
		e := tsShape(v)
		return shape{Kind: "map", Elem: &e}
	case t == "string" || t == "number" || t == "boolean" || t == "any":
		return shape{Kind: t}
	case strings.HasPrefix(t, "enums."):
		return shape{Kind: "string"}
	case t == "pulumi.asset.Archive":
		return shape{Kind: "archive"}
	case t == "pulumi.asset.Asset" || t == "pulumi.asset.Asset | pulumi.asset.Archive":
		return shape{Kind: "asset"}
	case reRef.MatchString(t):
		return shape{Kind: "object", Ref: t}
	}
	return shape{Kind: "?" + t}
}

// ---------------------------------------------------------------------------
// Pulumi package schema (the parts used here)

type propSpec struct {
	Type                 string     `json:"type"`
	Ref                  string     `json:"$ref"`
	Items                *propSpec  `json:"items"`
	AdditionalProperties *propSpec  `json:"additionalProperties"`
	OneOf                []propSpec `json:"oneOf"`
}

type objSpec struct {
	Properties map[string]propSpec `json:"properties"`
	Required   []string            `json:"required"`
}

type resSpec struct {
	Properties      map[string]propSpec `json:"properties"`
	Required        []string            `json:"required"`
	InputProperties map[string]propSpec `json:"inputProperties"`
	RequiredInputs  []string            `json:"requiredInputs"`
	StateInputs     *objSpec            `json:"stateInputs"`
}

type funcSpec struct {
	Inputs  *objSpec `json:"inputs"`
	Outputs *objSpec `json:"outputs"`
}

type pkgSpec struct {
	Config struct {
		Variables map[string]propSpec `json:"variables"`
	} `json:"config"`
	Provider  resSpec             `json:"provider"`
	Resources map[string]resSpec  `json:"resources"`
	Functions map[string]funcSpec `json:"functions"`
	Types     map[string]objSpec  `json:"types"`
}

func schemaShape(p propSpec) shape {
	if len(p.OneOf) > 0 {
		return schemaShape(p.OneOf[0])
	}
	switch p.Ref {
	case "":
	case "pulumi.json#/Archive":
		return shape{Kind: "archive"}
	case "pulumi.json#/Asset":
		return shape{Kind: "asset"}
	case "pulumi.json#/Any", "pulumi.json#/Json":
		return shape{Kind: "any"}
	default:
		if strings.HasPrefix(p.Ref, "#/types/") {
			return shape{Kind: "object", Ref: strings.TrimPrefix(p.Ref, "#/types/")}
		}
		return shape{Kind: "?" + p.Ref}
	}
	switch p.Type {
	case "integer", "number":
		return shape{Kind: "number"}
	case "array":
		e := schemaShape(*p.Items)
		return shape{Kind: "array", Elem: &e}
	case "object":
		e := shape{Kind: "any"}
		if p.AdditionalProperties != nil {
			e = schemaShape(*p.AdditionalProperties)
		}
		return shape{Kind: "map", Elem: &e}
	}
	return shape{Kind: p.Type}
}

// ---------------------------------------------------------------------------
// Comparison

type checker struct {
	nprops int // SDK properties compared
	nobjs  int // object types compared
	sdk    string
	spec   *pkgSpec
	out    []string
	seen   map[string]bool
	inputs tsFile
	outs   tsFile
}

func (c *checker) report(tok, format string, args ...any) {
	c.out = append(c.out, tok+"\t"+fmt.Sprintf(format, args...))
}

// side is "input" (SDK optional-but-schema-required matters) or "output".
func (c *checker) compare(tok, where, side string, sdk []tsField, props map[string]propSpec, required []string) {
	req := map[string]bool{}
	for _, r := range required {
		req[r] = true
	}
	have := map[string]bool{}
	for _, f := range sdk {
		c.nprops++
		have[f.Name] = true
		p, ok := props[f.Name]
		if !ok {
			c.report(tok, "%s: SDK property %q (%s) missing from provider schema", where, f.Name, tsShape(f.Type))
			continue
		}
		ss, ps := tsShape(f.Type), schemaShape(p)
		c.compareShapes(tok, where+"."+f.Name, side, ss, ps)
		if side == "input" && f.Optional && req[f.Name] {
			c.report(tok, "%s: %q is optional in the SDK but required by the provider", where, f.Name)
		}
		if side == "input" && !f.Optional && !req[f.Name] {
			c.report(tok, "%s: %q is required in the SDK but optional in the provider (minor)", where, f.Name)
		}
	}
	var extra []string
	for name := range props {
		if !have[name] && name != "id" && name != "urn" {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		c.report(tok, "%s: provider property %q (%s) not in the SDK", where, name, schemaShape(props[name]))
	}
}

func (c *checker) compareShapes(tok, where, side string, s, p shape) {
	if s.Kind != p.Kind {
		c.report(tok, "%s: shape differs: SDK %s, provider %s", where, s, p)
		return
	}
	switch s.Kind {
	case "array", "map":
		c.compareShapes(tok, where+"[]", side, *s.Elem, *p.Elem)
	case "object":
		c.compareObject(tok, where, side, s.Ref, p.Ref)
	}
}

func (c *checker) compareObject(tok, where, side, sdkRef, schemaTok string) {
	key := sdkRef + "|" + schemaTok
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.nobjs++
	m := reRef.FindStringSubmatch(sdkRef)
	file := c.inputs
	if m[1] == "outputs" {
		file = c.outs
	}
	fields, ok := file[m[2]+"."+m[3]]
	if !ok {
		c.report(tok, "%s: SDK type %s not found", where, sdkRef)
		return
	}
	t, ok := c.spec.Types[schemaTok]
	if !ok {
		c.report(tok, "%s: schema type %s not found", where, schemaTok)
		return
	}
	c.compare(tok, where+"{"+m[3]+"}", side, fields, t.Properties, t.Required)
}

// sdkPath returns the .d.ts path of a token aws:<mod>/<file>:<Name>.
func (c *checker) sdkPath(tok string) (string, string) {
	parts := strings.Split(tok, ":")
	mf := strings.SplitN(parts[1], "/", 2)
	if mf[0] == "index" {
		return filepath.Join(c.sdk, mf[1]+".d.ts"), parts[2]
	}
	return filepath.Join(c.sdk, mf[0], mf[1]+".d.ts"), parts[2]
}

func (c *checker) resource(tok string, r resSpec) {
	path, name := c.sdkPath(tok)
	f, err := parseTS(path)
	if err != nil {
		c.report(tok, "no SDK declaration: %v", err)
		return
	}
	args, okA := f["."+name+"Args"]
	state, okS := f["."+name+"State"]
	class, okC := f["."+name]
	if !okA || !okS || !okC {
		c.report(tok, "SDK file %s lacks %sArgs/%sState/class %s", path, name, name, name)
		return
	}
	c.compare(tok, "input", "input", args, r.InputProperties, r.RequiredInputs)
	c.compare(tok, "output", "output", class, r.Properties, nil)
	if r.StateInputs != nil {
		c.compare(tok, "state", "output", state, r.StateInputs.Properties, nil)
	}
}

func (c *checker) function(tok string, fn funcSpec) {
	path, name := c.sdkPath(tok)
	f, err := parseTS(path)
	if err != nil {
		c.report(tok, "no SDK declaration: %v", err)
		return
	}
	cap := strings.ToUpper(name[:1]) + name[1:]
	args, okA := f["."+cap+"Args"]
	res, okR := f["."+cap+"Result"]
	if !okR {
		c.report(tok, "SDK file %s lacks %sResult", path, cap)
		return
	}
	in := &objSpec{}
	if fn.Inputs != nil {
		in = fn.Inputs
	}
	if okA || len(in.Properties) > 0 {
		c.compare(tok, "args", "input", args, in.Properties, in.Required)
	}
	c.compare(tok, "result", "output", res, fn.Outputs.Properties, nil)
}

func (c *checker) config() {
	const tok = "config"
	vars, err := parseTS(filepath.Join(c.sdk, "config", "vars.d.ts"))
	if err != nil {
		c.report(tok, "%v", err)
		return
	}
	_ = vars
	// config/vars.d.ts declares "export declare const x: T;" lines, not an
	// interface: read them directly.
	data, _ := os.ReadFile(filepath.Join(c.sdk, "config", "vars.d.ts"))
	re := regexp.MustCompile(`(?m)^export declare const (\w+): (.*);$`)
	var fields []tsField
	for _, m := range re.FindAllStringSubmatch(string(data), -1) {
		fields = append(fields, tsField{Name: m[1], Optional: true, Type: m[2]})
	}
	c.compare(tok, "config", "output", fields, c.spec.Config.Variables, nil)

	f, err := parseTS(filepath.Join(c.sdk, "provider.d.ts"))
	if err != nil {
		c.report(tok, "%v", err)
		return
	}
	c.compare("provider", "input", "input", f[".ProviderArgs"], c.spec.Provider.InputProperties, c.spec.Provider.RequiredInputs)
	// The Node.js code generator declares only the string-typed outputs on a
	// provider class (the others are JSON-encoded inputs there), so only the
	// schema's string outputs are compared.
	strOuts := map[string]propSpec{}
	for k, p := range c.spec.Provider.Properties {
		if schemaShape(p).Kind == "string" {
			strOuts[k] = p
		}
	}
	c.compare("provider", "output", "output", f[".Provider"], strOuts, nil)
}

func main() {
	schemaPath := flag.String("schema", "schema.json", "provider schema (GetSchema output)")
	sdk := flag.String("sdk", "../../node_modules/@pulumi/aws", "@pulumi/aws package directory")
	allowPath := flag.String("allow", "", "file of accepted mismatches: token<TAB>substring per line")
	flag.Parse()

	data, err := os.ReadFile(*schemaPath)
	if err != nil {
		fatal(err)
	}
	var spec pkgSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		fatal(err)
	}
	c := &checker{sdk: *sdk, spec: &spec, seen: map[string]bool{}}
	if c.inputs, err = parseTS(filepath.Join(*sdk, "types", "input.d.ts")); err != nil {
		fatal(err)
	}
	if c.outs, err = parseTS(filepath.Join(*sdk, "types", "output.d.ts")); err != nil {
		fatal(err)
	}

	var toks []string
	for t := range spec.Resources {
		toks = append(toks, t)
	}
	sort.Strings(toks)
	for _, t := range toks {
		c.resource(t, spec.Resources[t])
	}
	nres := len(toks)
	toks = toks[:0]
	for t := range spec.Functions {
		if strings.HasPrefix(t, "pulumi:providers:") {
			continue // the provider's own terraformConfig method
		}
		toks = append(toks, t)
	}
	sort.Strings(toks)
	for _, t := range toks {
		c.function(t, spec.Functions[t])
	}
	c.config()

	allow := readAllow(*allowPath)
	bad, allowed := 0, 0
	for _, line := range c.out {
		if a := allow.match(line); a != "" {
			allowed++
			fmt.Println("allowed   ", line, "   # "+a)
			continue
		}
		bad++
		fmt.Println("MISMATCH  ", line)
	}
	fmt.Printf("namecheck: %d resources, %d functions, config: %d SDK properties and %d object types compared; %d mismatches, %d allowed\n",
		nres, len(toks), c.nprops, c.nobjs, bad, allowed)
	if bad > 0 {
		os.Exit(1)
	}
}

type allowList []struct{ tok, sub, why string }

func readAllow(path string) allowList {
	var a allowList
	if path == "" {
		return a
	}
	f, err := os.Open(path)
	if err != nil {
		fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) < 2 {
			fatal(fmt.Errorf("allow file: bad line %q", line))
		}
		why := ""
		if len(parts) == 3 {
			why = parts[2]
		}
		a = append(a, struct{ tok, sub, why string }{parts[0], parts[1], why})
	}
	return a
}

func (a allowList) match(line string) string {
	tok, msg, _ := strings.Cut(line, "\t")
	for _, e := range a {
		if e.tok == tok && strings.Contains(msg, e.sub) {
			if e.why == "" {
				return "allowed"
			}
			return e.why
		}
	}
	return ""
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "namecheck:", err)
	os.Exit(2)
}
