package store

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/redis/go-redis/v9"
)

var (
	// ErrNotFound means the object, version or status does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrBadCursor means Query.Next is not a cursor this store issued for this collection.
	ErrBadCursor = errors.New("store: invalid cursor")
	// ErrConflict means an id+version is already stored with different bytes.
	ErrConflict = errors.New("store: conflict")
	// ErrUnavailable means Redis could not be reached or is not serving (connection refused or reset,
	// timeouts, pool exhaustion, a loading or failing-over server).
	ErrUnavailable = errors.New("store: redis unavailable")
	// ErrInvalid means an argument the store cannot represent: an empty id or collection, a collection
	// with braces (they would break the Cluster hash tag), a spec version containing '|', a time before
	// 1970 or after 2286, or a Limit below 1.
	ErrInvalid = errors.New("store: invalid argument")
)

// wrap translates a go-redis error at the package boundary, adding op as context.
func wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, redis.Nil):
		return fmt.Errorf("%w: %s", ErrNotFound, op)
	case unavailable(err):
		return fmt.Errorf("%w: %s: %w", ErrUnavailable, op, err)
	default:
		return fmt.Errorf("store: %s: %w", op, err)
	}
}

// transientPrefixes are Redis replies that mean "not serving right now" rather than "your request is wrong".
var transientPrefixes = []string{"LOADING", "CLUSTERDOWN", "MASTERDOWN", "TRYAGAIN", "READONLY"}

// unavailable reports whether err is a connection-level failure.
func unavailable(err error) bool {
	var ne net.Error
	switch {
	case errors.As(err, &ne),
		errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE),
		errors.Is(err, redis.ErrPoolTimeout),
		errors.Is(err, redis.ErrPoolExhausted),
		errors.Is(err, redis.ErrClosed):
		return true
	}
	for _, p := range transientPrefixes {
		if redis.HasErrorPrefix(err, p) {
			return true
		}
	}
	return false
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
