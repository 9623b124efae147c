package threatfox

import (
	"bufio"
	"fmt"
	"io"
	"slices"
)

// WriteReport writes a plain-text account of what reading skipped, warned
// about and did not map, in a stable order: one line per skip and warning,
// then unknown ioc_types sorted by name. The CLI prints it; tests keep it
// as a golden file.
func (r Result) WriteReport(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "format: %s\nrows: %d\n", r.Format, len(r.Rows))
	for _, s := range r.Skipped {
		fmt.Fprintf(bw, "skip line %d: %s: %q\n", s.Line, s.Reason, s.Value)
	}
	for _, s := range r.Warnings {
		fmt.Fprintf(bw, "warn line %d: %s: %q\n", s.Line, s.Reason, s.Value)
	}
	types := make([]string, 0, len(r.Unknown))
	for t := range r.Unknown {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		u := r.Unknown[t]
		fmt.Fprintf(bw, "unknown ioc_type %q: %d rows, e.g. %q\n", t, u.Count, u.Examples)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("threatfox: write report: %w", err)
	}
	return nil
}
