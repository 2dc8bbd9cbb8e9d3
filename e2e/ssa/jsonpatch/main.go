// Command jsonpatch applies RFC 6902 JSON patches with the library the API server applies
// `oc patch --type=json` with: github.com/evanphx/json-patch, the v4 line (k8s.io/apiserver
// pkg/endpoints/handlers/patch.go imports gopkg.in/evanphx/json-patch.v4 at v4.12.0:
// jsonpatch.DecodePatch, then Patch.Apply on the stored object's JSON). Debian's
// golang-github-evanphx-json-patch-dev 5.2.0 ships that line as its root package (GOPATH mode);
// against v4.12.0 it differs only in negative array indices and in a replace of the whole
// document, which these patches do not use.
//
// Input on stdin: a JSON array of {"name", "doc", "patch"}. Output on stdout: a JSON array of
// {"name", "ok", "error", "doc"}: the patched document, or, when the patch fails, the error and
// the document unchanged (the API server stores nothing: a patch applies whole or not at all).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	jsonpatch "github.com/evanphx/json-patch"
)

type job struct {
	Name  string          `json:"name"`
	Doc   json.RawMessage `json:"doc"`
	Patch json.RawMessage `json:"patch"`
}

type result struct {
	Name  string          `json:"name"`
	OK    bool            `json:"ok"`
	Error string          `json:"error,omitempty"`
	Doc   json.RawMessage `json:"doc"`
}

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var jobs []job
	if err := json.Unmarshal(in, &jobs); err != nil {
		fmt.Fprintln(os.Stderr, "input:", err)
		os.Exit(2)
	}
	out := make([]result, 0, len(jobs))
	for _, j := range jobs {
		r := result{Name: j.Name, Doc: j.Doc}
		patch, err := jsonpatch.DecodePatch(j.Patch)
		if err == nil {
			var patched []byte
			patched, err = patch.Apply(j.Doc)
			if err == nil {
				r.OK = true
				r.Doc = patched
			}
		}
		if err != nil {
			r.Error = err.Error()
		}
		out = append(out, r)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
