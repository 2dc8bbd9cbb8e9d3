// Command replay replays a history of writes to one Kubernetes object with the API server's own
// server-side-apply library, sigs.k8s.io/structured-merge-diff (4.1.2 from Debian, GOPATH mode),
// and reports, after every write, the stored object, the field ownership and the conflicts.
//
// It mirrors the field manager the API server wraps around merge.Updater (k8s.io/apiserver
// pkg/endpoints/handlers/fieldmanager, since 1.27 k8s.io/apimachinery pkg/util/managedfields/internal):
//   - fieldmanager.go / structuredmerge.go: an Apply is merge.Updater.Apply(live, config, force),
//     a conflict is an error and nothing is stored; any other write (create, PUT, JSON merge
//     patch) is merge.Updater.Update(live, new), which never conflicts: it takes the fields it
//     changes from their owners.
//   - buildmanagerinfo.go: the manager key is the JSON of a ManagedFieldsEntry without time and
//     fields; Apply entries carry no apiVersion. So "x" applying and "x" updating are two managers.
//   - managedfieldsupdater.go: an Update runs as the manager "current-operation", and what it
//     changed is then merged into the set the same manager had before.
//   - stripmeta.go: apiVersion, kind, metadata.name and the server-set metadata fields are never owned.
//   - conflict.go: the error message of a conflict ("Apply failed with 1 conflict: ...").
//   - the CRD's status subresource: status is a reset field (IgnoredFields) and a write to the main
//     resource never changes it; the replay strips it from every object.
//
// Not modelled: CRD defaulting and validation (a write the API server would refuse with 422 is
// stored here: the caller checks the stored object), the cap of 10 Update managers
// (capmanagers.go), client-side-apply migration (lastappliedmanager.go), conversion between
// versions (one version here).
//
// Input on stdin, one JSON document:
//
//	{"schema": {"types": [...]}, "typeName": "...", "steps": [{"name", "manager", "operation": "Apply"|"Update", "force", "object"}]}
//
// or, to check that a schema types some objects, {"schema", "typeName", "typecheck": [{"name", "object"}]}.
// Output on stdout: a JSON array with one result per step (or per object to check). A result's
// "conflicts" are, for an unforced Apply, those that refused it (ok false, object unchanged); for
// a forced Apply, the fields it took from other managers (ok true).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"sigs.k8s.io/structured-merge-diff/fieldpath"
	"sigs.k8s.io/structured-merge-diff/merge"
	"sigs.k8s.io/structured-merge-diff/typed"
)

type step struct {
	Name      string                 `json:"name"`
	Manager   string                 `json:"manager"`
	Operation string                 `json:"operation"`
	Force     bool                   `json:"force"`
	Object    map[string]interface{} `json:"object"`
}

type check struct {
	Name   string                 `json:"name"`
	Object map[string]interface{} `json:"object"`
}

type input struct {
	Schema    json.RawMessage `json:"schema"`
	TypeName  string          `json:"typeName"`
	Steps     []step          `json:"steps"`
	Typecheck []check         `json:"typecheck"`
}

type conflict struct {
	Manager string `json:"manager"`
	Path    string `json:"path"`
}

type result struct {
	Name      string              `json:"name"`
	OK        bool                `json:"ok"`
	Conflicts []conflict          `json:"conflicts"`
	Error     string              `json:"error,omitempty"`
	Object    interface{}         `json:"object"`
	Managed   map[string][]string `json:"managed"`
}

type checkResult struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// managerEntry is metav1.ManagedFieldsEntry as BuildManagerIdentifier marshals it (same field order).
type managerEntry struct {
	Manager    string `json:"manager,omitempty"`
	Operation  string `json:"operation,omitempty"`
	APIVersion string `json:"apiVersion,omitempty"`
}

// identity is the converter of a resource with one version: nothing to convert.
type identity struct{}

func (identity) Convert(v *typed.TypedValue, _ fieldpath.APIVersion) (*typed.TypedValue, error) {
	return v, nil
}
func (identity) IsMissingVersionError(error) bool { return false }

// stripSet is stripmeta.go's: fields no manager ever owns.
var stripSet = fieldpath.NewSet(
	fieldpath.MakePathOrDie("apiVersion"),
	fieldpath.MakePathOrDie("kind"),
	fieldpath.MakePathOrDie("metadata"),
	fieldpath.MakePathOrDie("metadata", "name"),
	fieldpath.MakePathOrDie("metadata", "namespace"),
	fieldpath.MakePathOrDie("metadata", "creationTimestamp"),
	fieldpath.MakePathOrDie("metadata", "selfLink"),
	fieldpath.MakePathOrDie("metadata", "uid"),
	fieldpath.MakePathOrDie("metadata", "clusterName"),
	fieldpath.MakePathOrDie("metadata", "generation"),
	fieldpath.MakePathOrDie("metadata", "managedFields"),
	fieldpath.MakePathOrDie("metadata", "resourceVersion"),
)

func main() {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("reading stdin: %v", err)
	}
	var in input
	if err := json.Unmarshal(raw, &in); err != nil {
		fail("decoding the input: %v", err)
	}
	// JSON is YAML: the parser validates the schema against structured-merge-diff's schema of schemas.
	parser, err := typed.NewParser(typed.YAMLObject(in.Schema))
	if err != nil {
		fail("the schema: %v", err)
	}
	pt := parser.Type(in.TypeName)
	if !pt.IsValid() {
		fail("the schema has no type %q", in.TypeName)
	}
	var out interface{}
	if in.Typecheck != nil {
		out = typecheck(pt, in.Typecheck)
	} else {
		out = replay(pt, in.Steps)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fail("encoding the output: %v", err)
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "replay: "+format+"\n", args...)
	os.Exit(2)
}

func typecheck(pt typed.ParseableType, checks []check) []checkResult {
	results := make([]checkResult, 0, len(checks))
	for _, c := range checks {
		_, err := pt.FromUnstructured(withoutStatus(c.Object))
		r := checkResult{Name: c.Name, OK: err == nil}
		if err != nil {
			r.Error = err.Error()
		}
		results = append(results, r)
	}
	return results
}

func replay(pt typed.ParseableType, steps []step) []result {
	updater := merge.Updater{Converter: identity{}}
	var live *typed.TypedValue // nil: the object does not exist yet
	managers := fieldpath.ManagedFields{}
	results := make([]result, 0, len(steps))
	for _, s := range steps {
		apiVersion := fieldpath.APIVersion(fmt.Sprint(s.Object["apiVersion"]))
		// A reset field (status subresource): never owned (customresource strategy GetResetFields).
		updater.IgnoredFields = map[fieldpath.APIVersion]*fieldpath.Set{apiVersion: fieldpath.NewSet(fieldpath.MakePathOrDie("status"))}
		next, nextManagers, conflicts, err := write(pt, &updater, live, managers.Copy(), s, apiVersion)
		if conflicts == nil {
			conflicts = []conflict{}
		}
		r := result{Name: s.Name, OK: err == nil, Conflicts: conflicts}
		if err != nil {
			r.Error = err.Error()
		} else {
			live, managers = next, nextManagers
		}
		if live != nil {
			r.Object = live.AsValue().Unstructured()
		}
		r.Managed = describe(managers)
		results = append(results, r)
	}
	return results
}

// write is one request: FieldManager.Apply or FieldManager.Update with the chain of managers the
// API server builds (NewDefaultCRDFieldManager). It returns the stored object and ownership.
func write(pt typed.ParseableType, updater *merge.Updater, live *typed.TypedValue, managers fieldpath.ManagedFields, s step,
	apiVersion fieldpath.APIVersion) (*typed.TypedValue, fieldpath.ManagedFields, []conflict, error) {
	if meta, ok := s.Object["metadata"].(map[string]interface{}); ok && meta["managedFields"] != nil {
		return nil, nil, nil, fmt.Errorf("metadata.managedFields must be nil: the replay tracks ownership itself")
	}
	obj, err := pt.FromUnstructured(withoutStatus(s.Object))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("the object does not match the schema: %v", err)
	}
	if live == nil {
		// An Apply to an absent object creates it (the patch handler applies to an empty object);
		// an Update to an absent one is a create.
		if live, err = pt.FromUnstructured(map[string]interface{}{}); err != nil {
			return nil, nil, nil, err
		}
	}
	if s.Manager == "" {
		s.Manager = "unknown" // buildmanagerinfo.go
	}
	switch s.Operation {
	case "Apply":
		if s.Object["apiVersion"] == nil || s.Object["kind"] == nil {
			return nil, nil, nil, fmt.Errorf("an applied configuration needs apiVersion and kind")
		}
		id := managerID(s.Manager, "Apply", "")
		taken := []conflict{}
		if s.Force {
			// What the forced apply takes from other managers: the conflicts an unforced one would have.
			if _, _, err := updater.Apply(live, obj, apiVersion, managers.Copy(), id, false); err != nil {
				if cs, ok := err.(merge.Conflicts); ok {
					taken = conflictList(cs)
				}
			}
		}
		merged, next, err := updater.Apply(live, obj, apiVersion, managers, id, s.Force)
		if err != nil {
			if cs, ok := err.(merge.Conflicts); ok {
				list := conflictList(cs)
				return nil, nil, list, fmt.Errorf("%s", conflictMessage(cs))
			}
			return nil, nil, nil, err
		}
		strip(next, id)
		if merged == nil { // nothing changed
			merged = live
		}
		return merged, next, taken, nil
	case "Update":
		id := managerID(s.Manager, "Update", string(apiVersion))
		// managedfieldsupdater.go: the write runs as "current-operation", then joins the manager's earlier set.
		const self = "current-operation"
		_, next, err := updater.Update(live, obj, apiVersion, managers, self)
		if err != nil {
			return nil, nil, nil, err
		}
		strip(next, self)
		if vs, ok := next[self]; ok {
			delete(next, self)
			if previous, ok := next[id]; ok {
				next[id] = fieldpath.NewVersionedSet(vs.Set().Union(previous.Set()), vs.APIVersion(), vs.Applied())
			} else {
				next[id] = vs
			}
		}
		return obj, next, []conflict{}, nil
	default:
		return nil, nil, nil, fmt.Errorf("operation must be Apply or Update, got %q", s.Operation)
	}
}

// strip is stripmeta.go's stripFields.
func strip(managers fieldpath.ManagedFields, id string) {
	if vs, ok := managers[id]; ok {
		set := vs.Set().Difference(stripSet)
		if set.Empty() {
			delete(managers, id)
		} else {
			managers[id] = fieldpath.NewVersionedSet(set, vs.APIVersion(), vs.Applied())
		}
	}
}

// managerID is BuildManagerIdentifier's key.
func managerID(manager, operation, apiVersion string) string {
	if operation == "Apply" {
		apiVersion = ""
	}
	b, _ := json.Marshal(managerEntry{Manager: manager, Operation: operation, APIVersion: apiVersion})
	return string(b)
}

func decodeID(id string) managerEntry {
	var e managerEntry
	if err := json.Unmarshal([]byte(id), &e); err != nil {
		return managerEntry{Manager: id}
	}
	return e
}

// printManager is conflict.go's (entries here carry no time).
func printManager(id string) string {
	e := decodeID(id)
	if e.Operation == "Update" {
		return fmt.Sprintf("%q using %v", e.Manager, e.APIVersion)
	}
	return fmt.Sprintf("%q", e.Manager)
}

func sortConflicts(cs merge.Conflicts) merge.Conflicts {
	sorted := append(merge.Conflicts{}, cs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Manager != sorted[j].Manager {
			return sorted[i].Manager < sorted[j].Manager
		}
		return sorted[i].Path.String() < sorted[j].Path.String()
	})
	return sorted
}

func conflictList(cs merge.Conflicts) []conflict {
	list := []conflict{}
	for _, c := range sortConflicts(cs) {
		list = append(list, conflict{Manager: decodeID(c.Manager).Manager, Path: c.Path.String()})
	}
	return list
}

// conflictMessage is conflict.go's getConflictMessage.
func conflictMessage(cs merge.Conflicts) string {
	cs = sortConflicts(cs)
	if len(cs) == 1 {
		return fmt.Sprintf("Apply failed with 1 conflict: conflict with %v: %v", printManager(cs[0].Manager), cs[0].Path)
	}
	var messages []string
	last := ""
	for _, c := range cs {
		if c.Manager != last {
			messages = append(messages, fmt.Sprintf("conflicts with %v:", printManager(c.Manager)))
			last = c.Manager
		}
		messages = append(messages, fmt.Sprintf("- %v", c.Path))
	}
	return fmt.Sprintf("Apply failed with %d conflicts: %s", len(cs), strings.Join(messages, "\n"))
}

// describe lists each manager's fields; a name that both applies and updates gets the operation too.
func describe(managers fieldpath.ManagedFields) map[string][]string {
	names := map[string]int{}
	for id := range managers {
		names[decodeID(id).Manager]++
	}
	out := map[string][]string{}
	for id, vs := range managers {
		e := decodeID(id)
		key := e.Manager
		if names[e.Manager] > 1 {
			key = fmt.Sprintf("%s (%s)", e.Manager, e.Operation)
		}
		paths := []string{}
		vs.Set().Iterate(func(p fieldpath.Path) { paths = append(paths, p.String()) })
		sort.Strings(paths)
		out[key] = paths
	}
	return out
}

func withoutStatus(o map[string]interface{}) map[string]interface{} {
	if o == nil {
		return map[string]interface{}{}
	}
	c := make(map[string]interface{}, len(o))
	for k, v := range o {
		if k != "status" {
			c[k] = v
		}
	}
	return c
}
