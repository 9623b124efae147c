package stix

import (
	"errors"
	"fmt"
)

// ErrInvalid is matched (errors.Is) by every validation failure in this
// package, including *ValidationError.
var ErrInvalid = errors.New("invalid stix object")

// ValidationError reports the property that broke a STIX 2.1 rule.
type ValidationError struct {
	Property string // JSON property name, "" for the object as a whole
	Msg      string
}

// Error prints "stix: <property>: <msg>".
func (e *ValidationError) Error() string {
	if e.Property == "" {
		return "stix: " + e.Msg
	}
	return fmt.Sprintf("stix: %s: %s", e.Property, e.Msg)
}

// Is makes errors.Is(err, ErrInvalid) true for every *ValidationError.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

func invalid(prop, format string, args ...any) error {
	return &ValidationError{Property: prop, Msg: fmt.Sprintf(format, args...)}
}
