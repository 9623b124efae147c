//go:build unix

package threatfox

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time. Benchmarks report rows
// per CPU-second next to wall-clock rows/s because the shared build machine
// is loaded: wall time measures the neighbours, CPU time measures us. It
// includes the garbage collector's background work, which is part of the
// cost.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Skipf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
