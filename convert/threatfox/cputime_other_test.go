//go:build !unix

package threatfox

import (
	"testing"
	"time"
)

// cpuTime has no portable source here; rows/cpu-s is then meaningless and
// the benchmarks say so.
func cpuTime(tb testing.TB) time.Duration {
	tb.Skip("CPU time needs getrusage (unix)")
	return 0
}
